"""The index: embedder and vector-store backends, the in-memory snapshot, BM25."""
