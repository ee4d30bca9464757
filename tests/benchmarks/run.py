"""The benchmark behind `make bench`: every figure printed next to a baseline measured in the same run.

    a  extraction articles/s on one core      vs  spacy.blank("en") tokenisation of the same texts
    b  extraction with 2 worker processes      vs  the same pool code with 1 process
    c  end-to-end ingest through kg.api        (articles/s, quads/s, store size on disk, peak RSS)
    d  re-ingest of the unchanged corpus       vs  the first ingest (target: >= 20x faster)
    e  p50/p95 of each canned query            vs  rdflib's in-memory Dataset holding the same quads
    f  RSS after 25/50/100% of the corpus during extraction (flat = no growth with the corpus)

Each phase runs in a fresh Python process, so one phase's memory and caches never colour another's
peak RSS. Results go to tests/benchmarks/results/latest.json (and profile.txt with --profile).

    python tests/benchmarks/run.py                    # 2,000 generated articles, a few minutes
    python tests/benchmarks/run.py --n 100000         # the target run of issue 6 (long; no rdflib)
    python tests/benchmarks/run.py --corpus FILE.jsonl --profile
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

RESULTS = HERE / "results"
EXAMPLE = re.compile(r"\(example:\s*([^)]+)\)")


# -- measuring helpers ----------------------------------------------------------------------------
def rss_mb() -> float:
    """Resident memory now (not the peak), from /proc; 0 where there is no /proc."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # KiB on Linux


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def timed_runs(fn, max_runs: int, budget_s: float) -> list[float]:
    """Up to max_runs timings (ms) of fn(), fewer when they would overrun budget_s (at least 1)."""
    samples: list[float] = []
    spent = 0.0
    while len(samples) < max_runs and (not samples or spent < budget_s):
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        samples.append(dt * 1000)
        spent += dt
    return samples


def read_corpus(corpus: str, limit: int | None = None):
    """Articles streamed from the corpus through the project's own reader."""
    from kg.articles import Article, read_articles
    n = 0
    for item in read_articles([corpus]):
        if isinstance(item, Article):
            yield item
            n += 1
            if limit is not None and n >= limit:
                return


# -- phases (each runs in its own process; prints one JSON object) ------------------------------
def phase_tokenise(corpus: str, n: int, **_) -> dict:
    import spacy
    nlp = spacy.blank("en")
    t, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe((a.text for a in read_corpus(corpus)), batch_size=64))
    dt, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"articles": n, "seconds": dt, "articles_per_s": n / dt, "tokens_per_article": tokens / n,
            "cpu_articles_per_s": n / cpu}


def phase_extract(corpus: str, n: int, **_) -> dict:
    from kg.extract import extract
    from kg.extract.pipeline import build_nlp
    t = time.perf_counter()
    build_nlp()
    first = next(read_corpus(corpus))
    extract(first)
    startup = time.perf_counter() - t
    marks = {max(1, n // 4): "25%", max(1, n // 2): "50%", n: "100%"}
    rss = {"start": rss_mb()}
    facts = done = 0
    t, cpu = time.perf_counter(), time.process_time()
    for art in read_corpus(corpus):
        facts += len(extract(art).facts)
        done += 1
        if done in marks:
            rss[marks[done]] = rss_mb()
    dt, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"articles": done, "seconds": dt, "articles_per_s": done / dt, "facts": facts,
            "cpu_articles_per_s": done / cpu,
            "startup_s": startup, "rss_mb": rss, "peak_rss_mb": peak_rss_mb()}


def _worker_init() -> None:
    from kg.extract.pipeline import build_nlp
    build_nlp()


def _worker_ready(_) -> int:
    time.sleep(0.3)        # long enough that every worker takes one: all have finished their init
    return os.getpid()


def _worker_extract(art) -> int:
    from kg.extract import extract
    return len(extract(art).facts)


def phase_parallel(corpus: str, n: int, workers: int = 2, **_) -> dict:
    import multiprocessing as mp
    out = {}
    ctx = mp.get_context("spawn")       # each worker builds its own pipeline, as `kg ingest --workers` would
    for procs in sorted({1, workers}):
        t0 = time.perf_counter()
        with ctx.Pool(procs, initializer=_worker_init) as pool:
            pool.map(_worker_ready, range(procs), chunksize=1)
            startup = time.perf_counter() - t0
            t = time.perf_counter()
            facts = sum(pool.imap(_worker_extract, read_corpus(corpus), chunksize=8))
            dt = time.perf_counter() - t
        out[str(procs)] = {"articles_per_s": n / dt, "seconds": dt, "startup_s": startup, "facts": facts}
    return out


def phase_ingest(corpus: str, n: int, workdir: str, queries: list, runs: int, budget: float, **_) -> dict:
    import kg
    store_path = Path(workdir) / "store"
    with kg.open_store(store_path) as store:
        t = time.perf_counter()
        first = kg.ingest(store, [corpus])
        first_s = time.perf_counter() - t
        quads = len(store)
    size = folder_mb(store_path)
    peak = peak_rss_mb()
    with kg.open_store(store_path) as store:
        t = time.perf_counter()
        again = kg.ingest(store, [corpus])
        again_s = time.perf_counter() - t
        kg.export(store, "nquads", Path(workdir) / "store.nq", force=True)
    return {"articles": n, "seconds": first_s, "articles_per_s": n / first_s, "triples_written": first.triples,
            "quads_per_s": first.triples / first_s, "store_quads": quads, "store_mb": size, "peak_rss_mb": peak,
            "failed": len(first.failed), "reingest_s": again_s, "reingest_unchanged": len(again.unchanged),
            "reingest_speedup": first_s / again_s}


def phase_query(workdir: str, label: str, name: str, params: dict, runs: int, budget: float, **_) -> dict:
    """One canned query against the store, opened read-only as `kg query` opens it."""
    import kg
    with kg.open_store(Path(workdir) / "store", readonly=True) as store:
        t = time.perf_counter()
        rows = len(kg.query(store, name, params))
        first_ms = (time.perf_counter() - t) * 1000
        samples = timed_runs(lambda: len(kg.query(store, name, params)), runs, budget)
    return {"rows": rows, "first_ms": first_ms, "runs": len(samples), "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95)}


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def phase_rdflib(workdir: str, queries: list, runs: int, budget: float, timeout: float, **_) -> dict:
    from rdflib import Dataset, Literal, Variable

    from kg import api
    ds = Dataset(default_union=True)
    t = time.perf_counter()
    ds.parse(str(Path(workdir) / "store.nq"), format="nquads")
    load_s = time.perf_counter() - t
    latency = {}
    for label, name, params in queries:
        sparql, _ = api.resolve_query(name)
        bindings = {Variable(k): Literal(v) for k, v in params.items()}
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(int(timeout))      # rdflib is pure Python, so an alarm can stop it
        try:
            rows = len(list(ds.query(sparql, initBindings=bindings)))
            samples = timed_runs(lambda: len(list(ds.query(sparql, initBindings=bindings))), runs, budget)
        except Timeout:
            latency[label] = {"error": f"timeout after {timeout:g}s"}
            continue
        except Exception as err:  # noqa: BLE001 - an rdflib failure is a finding, not a crash
            latency[label] = {"error": f"{type(err).__name__}: {err}"[:200]}
            continue
        finally:
            signal.alarm(0)
        latency[label] = {"rows": rows, "runs": len(samples), "p50_ms": percentile(samples, 0.5),
                          "p95_ms": percentile(samples, 0.95)}
    return {"load_s": load_s, "quads": len(ds), "peak_rss_mb": peak_rss_mb(), "queries": latency}


def phase_profile(corpus: str, n: int, profile_n: int = 200, **_) -> dict:
    from kg.extract import extract
    arts = list(read_corpus(corpus, profile_n))
    extract(arts[0])                     # pipeline construction is not what we profile
    prof = cProfile.Profile()
    prof.enable()
    for a in arts:
        extract(a)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(r"kg/extract", 40)
    (RESULTS / "profile.txt").write_text(buf.getvalue())
    ours = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        if "kg/extract" in file:
            ours.append({"where": f"{Path(file).relative_to(ROOT)}:{line} {func}", "calls": nc,
                         "tottime_s": tt, "cumtime_s": ct})
    ours.sort(key=lambda r: -r["tottime_s"])
    return {"articles": len(arts), "total_s": stats.total_tt, "top_tottime": ours[:15]}


PHASES = {"tokenise": phase_tokenise, "extract": phase_extract, "parallel": phase_parallel,
          "ingest": phase_ingest, "query": phase_query, "rdflib": phase_rdflib, "profile": phase_profile}


def run_phase(name: str, spec: dict, timeout: float | None = None) -> dict:
    """One phase in a fresh interpreter; its JSON result read back from stdout."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    try:
        proc = subprocess.run([sys.executable, __file__, "--phase", name, "--spec", json.dumps(spec)],
                              capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:g}s"}
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the whole run ---------------------------------------------------------------------------------
def canned_queries() -> list[tuple[str, str, dict]]:
    """(label, name, params): each canned query bare, and once more with its header's example values."""
    from kg import catalog
    out = []
    for q in catalog.available():
        out.append((q.name, q.name, {}))
        examples = {p: EXAMPLE.search(desc) for p, desc in q.params.items()}
        if q.params and all(examples.values()):
            params = {p: m.group(1).strip() for p, m in examples.items()}
            out.append((q.name + "(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")", q.name, params))
    return out


def run_queries(spec: dict) -> dict:
    out = {}
    for label, name, params in spec["queries"]:
        print(f"... query {label}", file=sys.stderr)
        one = dict(spec, label=label, name=name, params=params)
        out[label] = run_phase("query", one, timeout=spec["timeout"] + spec["budget"] + 3)
    return out


def count_articles(corpus: str) -> int:
    return sum(1 for _ in read_corpus(corpus))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles to generate (default 2000; target run: 100000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", help="an existing corpus (folder or .jsonl) instead of generating one")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--query-runs", type=int, default=20, help="timed runs per query (fewer if slow)")
    ap.add_argument("--query-budget", type=float, default=1.0, help="seconds of repeated runs per query per engine")
    ap.add_argument("--query-timeout", type=float, default=2.0,
                    help="give up on a query (per engine) after this many seconds")
    ap.add_argument("--rdflib-max-quads", type=int, default=1_500_000,
                    help="skip the rdflib baseline above this many quads (it holds everything in memory)")
    ap.add_argument("--profile", action="store_true", help="also cProfile extraction (results/profile.txt)")
    ap.add_argument("--profile-n", type=int, default=200)
    ap.add_argument("--skip", default="", help="comma-separated phases to skip (e.g. parallel,rdflib)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](**json.loads(args.spec))))
        return 0

    RESULTS.mkdir(exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    workdir = tempfile.mkdtemp(prefix="kg-bench-")
    try:
        corpus = args.corpus
        if not corpus:
            import generate
            t = time.perf_counter()
            corpus = str(generate.write_corpus(args.n, Path(workdir) / "corpus.jsonl", args.seed))
            print(f"generated {args.n:,} articles in {time.perf_counter() - t:.1f}s -> {corpus}", file=sys.stderr)
        n = count_articles(corpus)
        spec = {"corpus": corpus, "n": n, "workdir": workdir, "workers": args.workers,
                "queries": canned_queries(), "runs": args.query_runs, "budget": args.query_budget,
                "profile_n": args.profile_n, "timeout": args.query_timeout}
        res = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "articles": n, "seed": args.seed,
               "corpus": args.corpus or "generated", "cpus": os.cpu_count(), "python": sys.version.split()[0]}
        order = ["tokenise", "extract", "parallel", "ingest", "queries", "rdflib"] + (["profile"] if args.profile else [])
        for name in order:
            if name in skip:
                continue
            if name == "rdflib" and res.get("ingest", {}).get("store_quads", 0) > args.rdflib_max_quads:
                res["rdflib"] = {"skipped": f"more than {args.rdflib_max_quads:,} quads"}
                continue
            if name in ("queries", "rdflib") and "error" in res.get("ingest", {"error": 1}):
                continue
            if name == "queries":
                res["queries"] = run_queries(spec)
                continue
            print(f"... {name}", file=sys.stderr)
            t = time.perf_counter()
            res[name] = run_phase(name, spec)
            res[name]["wall_s"] = time.perf_counter() - t
        (RESULTS / "latest.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
        print(table(res))
        print(f"\n(results: {RESULTS / 'latest.json'})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def table(r: dict) -> str:
    """The short table: one line per figure, its baseline and the ratio beside it."""
    lines = [f"defence-kg benchmark: {r['articles']:,} articles, {r['cpus']} CPUs, Python {r['python']}", ""]
    row = "{:<34} {:>14} {:>20} {:>9}".format
    lines.append(row("figure", "value", "baseline", "ratio"))
    tok, ext, par = r.get("tokenise", {}), r.get("extract", {}), r.get("parallel", {})
    if "articles_per_s" in ext and "articles_per_s" in tok:
        lines.append(row("a  extraction, 1 core (art/s)", f"{ext['articles_per_s']:.1f}",
                         f"tokenise {tok['articles_per_s']:.0f}", f"{ext['articles_per_s'] / tok['articles_per_s']:.3f}"))
        lines.append(row("   target >= 200 art/s per core", "met" if ext["articles_per_s"] >= 200 else "NOT met", "", ""))
        if "cpu_articles_per_s" in ext and "cpu_articles_per_s" in tok:   # CPU time: fair on a busy machine
            lines.append(row("   same, per CPU second (art/s)", f"{ext['cpu_articles_per_s']:.1f}",
                             f"tokenise {tok['cpu_articles_per_s']:.0f}",
                             f"{ext['cpu_articles_per_s'] / tok['cpu_articles_per_s']:.3f}"))
    if "1" in par and len(par) > 2:
        many = max(k for k in par if k.isdigit())
        lines.append(row(f"b  extraction, {many} workers (art/s)", f"{par[many]['articles_per_s']:.1f}",
                         f"1 worker {par['1']['articles_per_s']:.1f}",
                         f"{par[many]['articles_per_s'] / par['1']['articles_per_s']:.2f}"))
    ing = r.get("ingest", {})
    if "seconds" in ing:
        lines += [row("c  ingest end to end (art/s)", f"{ing['articles_per_s']:.1f}",
                      f"extract {ext.get('articles_per_s', 0):.1f}", ""),
                  row("   quads written /s", f"{ing['quads_per_s']:,.0f}", f"{ing['triples_written']:,} quads", ""),
                  row("   store on disk (MB)", f"{ing['store_mb']:.1f}", "", ""),
                  row("   peak RSS ingest (MB)", f"{ing['peak_rss_mb']:.0f}", "", ""),
                  row("d  re-ingest unchanged (s)", f"{ing['reingest_s']:.2f}", f"first {ing['seconds']:.1f}s",
                      f"{ing['reingest_speedup']:.1f}x")]
    rdf = r.get("rdflib", {})
    for label, q in r.get("queries", {}).items():
        base = rdf.get("queries", {}).get(label, {})
        if "p95_ms" in base:
            baseline = f"rdflib {base['p50_ms']:.0f}/{base['p95_ms']:.0f}"
        else:
            baseline = "rdflib " + base.get("error", rdf.get("skipped", rdf.get("error", "-")))[:14]
        value = f"{q['p50_ms']:.0f}/{q['p95_ms']:.0f}" if "p95_ms" in q else q.get("error", "?")[:14]
        ratio = f"{base['p95_ms'] / q['p95_ms']:.1f}x" if "p95_ms" in base and q.get("p95_ms") else ""
        lines.append(row(f"e  {label[:24]} p50/95 ms"[:34], value, baseline[:20], ratio))
    if "load_s" in rdf:
        lines.append(row("   rdflib load (s) / peak RSS (MB)", f"{rdf['load_s']:.1f}", f"{rdf['peak_rss_mb']:.0f} MB", ""))
    rss = ext.get("rss_mb", {})
    if rss:
        lines.append(row("f  RSS 25/50/100% of corpus (MB)",
                         "/".join(f"{rss.get(k, 0):.0f}" for k in ("25%", "50%", "100%")),
                         f"start {rss.get('start', 0):.0f}", ""))
    errors = [f"{k}: {v['error']}" for k, v in r.items() if isinstance(v, dict) and "error" in v]
    return "\n".join(lines + [f"ERROR {e}" for e in errors])


if __name__ == "__main__":
    sys.exit(main())
