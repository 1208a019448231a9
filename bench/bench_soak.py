"""Soak: `assistant serve --workers N` over `chroma run` and PostgreSQL, 32 clients, for minutes.

For 1 and 2 workers (side by side), starts a Chroma server and a PostgreSQL server in a temp
folder, ingests corpus/, serves with the conversation log and the shared rate limits in
PostgreSQL, and sends POST /v1/chat from 32 client threads for --duration seconds, cycling
through >= 200 distinct questions (so most are cache misses at first). Reports rps, p50/p95,
errors, and each worker's RSS at the start and end of the measured window (growth in %).
Writes bench/results/soak.json. The machine is shared: figures are noisy, upper bounds.

    python -m bench.bench_soak                 # 10 minutes per configuration
    python -m bench.bench_soak --quick         # 60 s per configuration
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.bench_http import free_port, questions
from tests._pg import PostgresServer
from tests.web._web import chroma_run

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "soak.json"
CLI = [sys.executable, "-m", "assistant.interfaces.cli"]


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_of(serve: subprocess.Popen[bytes], n: int) -> list[int]:
    """The processes that answer: the serve process itself, or its uvicorn workers."""
    if n == 1:
        return [serve.pid]
    out = []
    for task in Path(f"/proc/{serve.pid}/task").iterdir():
        for kid in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes():
                out.append(int(kid))
    return out


def _get(port: int, path: str) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return 0


def _wait(ok: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not ok():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} not ready in {seconds:.0f} s")
        time.sleep(0.5)


def client_loop(port: int, qs: list[str], offset: int, stop: float, out: list[Any]) -> None:
    """One client: POST /v1/chat in a loop on a keep-alive connection until `stop`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = offset
    while time.monotonic() < stop:
        body = json.dumps({"messages": [{"role": "user", "content": qs[i % len(qs)]}]})
        t0 = time.perf_counter()
        try:
            conn.request(
                "POST", "/v1/chat", body=body, headers={"Content-Type": "application/json"}
            )
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append((time.perf_counter() - t0, status))
        i += 1


def run_config(n_workers: int, args: argparse.Namespace, tmp: Path, pg: PostgresServer,
               chroma_port: int, qs: list[str]) -> dict[str, Any]:  # fmt: skip
    """Serve with n workers, load it for args.duration seconds; return the figures."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VA_")}
    env.update(
        PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
        VA_STORE__MODE="http", VA_STORE__PORT=str(chroma_port), VA_STORE__COLLECTION="soak",
        VA_CORPUS__PATH=str(ROOT / "corpus"), VA_PROMPTS_PATH=str(ROOT / "prompts"),
        VA_SERVER__DATABASE_URL=pg.new_database(), VA_SERVER__UI="false",
        VA_SERVER__RATE_LIMIT_PER_MINUTE="100000000", VA_SERVER__RATE_LIMIT_BURST="1000000",
    )  # fmt: skip
    log = (tmp / f"serve-{n_workers}.log").open("wb")
    serve = subprocess.Popen(
        [*CLI, "serve", "--workers", str(n_workers), "--port", str(port), "--log-level",
         "warning"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp,
    )  # fmt: skip
    try:
        _wait(lambda: len(workers_of(serve, n_workers)) == n_workers, 600, "workers")
        pids = workers_of(serve, n_workers)
        _wait(lambda: all(_get(port, "/readyz") == 200 for _ in range(4 * n_workers)), 900,
              f"{n_workers} workers")  # fmt: skip
        results: list[Any] = []
        warm = min(30.0, args.duration * 0.2)
        stop = time.monotonic() + warm + args.duration
        step = max(1, len(qs) // args.clients)
        threads = [
            threading.Thread(target=client_loop, args=(port, qs, c * step, stop, results))
            for c in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(warm)  # first passes: caches fill, allocators settle
        start_n, t_start = len(results), time.monotonic()
        rss_start = {pid: rss_mib(pid) for pid in pids}
        samples = {pid: [rss_start[pid]] for pid in pids}
        while time.monotonic() < stop - 1:
            time.sleep(min(10.0, max(0.5, stop - 1 - time.monotonic())))
            for pid in pids:
                samples[pid].append(rss_mib(pid))
        for t in threads:
            t.join()
        window = results[start_n:]
        elapsed = time.monotonic() - t_start
        lat = sorted(d for d, _ in window)
        statuses: dict[str, int] = {}
        for _, s in window:
            statuses[str(s)] = statuses.get(str(s), 0) + 1
        rss_end = {pid: samples[pid][-1] for pid in pids}
        return {
            "workers": n_workers,
            "requests": len(window),
            "seconds": round(elapsed, 1),
            "rps": round(len(window) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
            "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
            "errors": sum(n for s, n in statuses.items() if s != "200"),
            "statuses": statuses,
            "rss_mib": [
                {
                    "start": round(rss_start[p], 1),
                    "end": round(rss_end[p], 1),
                    "peak": round(max(samples[p]), 1),
                    "growth_pct": round(100 * (rss_end[p] - rss_start[p]) / rss_start[p], 2),
                }
                for p in pids
            ],
        }
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()


def main() -> None:
    """Run the soak for each worker count and write bench/results/soak.json."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=float, default=600.0, help="Measured seconds per run.")
    p.add_argument("--quick", action="store_true", help="60 s per configuration.")
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--workers", default="1,2", help="Worker counts to compare.")
    p.add_argument("--questions", type=int, default=240, help="Distinct questions (>= 200).")
    args = p.parse_args()
    if args.quick:
        args.duration = 60.0
    qs = questions(max(200, args.questions))
    tmp = Path(tempfile.mkdtemp(prefix="va-soak-"))
    pg = PostgresServer()
    chroma, chroma_port = chroma_run(tmp / "chroma")
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "VA_STORE__MODE": "http",
               "VA_STORE__PORT": str(chroma_port), "VA_STORE__COLLECTION": "soak",
               "VA_PROMPTS_PATH": str(ROOT / "prompts")}  # fmt: skip
        subprocess.run([*CLI, "ingest", str(ROOT / "corpus")], env=env, check=True, cwd=tmp)
        runs = []
        for n in (int(x) for x in args.workers.split(",")):
            print(f"soak: {n} worker(s), {args.clients} clients, {args.duration:.0f} s ...",
                  flush=True)  # fmt: skip
            runs.append(run_config(n, args, tmp, pg, chroma_port, qs))
            print(json.dumps(runs[-1]), flush=True)
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report = {
        "what": "POST /v1/chat, Chroma server mode, PostgreSQL log and shared rate limits",
        "clients": args.clients,
        "distinct_questions": len(qs),
        "duration_s": args.duration,
        "cpu_cores": os.cpu_count(),
        "note": "shared 2-core machine with other jobs running: throughput cannot scale "
        "with workers here; the figures plan bigger hosts and per-worker memory",
        "runs": runs,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'workers':>7} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  RSS MiB start->end (growth)"
    )
    for r in runs:
        mem = ", ".join(f"{m['start']:.0f}->{m['end']:.0f} ({m['growth_pct']:+.1f}%)"
                        for m in r["rss_mib"])  # fmt: skip
        print(f"{r['workers']:>7} {r['rps']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['errors']:>6}  {mem}")  # fmt: skip
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
