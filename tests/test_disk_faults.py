"""A full disk and a read-only store: one clear line, a non-zero exit, the store intact and usable.

The full disk is a small tmpfs (real ENOSPC) where mounting is allowed, and a file-size limit
(RLIMIT_FSIZE with SIGXFSZ ignored, so writes fail with EFBIG) everywhere. The read-only store is
a read-only bind mount: the tests run as root, and chmod does not stop root from writing.
"""
from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, run_kg

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402


def mount(*args) -> bool:
    return subprocess.run(["mount", *map(str, args)], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    where = tmp_path / "disk"
    where.mkdir()
    if not shutil.which("mount") or not mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", where):
        pytest.skip("cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def articles(store: Path) -> list[str]:
    result = run_kg("query", "--store", store, "articles", "--format", "csv")
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.splitlines()[1:])


def assert_one_line_error(result, *words):
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert len(errors) == 1 and all(w in errors[0] for w in words), result.stderr


def test_full_disk(small_disk, tmp_path):
    store = small_disk / "store"
    assert run_kg("ingest", "--store", store, SEEDS).returncode == 0
    before = articles(store)
    corpus = generate.write_corpus(60, tmp_path / "corpus", seed=5)
    full = run_kg("ingest", "--store", store, corpus)
    assert_one_line_error(full, "No space left on device")
    assert articles(store) == before                       # intact: the seeds still answer
    assert mount("-o", "remount,size=200m", small_disk)   # room again: the same store is usable
    again = run_kg("ingest", "--store", store, corpus)
    assert again.returncode == 0, again.stderr
    assert "60 added" in again.stdout
    assert len(articles(store)) == len(before) + 60


def limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_file_size_limit(tmp_path):
    store = tmp_path / "store"
    assert run_kg("ingest", "--store", store, SEEDS).returncode == 0
    before = articles(store)
    corpus = generate.write_corpus(60, tmp_path / "corpus", seed=5)
    limited = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--store", str(store), str(corpus)],
                             cwd=REPO, capture_output=True, text=True, preexec_fn=limit_file_size, timeout=600)
    assert_one_line_error(limited, "File too large", "the store keeps what it had")
    assert articles(store) == before
    again = run_kg("ingest", "--store", store, corpus)
    assert again.returncode == 0 and "60 added" in again.stdout, again.stderr


@pytest.fixture
def read_only_store(seeded_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(seeded_store, copy)
    view = tmp_path / "ro"
    view.mkdir()
    if not mount("--bind", copy, view):
        pytest.skip("cannot bind-mount here (needs root or CAP_SYS_ADMIN)")
    try:
        if not mount("-o", "remount,ro,bind", view):
            pytest.skip("cannot make a read-only bind mount here")
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True)


def test_read_only_store(read_only_store, tmp_path):
    before = articles(read_only_store)
    result = run_kg("ingest", "--store", read_only_store, "--force", SEEDS)
    assert_one_line_error(result, "read-only")
    assert articles(read_only_store) == before
    assert run_kg("stats", "--store", read_only_store).returncode == 0
    out = tmp_path / "graph.trig"
    export = run_kg("export", "--store", read_only_store, "-o", out)
    assert export.returncode == 0 and out.stat().st_size > 0, export.stderr
