"""Two processes on one store: one writer at a time, the others told clearly that the store is busy.

The rule (kg ingest --help): a second `kg ingest` on a store that is being written stops at once with
"the store is busy" (exit 1) and changes nothing; `kg query`, `stats` and `export` say the same
while an ingest runs; readers share the store with each other.
"""
from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, run_kg

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402

ARTICLES = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate.write_corpus(ARTICLES, tmp_path_factory.mktemp("concurrency") / "corpus", seed=3)


def kg(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def writer_holds_lock(store: Path) -> bool:
    """Read from /proc/locks, so that looking never takes the lock from the writer."""
    try:
        inode = (store / "lock").stat().st_ino
    except OSError:
        return False
    locks = Path("/proc/locks").read_text().splitlines()
    return any("FLOCK" in line and "WRITE" in line and line.split()[5].endswith(f":{inode}") for line in locks)


def wait_for_writer(store: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not writer_holds_lock(store):
        assert proc.poll() is None, "the ingest finished before the test could race it"
        assert time.monotonic() < deadline
        time.sleep(0.01)


def article_count(store: Path) -> int:
    result = run_kg("query", "--store", store, "articles", "--format", "csv")
    assert result.returncode == 0, result.stderr
    return len(result.stdout.splitlines()) - 1


def test_second_ingest_and_readers_are_told_the_store_is_busy(corpus, tmp_path):
    store = tmp_path / "store"
    first = kg("ingest", "--store", store, "--no-progress", corpus)
    wait_for_writer(store, first)
    t = time.monotonic()
    second = run_kg("ingest", "--store", store, SEEDS)
    readers = [run_kg(*args) for args in (("query", "--store", store, "articles"), ("stats", "--store", store),
                                          ("export", "--store", store, "--format", "nquads"))]
    waited = time.monotonic() - t
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 1 and "the store is busy" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    for r in readers:
        assert r.returncode != 0 and r.stderr.startswith("Error:") and "busy" in r.stderr, r.stderr
        assert len(r.stderr.splitlines()) == 1
    assert waited < 60, "refusals are immediate, not a wait for the writer"
    # the refused ingest changed nothing: the first one's articles are all there, the seeds are not
    assert article_count(store) == ARTICLES
    again = run_kg("ingest", "--store", store, corpus)
    assert again.returncode == 0 and f"0 added, {ARTICLES} unchanged" in again.stdout


def test_two_ingests_started_together_never_corrupt_the_store(corpus, tmp_path):
    store = tmp_path / "store"
    procs = [kg("ingest", "--store", store, "--no-progress", corpus) for _ in range(2)]
    results = [(p.wait(timeout=600), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0, results
    for code, err in results:
        assert code == 0 or (code == 1 and "the store is busy" in err), err
    assert article_count(store) == ARTICLES
    again = run_kg("ingest", "--store", store, corpus)
    assert again.returncode == 0 and f"0 added, {ARTICLES} unchanged" in again.stdout


def test_readers_share_the_store(seeded_store):
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda name: run_kg("query", "--store", seeded_store, name, "--format", "csv"),
                                ["articles", "agreements", "articles"]))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert results[0].stdout == results[2].stdout


OPEN = ("import sys; from kg.errors import StoreError; from kg.store import Store\n"
        "try:\n    Store(sys.argv[1]).close()\nexcept StoreError as err:\n    sys.exit(str(err))")


def test_processes_creating_one_store_at_once(tmp_path):
    """The race of two first ingests on a new store: each either creates it or is told it is busy."""
    for round_ in range(8):
        store = tmp_path / f"store{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(store)], cwd=REPO, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
        for p in procs:
            err = p.communicate(timeout=120)[1]
            assert p.returncode == 0 or "the store is busy" in err, err
        assert run_kg("stats", "--store", store).returncode == 0
