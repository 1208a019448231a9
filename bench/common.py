"""Shared bench helpers: paths, settings for a bench store, result files and tables."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.config.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


__all__ = [
    "DEFAULT_CORPUS",
    "DEFAULT_STORE",
    "RESULTS",
    "ROOT",
    "SeededStore",
    "add_index_args",
    "bench_settings",
    "environment",
    "log",
    "percentile",
    "print_table",
    "progress_logger",
    "seeded_ingester",
    "write_result",
]

RESULTS = ROOT / "bench" / "results"
DEFAULT_STORE = ROOT / ".vetted" / "bench" / "medquad-store"
DEFAULT_CORPUS = ROOT / ".vetted" / "bench" / "medquad-corpus"


def bench_settings(store: Path, corpus: Path, **extra: Any) -> Settings:
    """Settings for a bench store and corpus (no auto-ingest; prompts from the repo)."""
    for key in list(os.environ):
        if key.startswith("VA_"):
            del os.environ[key]
    return Settings(
        store={"path": store},
        corpus={"path": corpus, "auto_ingest": False},
        prompts_path=ROOT / "prompts",
        **extra,
    )


def environment() -> dict[str, Any]:
    """Where the figures were measured."""
    import torch

    try:
        load = os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        load = (0.0, 0.0, 0.0)
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "loadavg_at_end": [round(x, 2) for x in load],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of values, linear interpolation."""
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def write_result(name: str, data: dict[str, Any], out_dir: Path = RESULTS) -> Path:
    """Write bench/results/<name>.json (with the environment) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    payload = {"bench": name, **data, "environment": environment()}
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A small aligned text table."""

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.4f}" if abs(v) < 10 else f"{v:.1f}"
        return str(v)

    cells = [[fmt(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def log(msg: str) -> None:
    """A timestamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def progress_logger(every: int = 500) -> Callable[[int, str], Callable[[int], None]]:
    """An ingest ProgressFactory that logs every `every` items."""

    def factory(total: int, what: str) -> Callable[[int], None]:
        state = {"done": 0, "next": every, "t0": time.perf_counter()}
        log(f"{what}: {total} chunks")

        def tick(n: int) -> None:
            state["done"] += n
            if state["done"] >= state["next"] or state["done"] >= total:
                state["next"] += every
                rate = state["done"] / max(time.perf_counter() - state["t0"], 1e-9)
                log(f"{what}: {state['done']}/{total} ({rate:.1f}/s)")

        return tick

    return factory


class SeededStore:
    """A store that, when ingesting, also reuses vectors another store (same model) holds."""

    def __init__(self, inner: Any, seed: Any) -> None:
        self.inner = inner
        self.seed = seed

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def find_by_embed_key(self, keys: Sequence[str]) -> dict[str, Any]:
        """Vectors by embed key from the seed store first, then from the store itself."""
        out = dict(self.seed.find_by_embed_key(keys))
        rest = [k for k in keys if k not in out]
        if rest:
            out.update(self.inner.find_by_embed_key(rest))
        return out


def seeded_ingester(service: Any, seed_store: Path | None) -> None:
    """Let `service.ingest` copy vectors from the built store at `seed_store` when it exists."""
    if seed_store is None or not seed_store.exists():
        return
    from assistant.config.settings import StoreSettings
    from assistant.index.store import ChromaStore, make_chroma_client
    from assistant.ingest.pipeline import IngestService

    seed = ChromaStore(make_chroma_client(StoreSettings(path=seed_store)), "vetted")
    if seed.read_manifest() is None and not seed.all_ids():
        return
    service.index.ingester = IngestService(SeededStore(service.store, seed), service.embedder)


def add_index_args(ap: argparse.ArgumentParser, data: Path) -> None:
    """The options every MedQuAD bench shares: store, corpus, data folder, torch threads."""
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE, help="MedQuAD Chroma store")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="its corpus folder")
    ap.add_argument("--data", type=Path, default=data, help="folder of the MedQuAD JSONL files")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (0: torch default)")
