"""Time and peak memory of the RDF -> networkx projection (kg.network.project), per view.

Each view runs in a fresh child process so its peak RSS is its own (the parent's imports and
earlier views do not count):

    python tests/benchmarks/projection_bench.py /work/bench2k           # actors and full views
    python tests/benchmarks/projection_bench.py STORE --views actors --runs 3
    python tests/benchmarks/projection_bench.py STORE --kg /work/main   # another checkout's kg

The store is opened read-only (readers share the lock). The target (issues 4-6): the actors view
of a 2,000-article store in a few seconds, memory proportional to the network.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def measure(store_path: str, view: str) -> dict:
    """One view, in this process: seconds, node and edge counts, peak RSS in MB."""
    import inspect

    from kg.network import actor_graph, project
    from kg.store import Store
    lean = "view" in inspect.signature(project).parameters     # older checkouts project everything
    with Store(store_path, readonly=True, create=False) as store:
        start = time.perf_counter()
        if view == "actors":
            G = actor_graph(project(store, view="actors") if lean else project(store))
        else:
            G = project(store)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"view": view, "seconds": round(seconds, 2), "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(), "peak_rss_mb": round(peak)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--views", default="actors,full")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--kg", default=str(ROOT), help="the checkout whose kg package is measured")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, args.kg)
    if args.child:
        print(json.dumps(measure(args.store, args.child)))
        return
    for view in args.views.split(","):
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, args.store, "--kg", args.kg, "--child", view],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{r['view']:7} {r['seconds']:8.2f} s  {r['peak_rss_mb']:6} MB peak  "
                  f"{r['nodes']:,} nodes  {r['edges']:,} edges", flush=True)


if __name__ == "__main__":
    main()
