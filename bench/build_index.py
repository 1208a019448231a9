"""Build (or update) the full MedQuAD index that the retrieval and latency benches reuse."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import (
    add_index_args,
    bench_settings,
    log,
    print_table,
    progress_logger,
    seeded_ingester,
    write_result,
)
from bench.medquad import DATA, load_corpus_rows, write_corpus

__all__ = ["build", "main"]


def build(
    store: Path,
    corpus: Path,
    data: Path = DATA,
    limit: int = 0,
    seed_store: Path | None = None,
    threads: int = 0,
) -> dict[str, object]:
    """Write the MedQuAD corpus as Markdown and ingest it into the store."""
    from assistant.config.container import build_services

    rows = load_corpus_rows(data)
    if limit:
        rows = rows[:limit]
    write_corpus(rows, corpus)
    log(f"corpus: {len(rows)} articles in {corpus}")
    t0 = time.perf_counter()
    service = build_services(bench_settings(store, corpus, embedding={"threads": threads}))
    load_s = time.perf_counter() - t0
    if seed_store is not None and seed_store.resolve() != store.resolve():
        seeded_ingester(service, seed_store)
    report = service.ingest(corpus, progress=progress_logger())
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    return {
        "store": str(store),
        "articles": report.articles,
        "chunks": report.chunks,
        "embedded": report.embedded,
        "reused": report.reused,
        "changed": report.changed,
        "ingest_seconds": round(report.seconds, 2),
        "model_load_seconds": round(load_s, 2),
        "store_bytes": size,
        "store_mib": round(size / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_index_args(ap, DATA)
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents (0: all)")
    ap.add_argument("--seed-store", type=Path, default=None, help="reuse vectors from this store")
    ap.add_argument("--name", default="build_index", help="result file name")
    args = ap.parse_args(argv)
    res = build(args.store, args.corpus, args.data, args.limit, args.seed_store, args.threads)
    print_table(["metric", "value"], [(k, v) for k, v in res.items()])
    print(f"wrote {write_result(args.name, res)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
