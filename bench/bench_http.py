"""HTTP throughput and latency of POST /v1/chat at 1, 8 and 32 concurrent clients.

Starts `assistant serve` on 127.0.0.1 (a fresh embedded index in a temp dir) unless --url is
given, sends distinct questions (MedQuAD questions and paraphrases of on-topic questions, so
neither the answer cache nor the query-embedding cache helps), then repeats already-asked
questions to measure the cached path separately. Prints a table and writes
bench/results/http.json. Other processes share the CPU: figures are noisy.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "results" / "http.json"

TOPICS = [
    "chronic pain", "fibromyalgia", "neuropathic pain", "nerve damage", "depression",
    "anxiety", "PTSD", "arthritis", "treatment-resistant pain", "mood", "quality of life",
]  # fmt: skip
TEMPLATES = [
    "Can ketamine infusions help with {t}?",
    "Does ketamine therapy work for {t}?",
    "How might ketamine help someone with {t}?",
    "What does the article say about ketamine and {t}?",
    "Is ketamine used to treat {t}?",
    "Could an infusion of ketamine ease {t}?",
    "What is known about ketamine for {t}?",
    "Why is ketamine considered for {t}?",
]
ASPECTS = [
    "side effects", "safety monitoring", "how it works", "NMDA receptors", "dissociation",
    "who is a candidate", "long-term benefits", "dosing research", "risks", "heart rate",
]  # fmt: skip
ASPECT_TEMPLATES = [
    "What about the {t} of ketamine infusion therapy?",
    "Tell me about {t} with ketamine treatment.",
    "Explain {t} for ketamine infusions.",
]


def questions(n: int, seed: int = 7) -> list[str]:
    """n distinct questions: about 1 in 3 on-topic paraphrases, the rest from MedQuAD."""
    on_topic = [t.format(t=x) for t in TEMPLATES for x in TOPICS]
    on_topic += [t.format(t=x) for t in ASPECT_TEMPLATES for x in ASPECTS]
    medquad: list[str] = []
    path = SHARED / "medquad_questions.jsonl"
    if path.exists():
        with path.open() as f:
            for line in f:
                q = json.loads(line)["question"].strip()
                medquad.append(q)
    else:  # no external data: vary the on-topic questions instead
        medquad = [f"{q} (case {i})" for i, q in enumerate(on_topic * 50)]
    rng = random.Random(seed)
    rng.shuffle(on_topic)
    rng.shuffle(medquad)
    mixed = list(dict.fromkeys(itertools.chain.from_iterable(
        itertools.zip_longest(on_topic, medquad[: 2 * len(on_topic)], medquad[2 * len(on_topic) :])
    )))  # fmt: skip
    mixed = [q for q in mixed if q]
    if len(mixed) < n:
        raise SystemExit(f"only {len(mixed)} distinct questions available, need {n}")
    return mixed[:n]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`assistant serve` on a free port with a fresh index; returns (process, base url)."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "VA_STORE__PATH": str(tmp / "chroma"),
            "VA_CORPUS__PATH": str(ROOT / "corpus"),
            "VA_PROMPTS_PATH": str(ROOT / "prompts"),
            "VA_SERVER__LOG_DB": str(tmp / "log.sqlite3"),
            "VA_SERVER__RATE_LIMIT_PER_MINUTE": "100000000",
            "VA_SERVER__RATE_LIMIT_BURST": "1000000",
            "VA_SERVER__UI": "false",
        }
    )
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "serve", "--port", str(port),
         "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited; see {tmp / 'server.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc, url
        except OSError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("server did not become ready in 300 s")


def cpu_seconds(pid: int | None) -> float | None:
    """User+system CPU time of a process (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str, qs: list[str], clients: int, pid: int | None = None) -> dict[str, Any]:
    """Send every question once, `clients` at a time; latency per request and overall rate."""
    parsed = urlparse(url)
    todo = iter(qs)
    lock = threading.Lock()
    lat: list[float] = []
    routes: dict[str, int] = {}
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        while True:
            with lock:
                q = next(todo, None)
            if q is None:
                break
            body = json.dumps({"messages": [{"role": "user", "content": q}]})
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/v1/chat", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
            except OSError as exc:
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
                with lock:
                    errors.append(type(exc).__name__)
                continue
            dt = (time.perf_counter() - t0) * 1000
            with lock:
                if resp.status == 200:
                    lat.append(dt)
                    route = json.loads(data)["route"]
                    routes[route] = routes.get(route, 0) + 1
                else:
                    errors.append(str(resp.status))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    cpu0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds(pid)
    cpu = (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
    lat.sort()

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))], 2) if lat else float("nan")

    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "rps": round(len(lat) / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(lat), 2) if lat else float("nan"),
        "server_cpu_s": round(cpu, 2) if cpu is not None else None,
        "server_cores_used": round(cpu / wall, 2) if cpu is not None else None,
        "req_per_server_cpu_s": round(len(lat) / cpu, 1) if cpu else None,
        "routes": routes,
    }


def main() -> int:
    """Run the benchmark and write bench/results/http.json."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="Benchmark a running server instead of starting one.")
    ap.add_argument("--clients", default="1,8,32", help="Concurrency levels.")
    ap.add_argument("--per-level", type=int, default=400, help="Requests per level (x clients/8).")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    sizes = {c: max(100, args.per_level * max(1, c) // 8) if c > 1 else 150 for c in levels}
    qs = questions(40 + sum(sizes.values()))
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    proc = None
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            print("starting `assistant serve` (fresh index)...", file=sys.stderr)
            proc, url = start_server(tmp)
        run(url, qs[:40], 4)  # warm up: threads, allocator, caches of the warm-up questions
        results = []
        start = 40
        for c in levels:
            batch = qs[start : start + sizes[c]]
            start += sizes[c]
            pid = proc.pid if proc is not None else None
            r = run(url, batch, c, pid) | {"mode": "uncached"}
            results.append(r)
            cached = run(url, batch[: min(len(batch), 300)], c, pid) | {"mode": "cached"}
            results.append(cached)
        load = os.getloadavg()
        report = {
            "endpoint": "POST /v1/chat",
            "server": url,
            "cpu_count": os.cpu_count(),
            "loadavg_after": [round(x, 2) for x in load],
            "note": "uncached: every question is new to the server (answer and embedding "
            "caches miss); cached: the same questions again. Shared CPU: figures are noisy; "
            "server_cores_used and req_per_server_cpu_s show how much CPU the server got.",
            "results": results,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"{'clients':>7} {'mode':>9} {'req':>5} {'err':>4} {'rps':>7} {'p50 ms':>8} "
              f"{'p95 ms':>8} {'p99 ms':>8} {'cores':>6} {'req/cpu-s':>9}")  # fmt: skip
        for r in results:
            print(f"{r['clients']:>7} {r['mode']:>9} {r['requests']:>5} {r['errors']:>4} "
                  f"{r['rps']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} "
                  f"{r['server_cores_used']!s:>6} {r['req_per_server_cpu_s']!s:>9}")  # fmt: skip
        print(f"load average after: {load[0]:.2f} on {os.cpu_count()} CPUs; wrote {args.out}")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
