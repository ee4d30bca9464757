"""The benchmark behind `make bench`: every figure printed next to a baseline measured in the same run.

    a  extraction articles/s on one core        vs  spacy.blank("en") tokenisation of the same texts
       (a sample of the corpus, --sample articles)
    b  `kg ingest --workers N` end to end        vs  a (one core): articles/s, quads/s, store on disk,
       peak RSS of the parent and of the largest worker, RSS of the parent at 25/50/100%
    d  re-ingest of the unchanged corpus         vs  the first ingest (target: >= 20x faster)
    e  p50/p95 of each canned query              vs  one scan of every fact in the store (same run);
       (--rdflib also runs each query on rdflib's in-memory Dataset holding the same quads)
    v  network page (kg.api.viz): actors view and a 5,000-node full view, seconds and page size
    s  extraction score of the dev set (shared scorer, KG-F1)  vs  the seeds' KG-F1

Each phase runs in a fresh Python process, so one phase's memory and caches never colour another's
peak RSS. Results go to tests/benchmarks/results/latest.json (and profile.txt with --profile).

    python tests/benchmarks/run.py                          # 2,000 generated articles, under 5 minutes
    python tests/benchmarks/run.py --n 10000 --out results/n10000.json
    python tests/benchmarks/run.py --n 100000 --skip score  # the target run of issue 6 (long)
    python tests/benchmarks/run.py --corpus FILE.jsonl --profile
    python tests/benchmarks/run.py --corpus FILE.jsonl --skip extract,queries,viz,score   # ingest only
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
def phase_extract(corpus: str, sample: int, **_) -> dict:
    """a: extraction on one core over a sample, against plain tokenisation of the same texts."""
    import spacy

    from kg.extract import extract
    from kg.extract.pipeline import build_nlp
    arts = list(read_corpus(corpus, sample))
    nlp = spacy.blank("en")
    t, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe((a.text for a in arts), batch_size=64))
    tok_s, tok_cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    build_nlp()
    extract(arts[0])
    startup = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    facts = sum(len(extract(a).facts) for a in arts)
    dt, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"articles": len(arts), "seconds": dt, "articles_per_s": len(arts) / dt, "facts": facts,
            "startup_s": startup, "tokenise_articles_per_s": len(arts) / tok_s,
            # CPU time: the fair rate on a machine shared with other work
            "cpu_articles_per_s": len(arts) / cpu, "tokenise_cpu_articles_per_s": len(arts) / tok_cpu,
            "tokens_per_article": tokens / len(arts)}


def phase_ingest(corpus: str, n: int, workdir: str, workers: int, **_) -> dict:
    """b, d: the whole corpus through kg.ingest with `workers` processes, then again unchanged. The
    parent's RSS, the elapsed time and the load average are sampled at every 10% of the articles
    (a flat parent stays flat as the store grows); CPU seconds are split between parent and workers."""
    import kg
    store_path = Path(workdir) / "store"
    marks = {max(1, n * k // 100): f"{k}%" for k in (*range(10, 101, 10), 25, 75)}
    rss = {"start": rss_mb()}
    over_time = []
    seen = [0]

    def progress(_source):
        seen[0] += 1
        if seen[0] in marks:
            rss[marks[seen[0]]] = rss_mb()
            over_time.append({"at": marks[seen[0]], "s": round(time.perf_counter() - t, 1),
                              "rss_mb": round(rss_mb()), "load": os.getloadavg()[0],
                              "store_mb": round(folder_mb(store_path))})
            print(f"... ingest {over_time[-1]}", file=sys.stderr)

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    with kg.open_store(store_path) as store:
        t = time.perf_counter()
        first = kg.ingest(store, [corpus], workers=workers, progress=progress)
        first_s = time.perf_counter() - t
        quads = len(store)
    size = folder_mb(store_path)
    peak = peak_rss_mb()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    parent_cpu = me.ru_utime + me.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    worker_cpu = kids.ru_utime + kids.ru_stime
    worker_peak = kids.ru_maxrss / 1024
    with kg.open_store(store_path) as store:
        t = time.perf_counter()
        again = kg.ingest(store, [corpus])
        again_s = time.perf_counter() - t
    settled = folder_mb(store_path)     # after a reopen RocksDB has dropped its obsolete log files
    return {"articles": n, "workers": workers, "seconds": first_s, "articles_per_s": n / first_s,
            "triples_written": first.triples, "quads_per_s": first.triples / first_s, "store_quads": quads,
            "store_mb": size, "store_mb_reopened": settled, "store_kb_per_article": settled * 1024 / n, "peak_rss_mb": peak,
            "worker_peak_rss_mb": worker_peak, "rss_mb": rss, "over_time": over_time, "failed": len(first.failed),
            "parent_cpu_s": parent_cpu, "worker_cpu_s": worker_cpu,
            "cpu_ms_per_article": {"parent": parent_cpu * 1000 / n, "workers": worker_cpu * 1000 / n},
            "reingest_s": again_s, "reingest_unchanged": len(again.unchanged),
            "reingest_speedup": first_s / again_s}


FACT_SCAN = "SELECT (COUNT(*) AS ?n) WHERE { ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?article }"


def phase_queries(workdir: str, queries: list, runs: int, budget: float, timeout: float, **_) -> dict:
    """e: each canned query as `kg query` runs it (store read-only). The first run has a time limit
    (a child process, killed when the time is up); the timed runs follow only if it finished."""
    import kg
    out = {}
    with kg.open_store(Path(workdir) / "store", readonly=True) as store:
        scan = timed_runs(lambda: len(kg.query(store, FACT_SCAN)), runs, budget)
        out["(fact scan)"] = {"p50_ms": percentile(scan, 0.5), "p95_ms": percentile(scan, 0.95), "runs": len(scan)}
        for label, name, params in queries:
            print(f"... query {label}", file=sys.stderr)
            try:
                t = time.perf_counter()
                rows = len(kg.query(store, name, params, timeout=timeout))
                first_ms = (time.perf_counter() - t) * 1000
                samples = timed_runs(lambda: len(kg.query(store, name, params)), runs, budget)
            except Exception as err:  # noqa: BLE001 - a timeout or failure is a finding, not a crash
                out[label] = {"error": f"{type(err).__name__}: {err}"[:200]}
                continue
            out[label] = {"rows": rows, "first_ms": first_ms, "runs": len(samples),
                          "p50_ms": percentile(samples, 0.5), "p95_ms": percentile(samples, 0.95)}
    return out


def phase_viz(workdir: str, **_) -> dict:
    """v: the network page for the actors view and for a 5,000-node full view."""
    import kg
    out = {}
    with kg.open_store(Path(workdir) / "store", readonly=True) as store:
        for label, opts in (("actors", {"view": "actors"}), ("full-5000", {"view": "full", "max_nodes": 5000})):
            page = Path(workdir) / f"{label}.html"
            t = time.perf_counter()
            summary = kg.viz(store, page, force=True, **opts)
            out[label] = {"seconds": time.perf_counter() - t, "page_kb": page.stat().st_size / 1024,
                          "nodes": summary.nodes, "edges": summary.edges}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def phase_score(workdir: str, shared: str, **_) -> dict:
    """s: the dev set (and the seeds, as the baseline) through ingest, TriG export and the shared scorer."""
    import kg
    score = Path(shared) / "eval" / "score.py"
    if not score.is_file():
        return {"error": f"no scorer at {score}"}
    out = {}
    for label, articles, gold in (("devset", ROOT / "tests" / "devset" / "articles", ROOT / "tests" / "devset" / "gold"),
                                  ("seeds", ROOT / "seeds", Path(shared) / "eval" / "gold")):
        store_path, trig = Path(workdir) / f"score-{label}", Path(workdir) / f"{label}.trig"
        with kg.open_store(store_path) as store:
            kg.ingest(store, [articles])
            kg.export(store, "trig", trig, force=True)
        proc = subprocess.run([sys.executable, str(score), "--gold", str(gold), "--graph", str(trig), "--json"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            out[label] = {"error": (proc.stderr.strip().splitlines() or ["scorer failed"])[-1]}
            continue
        result = json.loads(proc.stdout)
        out[label] = {"kg_f1": result["kg_f1"], "articles": sum(1 for _ in Path(articles).glob("*.txt"))}
    return out


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def phase_rdflib(workdir: str, queries: list, runs: int, budget: float, timeout: float, **_) -> dict:
    from rdflib import Dataset, Literal, Variable

    import kg
    from kg import api
    nq = Path(workdir) / "store.nq"
    with kg.open_store(Path(workdir) / "store", readonly=True) as store:
        kg.export(store, "nquads", nq, force=True)
    ds = Dataset(default_union=True)
    t = time.perf_counter()
    ds.parse(str(nq), format="nquads")
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


PHASES = {"extract": phase_extract, "ingest": phase_ingest, "queries": phase_queries, "viz": phase_viz,
          "score": phase_score, "rdflib": phase_rdflib, "profile": phase_profile}


def run_phase(name: str, spec: dict, timeout: float | None = None) -> dict:
    """One phase in a fresh interpreter; its JSON result read back from stdout."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    try:
        proc = subprocess.run([sys.executable, __file__, "--phase", name, "--spec", json.dumps(spec)],
                              stdout=subprocess.PIPE, text=True, env=env, timeout=timeout)   # progress: live on stderr
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:g}s"}
    if proc.returncode != 0:
        return {"error": f"phase {name} failed (exit {proc.returncode}; its message is above)"}
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


def count_articles(corpus: str) -> int:
    return sum(1 for _ in read_corpus(corpus))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles to generate (default 2000; target run: 100000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", help="an existing corpus (folder or .jsonl) instead of generating one")
    ap.add_argument("--workers", type=int, default=2, help="extraction processes for the ingest (default 2)")
    ap.add_argument("--sample", type=int, default=300, help="articles in the one-core extraction sample")
    ap.add_argument("--query-runs", type=int, default=10, help="timed runs per query (fewer if slow)")
    ap.add_argument("--query-budget", type=float, default=1.0, help="seconds of repeated runs per query")
    ap.add_argument("--query-timeout", type=float, default=10.0, help="give up on a query after this many seconds")
    ap.add_argument("--rdflib", action="store_true", help="also run the queries on rdflib (slow; small corpora)")
    ap.add_argument("--rdflib-max-quads", type=int, default=1_500_000,
                    help="skip the rdflib baseline above this many quads (it holds everything in memory)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (eval/score.py)")
    ap.add_argument("--profile", action="store_true", help="also cProfile extraction (results/profile.txt)")
    ap.add_argument("--profile-n", type=int, default=200)
    ap.add_argument("--skip", default="", help="comma-separated phases to skip (e.g. viz,score)")
    ap.add_argument("--out", help="results file (default results/latest.json)")
    ap.add_argument("--workdir", help="keep the corpus and store here (default: a temporary folder, removed)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](**json.loads(args.spec))))
        return 0

    RESULTS.mkdir(exist_ok=True)
    out_file = Path(args.out) if args.out else RESULTS / "latest.json"
    if not out_file.is_absolute() and args.out:
        out_file = HERE / out_file
    skip = set(filter(None, args.skip.split(",")))
    workdir = args.workdir or tempfile.mkdtemp(prefix="kg-bench-")
    Path(workdir).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        corpus = args.corpus
        if not corpus:
            import generate
            t = time.perf_counter()
            corpus = str(generate.write_corpus(args.n, Path(workdir) / "corpus.jsonl", args.seed))
            print(f"generated {args.n:,} articles in {time.perf_counter() - t:.1f}s -> {corpus}", file=sys.stderr)
        n = count_articles(corpus)
        spec = {"corpus": corpus, "n": n, "workdir": workdir, "workers": args.workers, "sample": min(args.sample, n),
                "queries": canned_queries(), "runs": args.query_runs, "budget": args.query_budget,
                "profile_n": args.profile_n, "timeout": args.query_timeout, "shared": args.shared}
        res = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "articles": n, "seed": args.seed,
               "corpus": args.corpus or "generated", "cpus": os.cpu_count(), "python": sys.version.split()[0],
               "load_avg_start": os.getloadavg()[0]}
        order = ["extract", "ingest", "queries", "viz", "score"] + (["rdflib"] if args.rdflib else []) \
            + (["profile"] if args.profile else [])
        for name in order:
            if name in skip:
                continue
            if name == "rdflib" and res.get("ingest", {}).get("store_quads", 0) > args.rdflib_max_quads:
                res["rdflib"] = {"skipped": f"more than {args.rdflib_max_quads:,} quads"}
                continue
            if name in ("queries", "viz", "rdflib") and "error" in res.get("ingest", {"error": 1}):
                continue
            print(f"... {name}", file=sys.stderr)
            t = time.perf_counter()
            res[name] = run_phase(name, spec)
            res[name]["wall_s"] = time.perf_counter() - t
        res["total_s"] = time.perf_counter() - started
        res["load_avg_end"] = os.getloadavg()[0]
        out_file.write_text(json.dumps(res, indent=2, default=str) + "\n")
        print(table(res))
        print(f"\n(results: {out_file})")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def table(r: dict) -> str:
    """The short table: one line per figure, its same-run baseline and the ratio beside it."""
    lines = [f"defence-kg benchmark: {r['articles']:,} articles, {r['cpus']} CPUs, Python {r['python']}, "
             f"load average {r.get('load_avg_start', 0):.1f} at start, {r.get('total_s', 0) / 60:.1f} min", ""]
    row = "{:<36} {:>14} {:>22} {:>9}".format
    lines.append(row("figure", "value", "baseline", "ratio"))
    ext, ing = r.get("extract", {}), r.get("ingest", {})
    if "articles_per_s" in ext:
        lines.append(row("a  extraction, 1 core (art/s)", f"{ext['articles_per_s']:.1f}",
                         f"tokenise {ext['tokenise_articles_per_s']:.0f}",
                         f"{ext['articles_per_s'] / ext['tokenise_articles_per_s']:.3f}"))
        if "cpu_articles_per_s" in ext:
            lines.append(row("   same, per CPU second (art/s)", f"{ext['cpu_articles_per_s']:.1f}",
                             f"tokenise {ext['tokenise_cpu_articles_per_s']:.0f}",
                             f"{ext['cpu_articles_per_s'] / ext['tokenise_cpu_articles_per_s']:.3f}"))
    if "seconds" in ing:
        one = ext.get("articles_per_s")
        lines += [row(f"b  ingest, {ing['workers']} workers (art/s)", f"{ing['articles_per_s']:.1f}",
                      f"1 core extract {one:.1f}" if one else "", f"{ing['articles_per_s'] / one:.2f}" if one else ""),
                  row("   quads written /s", f"{ing['quads_per_s']:,.0f}", f"{ing['triples_written']:,} quads", ""),
                  row("   store on disk, reopened (MB)", f"{ing.get('store_mb_reopened', ing['store_mb']):.1f}",
                      f"{ing['store_kb_per_article']:.0f} KB/article", ""),
                  row("   peak RSS parent / worker (MB)", f"{ing['peak_rss_mb']:.0f} / {ing['worker_peak_rss_mb']:.0f}", "", ""),
                  row("   parent RSS 25/50/100% (MB)", "/".join(f"{ing['rss_mb'].get(k, 0):.0f}" for k in ("25%", "50%", "100%")),
                      f"start {ing['rss_mb'].get('start', 0):.0f}", ""),
                  row("   CPU ms/article parent / workers", "{parent:.1f} / {workers:.1f}".format(
                      **ing["cpu_ms_per_article"]) if "cpu_ms_per_article" in ing else "", "", ""),
                  row("d  re-ingest unchanged (s)", f"{ing['reingest_s']:.2f}", f"first {ing['seconds']:.1f}s",
                      f"{ing['reingest_speedup']:.0f}x")]
    queries, rdf = r.get("queries", {}), r.get("rdflib", {})
    scan = queries.get("(fact scan)", {})
    for label, q in queries.items():
        if label == "(fact scan)" or not isinstance(q, dict):
            continue
        base = rdf.get("queries", {}).get(label, {})
        if "p95_ms" in base:
            baseline, ratio = f"rdflib {base['p50_ms']:.0f}/{base['p95_ms']:.0f}", f"{base['p95_ms'] / q.get('p95_ms', 1):.1f}x"
        elif "p50_ms" in scan:
            baseline = f"fact scan {scan['p50_ms']:.0f}"
            ratio = f"{q['p50_ms'] / scan['p50_ms']:.1f}" if "p50_ms" in q and scan["p50_ms"] else ""
        else:
            baseline, ratio = "", ""
        value = f"{q['p50_ms']:.0f}/{q['p95_ms']:.0f}" if "p95_ms" in q else q.get("error", "?")[:14]
        lines.append(row(f"e  {label[:26]} p50/95 ms"[:36], value, baseline[:22], ratio))
    if "load_s" in rdf:
        lines.append(row("   rdflib load (s) / peak RSS (MB)", f"{rdf['load_s']:.1f}", f"{rdf['peak_rss_mb']:.0f} MB", ""))
    viz = r.get("viz", {})
    for label in ("actors", "full-5000"):
        if label in viz:
            v = viz[label]
            lines.append(row(f"v  viz {label} (s / KB)", f"{v['seconds']:.1f} / {v['page_kb']:.0f}",
                             f"{v['nodes']} nodes, {v['edges']} edges", ""))
    score = r.get("score", {})
    if "kg_f1" in score.get("devset", {}):
        seeds = score.get("seeds", {}).get("kg_f1")
        lines.append(row(f"s  dev set KG-F1 ({score['devset']['articles']} art.)", f"{score['devset']['kg_f1']:.3f}",
                         f"seeds {seeds:.3f}" if seeds is not None else "", ""))
    errors = [f"{k}: {v['error']}" for k, v in r.items() if isinstance(v, dict) and "error" in v]
    errors += [f"query {k}: {v['error']}" for k, v in queries.items() if isinstance(v, dict) and "error" in v]
    return "\n".join(lines + [f"ERROR {e}" for e in errors])


if __name__ == "__main__":
    sys.exit(main())
