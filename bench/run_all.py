"""Run every core benchmark in sequence: build the MedQuAD index, then each bench."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DEFAULT_CORPUS, DEFAULT_STORE

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Run build_index, bench_retrieval, bench_ingest, bench_query and calibrate_floor."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE, help="MedQuAD store folder")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="its corpus folder")
    ap.add_argument("--quick", action="store_true", help="small runs (--limit) for a smoke test")
    ap.add_argument("--skip-build", action="store_true", help="reuse the store as it is")
    args = ap.parse_args(argv)
    quick = args.quick
    if quick and args.store == DEFAULT_STORE:  # never shrink the full index for a smoke test
        args.store = DEFAULT_STORE.parent / "quick-store"
        args.corpus = DEFAULT_CORPUS.parent / "quick-corpus"
    where = ["--store", str(args.store), "--corpus", str(args.corpus)]

    def named(name: str) -> list[str]:
        return ["--name", f"quick_{name}"] if quick else []

    steps: list[list[str]] = []
    if not args.skip_build:
        limit = ["--limit", "200"] if quick else []
        steps.append(["build_index.py", *where, *named("build_index"), *limit])
    steps += [
        ["bench_retrieval.py", *where, *named("retrieval"), *(["--limit", "100"] if quick else [])],
        [
            "bench_query.py", *where, *named("query"),
            *(["--limit", "30", "--warmup", "5"] if quick else []),
        ],
        [
            "bench_ingest.py", *where, *named("ingest"),
            *(["--limit", "30", "--skip-full"] if quick else []),
        ],
        [
            "calibrate_floor.py", *named("calibration"), "--seed-store", str(args.store),
            *(["--docs", "60", "--limit", "100", "--work", str(args.store.parent / "quick-calib")]
              if quick else []),
        ],
    ]  # fmt: skip
    failed = []
    for step in steps:
        print(f"\n=== {' '.join(step)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(
            [sys.executable, "-m", f"bench.{step[0].removesuffix('.py')}", *step[1:]],
            cwd=HERE.parent,
        )
        print(f"=== {step[0]}: exit {rc} in {time.perf_counter() - t0:.0f}s", flush=True)
        if rc:
            failed.append(step[0])
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
