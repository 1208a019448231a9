"""Ingest: validate the corpus, embed new chunks, flip the live index atomically."""
