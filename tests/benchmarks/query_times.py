"""p50/p95 of every canned query, bare and with each of its example parameter sets, on one store.

Each query variant runs in its own child process (the store opened read-only, so it can run next
to other readers), `--runs` times in a row; the child is killed when a run exceeds `--timeout`,
so one slow query never stalls the table. Times cover the whole query through kg.api.query, every
row of the page read: the first page of `kg query` (100 rows) unless `--limit N` or `--all`.

    .venv/bin/python tests/benchmarks/query_times.py --store /work/bench2k
    .venv/bin/python tests/benchmarks/query_times.py --store /work/bench2k --only partners,evidence --runs 3
    .venv/bin/python tests/benchmarks/query_times.py --store /work/bench2k --json before.json
    .venv/bin/python tests/benchmarks/query_times.py --store /work/bench2k --all
    .venv/bin/python tests/benchmarks/query_times.py --store S --variant "timeline:actor=India"

--variant adds a parameter set of your own (repeatable), e.g. for a store where the examples'
actors or dates match nothing.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg import api, catalog, paging  # noqa: E402


def variants(q: catalog.CannedQuery) -> list[dict[str, str]]:
    """The bare query, then the distinct parameter sets of its `# example:` lines."""
    found: list[dict[str, str]] = [{}]
    for line in q.examples:
        words = shlex.split(line)
        params = {}
        for i, word in enumerate(words[:-1]):
            if word == "--param" and "=" in words[i + 1]:
                key, value = words[i + 1].split("=", 1)
                params[key] = value
        if params and params not in found:
            found.append(params)
    return found


def _child(store_path: str, name: str, params: dict, runs: int, limit, conn) -> None:
    """Runs the query `runs` times and sends (seconds, rows) after each run."""
    try:
        with api.open_store(store_path, readonly=True) as store:
            for _ in range(runs):
                start = time.perf_counter()
                result = api.query(store, name, params, limit=limit)
                conn.send((time.perf_counter() - start, len(result)))
    except Exception as err:       # reported in the table, never fatal to the benchmark
        conn.send(("error", f"{type(err).__name__}: {err}"))
    conn.close()


def measure(store_path: str, name: str, params: dict, runs: int, timeout: float, limit=None) -> dict:
    parent, child = mp.Pipe(duplex=False)
    proc = mp.get_context("fork").Process(target=_child, args=(store_path, name, params, runs, limit, child))
    proc.start()
    child.close()
    times: list[float] = []
    out: dict = {"query": name, "params": params, "limit": limit, "times": times}
    try:
        for _ in range(runs):
            if not parent.poll(timeout):
                out["timeout"] = timeout
                break
            first, second = parent.recv()
            if first == "error":
                out["error"] = second
                break
            times.append(first)
            out["rows"] = second
    except EOFError:
        out["error"] = "the child process died"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    return out


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (with 5 runs, p95 is the slowest run)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def row_text(r: dict) -> str:
    params = " ".join(f"{k}={v}" for k, v in r["params"].items()) or "-"
    if r["times"] and "timeout" not in r and "error" not in r:
        p50, p95 = (f"{percentile(r['times'], p) * 1000:.0f}" for p in (50, 95))
    elif "error" in r:
        p50, p95 = "error", r["error"][:60]
    else:
        p50 = p95 = f"> {r['timeout']:.0f} s"
    return f"{r['query']:<20} {params:<40} {r.get('rows', ''):>6} {p50:>9} {p95:>9}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="the store to query (opened read-only)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query variant (default 5)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds allowed per run (default 30)")
    ap.add_argument("--only", default="", help="comma-separated query names (default: all)")
    ap.add_argument("--json", help="also write the raw times to this file")
    ap.add_argument("--variant", action="append", default=[], metavar="QUERY:K=V[,K=V]",
                    help="an extra parameter set for a query (repeatable)")
    ap.add_argument("--limit", type=int, default=paging.DEFAULT_PAGE,
                    help=f"rows per page (default {paging.DEFAULT_PAGE}, kg query's first page)")
    ap.add_argument("--all", action="store_true", help="every row (no page), as before paging")
    args = ap.parse_args(argv)
    limit = None if args.all else args.limit
    only = {n for n in args.only.split(",") if n}
    queries = [q for q in catalog.available() if not only or q.name in only]
    print(f"store {args.store}, {'every row' if limit is None else f'pages of {limit}'}, "
          f"{args.runs} runs per variant, timeout {args.timeout:.0f} s, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"{'query':<20} {'params':<40} {'rows':>6} {'p50 ms':>9} {'p95 ms':>9}", flush=True)
    extra: dict[str, list[dict[str, str]]] = {}
    for spec in args.variant:
        name, _, pairs = spec.partition(":")
        extra.setdefault(name, []).append(dict(p.split("=", 1) for p in pairs.split(",") if "=" in p))
    results = []
    for q in queries:
        todo = variants(q)
        todo += [p for p in extra.get(q.name, []) if p not in todo]
        for params in todo:
            r = measure(args.store, q.name, params, args.runs, args.timeout, limit)
            results.append(r)
            print(row_text(r), flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
