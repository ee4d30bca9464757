"""SIGKILL fault injection: `kg ingest` killed at random points never leaves half an article.

A reference store is ingested once. Then `python -m kg.cli ingest` runs on the same corpus into a
scratch store and is killed with SIGKILL: while the store is being created and opened, during
extraction, in the middle of a bulk load (while its undo journal exists), in the middle of a
replacing transaction, and near the end. After every kill the store must open, and
every article graph in it must be exactly its reference graph (all its quads) or absent. When a
store has every article, the next run is `--force`, so kills also land in the replace path. At the
end the same ingest is re-run and must leave the store equal to the reference.

The run is seeded and small by default (about a minute); KG_FAULT_RUNS=100 makes a bigger run and
KG_FAULT_SEED picks another seed. Run with -s to see the figures.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO
from kg import tallies
from kg.errors import StoreError
from kg.store import JOURNAL, Store
from kg.vocab import DAYS_GRAPH, ENTITY_GRAPH, ONTOLOGY_GRAPH, TALLIES_GRAPH, YEARS_GRAPH

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402

ARTICLES = 150
BATCH = 20            # several transactions per run, so kills land between and inside writes
RUNS = int(os.environ.get("KG_FAULT_RUNS", "10"))
SEED = int(os.environ.get("KG_FAULT_SEED", "7"))

# `python -m kg.cli`, with a smaller write batch than the default so one run commits several times.
LAUNCH = ("import importlib, runpy, sys; importlib.import_module('kg.ingest').ingest_articles.__kwdefaults__["
          "'batch_size'] = "
          f"{BATCH}; sys.argv[0] = 'kg'; runpy.run_module('kg.cli', run_name='__main__')")


def start(store: Path, corpus: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, "ingest", "--store", str(store), "--no-progress",
                             *extra, str(corpus)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def graphs_of(store: Path) -> dict[str, frozenset]:
    """Every named graph's quads. Opening the store is part of the check: a reader may only be
    refused when the first ingest died before writing anything, and then a writer must open it."""
    try:
        s = Store(store, readonly=True, create=False)
    except StoreError as err:
        assert "holds no data yet" in str(err) or "interrupted" in str(err), err
        s = Store(store)
        assert {str(g) for g in s.graphs()} <= {ONTOLOGY_GRAPH}, "readers refused a store that holds articles"
    by_graph = defaultdict(set)
    with s:
        for subject, predicate, obj, graph in s.quads():
            by_graph[str(graph)].add(f"{subject.n3()} {predicate.n3()} {obj.n3()}")
    return {g: frozenset(q) for g, q in by_graph.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate.write_corpus(ARTICLES, tmp_path_factory.mktemp("faults") / "corpus", seed=SEED)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("reference") / "store"
    t = time.monotonic()
    proc = start(store, corpus)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return graphs_of(store), time.monotonic() - t


def kill_when(proc: subprocess.Popen, ready, deadline: float) -> None:
    """SIGKILL as soon as `ready()` is true, or at `deadline` (monotonic), or never if it exits first."""
    started = time.monotonic()
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.stderr_text = proc.communicate(timeout=600)[1]
    proc.seconds = time.monotonic() - started


def wal_size(store: Path) -> int:
    """Bytes in Oxigraph's write-ahead logs: they grow when a transaction commits."""
    total = 0
    for log in (store / "oxigraph").glob("*.log"):
        try:
            total += log.stat().st_size
        except OSError:
            pass
    return total


def commits_seen(store: Path, k: int):
    """A test that turns true once the write-ahead logs have grown k times."""
    state = {"size": wal_size(store), "grown": 0}

    def ready() -> bool:
        size = wal_size(store)
        state["grown"] += size > state["size"]
        state["size"] = size
        return state["grown"] >= k
    return ready


def loads_seen(store: Path, k: int):
    """A test that turns true while the k-th bulk load of the run is under way (its journal exists)."""
    journal = store / JOURNAL
    state = {"there": journal.exists(), "seen": 0}

    def ready() -> bool:
        there = journal.exists()
        state["seen"] += there and not state["there"]
        state["there"] = there
        return there and state["seen"] >= k
    return ready


DKG = "https://w3id.org/dkg/ontology#"
# each derived index: its count property, the properties whose values it counts, their datatype
INDEXES = {DAYS_GRAPH: (f"<{DKG}dateCount>", (f"<{DKG}date>", "<http://purl.org/dc/terms/date>"), "#date>"),
           YEARS_GRAPH: (f"<{DKG}yearCount>", (f"<{DKG}year>",), "#gYear>")}


def index_counts(graph: str, quads) -> dict[str, int]:
    """Value -> count: of an index's nodes (N-Triples lines of DAYS_GRAPH or YEARS_GRAPH), or of
    the values it counts (days, years) among article graphs' lines."""
    count, properties, datatype = INDEXES[graph]
    counts: dict[str, int] = defaultdict(int)
    for line in quads:
        s, p, o = line.split(" ", 2)
        if p == count:
            counts[s.rsplit("/", 1)[-1].rstrip(">")] += int(o.split('"')[1])
        elif p in properties and datatype in o:
            counts[o.split('"')[1]] += 1
    return counts


def parsed(lines) -> list:
    """Lines of graphs_of (rdflib's n3 of each term) as pyoxigraph triples."""
    return list(ox.parse("".join(f"{line} .\n" for line in lines).encode(), format=ox.RdfFormat.TURTLE))


def settled_tallies(graphs: dict) -> set:
    """The tallies graph's lines once a writer has counted in what a killed run left (its marks):
    done here on an in-memory copy of every graph, as the next writer would (kg.tallies)."""
    db = ox.Store()
    for g, lines in graphs.items():
        db.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for t in parsed(lines))
    tallies.count_in(db, *tallies.left_uncounted(db))
    return {f"{q.subject} {q.predicate} {q.object}" for q in db.quads_for_pattern(None, None, None, tallies.GRAPH)}


def tally_lines(graphs: dict) -> set:
    """The tallies the article graphs among `graphs` make, as N-Triples lines."""
    total: dict = {}
    for g, lines in graphs.items():
        if "/article/" in g:
            tallies.add(total, tallies.of_terms(parsed(lines), g))
    return {line for k, st in tallies.complete(total).items() if st["n"] > 0 for line in tallies._view(k, st)}


def check_whole_or_absent(store: Path, ref: dict[str, frozenset]) -> tuple[int, list[str]]:
    """(articles present, graphs that are neither whole nor absent). The entity graph, an index
    written in the same transactions, may only hold entries of the reference's; the day and year
    indexes must list every day and year of the articles present (a count may be too high, never
    too low); the tallies must be exactly those of the articles present."""
    got = graphs_of(store)
    index = got.pop(ENTITY_GRAPH, frozenset())
    derived = {g: index_counts(g, got.pop(g, frozenset())) for g in INDEXES}
    settled = settled_tallies(got)
    got.pop(TALLIES_GRAPH, None)
    broken = [] if settled == tally_lines(got) else [TALLIES_GRAPH]
    broken += [g for g, quads in got.items() if g not in ref or quads != ref[g]]
    if not index <= ref[ENTITY_GRAPH]:
        broken.append(ENTITY_GRAPH)
    for g, counted in derived.items():
        held = index_counts(g, (q for quads in got.values() for q in quads))
        if any(counted.get(value, 0) < n for value, n in held.items()):
            broken.append(g)
    present = len(got) - (ONTOLOGY_GRAPH in got)
    return present, broken


def test_sigkill_leaves_whole_articles_and_rerun_completes(corpus, reference, tmp_path):
    ref, ref_seconds = reference
    assert len(ref) == ARTICLES + 5          # one graph per article, the ontology's, the entity, day and year indexes, the tallies
    rng = random.Random(SEED)
    store = tmp_path / "store"
    faults = fresh = partial = journals = 0
    phases = defaultdict(int)
    trace = []                                 # articles in the store after each kill
    for run in range(RUNS):
        present = 0
        if store.exists():
            present, _ = check_whole_or_absent(store, ref)
        complete = present == ARTICLES
        if run % 5 == 0 or (complete and rng.random() < 0.3):
            shutil.rmtree(store, ignore_errors=True)       # a new store: kill it while it is being made
            fresh += 1
            marker, db = store / "kg-store.json", store / "oxigraph"
            point = rng.choice(["marker", "database", "open"])
            ready = {"marker": marker.exists, "database": db.exists,
                     "open": lambda: db.exists() and any(db.glob("*.log"))}[point]
            proc = start(store, corpus)
            kill_when(proc, ready, time.monotonic() + ref_seconds)
            phases[f"store {point}"] += 1
        elif rng.random() < 0.4:
            # new articles: while the k-th bulk load runs; replacements: when the k-th transaction is logged
            extra = ("--force",) if complete else ()
            proc = start(store, corpus, *extra)
            ready = commits_seen(store, rng.randint(1, 4)) if complete else loads_seen(store, rng.randint(1, 3))
            kill_when(proc, ready, time.monotonic() + 2 * ref_seconds)
            phases["during a transaction" if complete else "during a bulk load"] += 1
        else:
            extra = ("--force",) if complete else ()
            at = rng.uniform(0.3, 1.05) * ref_seconds
            proc = start(store, corpus, *extra)
            kill_when(proc, lambda: False, time.monotonic() + at)
            phases["replace (--force)" if extra else ("near the end" if at > 0.85 * ref_seconds else "mid-run")] += 1
        killed = proc.returncode == -signal.SIGKILL
        if not killed and present in (0, ARTICLES):         # a whole run finished first: the machine is
            ref_seconds = min(ref_seconds, proc.seconds)    # faster than when the reference ran; aim earlier
        assert killed or proc.returncode == 0, f"run {run}: ingest failed by itself: {proc.stderr_text}"
        faults += killed
        if not store.exists():
            continue
        journals += (store / JOURNAL).exists()       # a bulk load was cut short: the check below reads it
        present, broken = check_whole_or_absent(store, ref)
        assert not broken, f"run {run}: half-written article graphs after SIGKILL: {broken[:3]}"
        partial += 0 < present < ARTICLES
        trace.append(present)

    proc = start(store, corpus)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    final = graphs_of(store)
    # the day and year indexes may count too high after a kill (kg.derived), never miss a value
    for g in INDEXES:
        counted, ref_counted = index_counts(g, final.pop(g, ())), index_counts(g, ref[g])
        assert all(counted.get(value, 0) >= n for value, n in ref_counted.items()), g
    ref = {g: quads for g, quads in ref.items() if g not in INDEXES}
    lost = [g for g in ref if final.get(g) != ref[g]]
    print(f"\nfault injection: {RUNS} runs, {faults} SIGKILLs ({dict(phases)}), {fresh} fresh stores, "
          f"{partial} stores left with some articles, {journals} half-done bulk loads rolled back, "
          f"{len(lost)} articles lost "
          f"(corpus {ARTICLES} articles, batch {BATCH}, seed {SEED}); articles after each kill: {trace}")
    assert faults >= RUNS // 2, "most runs must actually be killed before they finish"
    assert journals or not phases["during a bulk load"], "no kill landed inside a bulk load"
    assert not lost
    assert final == ref
