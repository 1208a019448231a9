"""`assistant ingest` and `assistant status`: build the index, and read its manifest."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.interfaces.cli.common import (
    load_settings,
    progress_factory,
    service_for,
)

__all__ = ["cmd_ingest", "cmd_status"]


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate and ingest a corpus folder."""
    from assistant.corpus.articles import load_corpus

    settings = load_settings(args)
    load_corpus(args.path or settings.corpus.path)  # every error, before any store is opened
    service = service_for(args, settings, first_run=False)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    report = service.ingest(args.path, progress=progress_factory(show))
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    service.snapshot()  # builds the derived-vector cache now, not at the first question
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    else:
        print(report.summary())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Show the live index (reads the manifest; the model is not loaded)."""
    settings = load_settings(args)
    embedded = settings.store.mode == "embedded"
    if embedded and not settings.store.path.exists():
        print("no index yet: run `assistant ingest`")
        return 1
    from assistant.index.store_peek import peek_manifest

    manifest = peek_manifest(settings.store.path, settings.store.collection) if embedded else None
    if manifest is None:  # a Chroma server, or a file the fast path does not know
        from assistant.config.container import build_store

        manifest = build_store(settings).read_manifest()
    if manifest is None:
        print("no index yet: run `assistant ingest`")
        return 1
    arts = manifest.get("articles", {})
    n_chunks = sum(len(a.get("chunks", [])) for a in arts.values())
    print(f"generation {manifest['generation']} built {manifest.get('created_at')}")
    print(f"{len(arts)} articles, {n_chunks} live chunks, model {manifest.get('model_id')}")
    for aid, a in sorted(arts.items()):
        print(f"  {aid} v{a['version']} [{a['status']}] {a['title']}")
    return 0
