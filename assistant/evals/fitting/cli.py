"""The command line every fitting script shares: --data, --out, and a check for the data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["DEFAULT_DATA", "parse"]

DEFAULT_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"


def parse(
    prog: str, out: Path, needs: str, argv: list[str] | None, check: bool = False
) -> argparse.Namespace | None:
    """Parsed arguments, or None (after a clear message) when `--data` lacks the file `needs`."""
    ap = argparse.ArgumentParser(prog=f"python -m assistant.evals.fitting.{prog}")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=out)
    if check:
        ap.add_argument("--check", action="store_true", help="Compare with --out; write nothing.")
    args = ap.parse_args(argv)
    if not (args.data / needs).exists():
        print(f"error: {args.data}/{needs} not found (use --data)", file=sys.stderr)
        return None
    return args
