"""Answer composition: extractive sentences, or a gated LLM backend."""
