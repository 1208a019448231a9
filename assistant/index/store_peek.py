"""Read the live manifest of an embedded Chroma store straight from its SQLite file.

`assistant status` needs only the manifest record; importing chromadb and opening the client
costs seconds, while one read-only SQL query takes milliseconds. Any surprise in the file
(another Chroma schema, a locked or missing file) returns None and the caller falls back to
the Chroma client, so this is a fast path, never the only path.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["peek_manifest"]

_QUERY = """
SELECT m.string_value FROM embeddings e
JOIN segments s ON e.segment_id = s.id
JOIN collections c ON s.collection = c.id
JOIN embedding_metadata m ON m.id = e.id
WHERE c.name = ? AND e.embedding_id = 'manifest' AND m.key = 'chroma:document'
ORDER BY e.seq_id DESC LIMIT 1
"""


def peek_manifest(store_path: Path, prefix: str) -> dict[str, Any] | None:
    """The manifest document, or None when it cannot be read this way."""
    db = Path(store_path) / "chroma.sqlite3"
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
        try:
            row = con.execute(_QUERY, (f"{prefix}-meta",)).fetchone()
        finally:
            con.close()
        if not row or not row[0]:
            return None
        manifest = json.loads(row[0])
    except (sqlite3.Error, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "generation" in manifest else None
