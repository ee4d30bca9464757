"""Shared fixtures: a CliRunner that fails loudly on tracebacks, scratch stores, small articles."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))     # the corpus generator and query timer
SEEDS = REPO / "seeds"


class KG:
    """Runs `kg ...` in-process; every run is checked for tracebacks."""

    def __init__(self, store: Path):
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args, input=None, store=True):
        argv = [str(a) for a in args]
        if store and argv and argv[0] in {"ingest", "query", "export", "viz", "stats"}:
            argv[1:1] = ["--store", str(self.store)]
        result = self.runner.invoke(cli, argv, input=input, catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.output
        return result


@pytest.fixture
def cmd(tmp_path) -> KG:
    return KG(tmp_path / "store")


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory) -> Path:
    """The seeds ingested once per session; tests that read it must not write to it."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    result = KG(store)("ingest", SEEDS)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def seeded(seeded_store, tmp_path) -> KG:
    """A KG runner on a private copy of the seeded store."""
    copy = tmp_path / "seeded"
    shutil.copytree(seeded_store, copy)
    return KG(copy)


GENERATED_ARTICLES = 240


def generated_corpus(folder: Path, n: int, seed: int = 11) -> Path:
    """`n` articles of tests/benchmarks/generate.py as JSON Lines in `folder`."""
    import generate  # tests/benchmarks, on the path below
    path = folder / "corpus.jsonl"
    generate.write_corpus(n, path, seed=seed)
    return path


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory) -> Path:
    """A store of GENERATED_ARTICLES generated articles, ingested with two workers: shared by the
    tests that compare a fast path (windows, tallies) with the whole query. Open it read-only, or
    copy it before writing."""
    import kg
    base = tmp_path_factory.mktemp("generated")
    path = base / "store"
    with kg.open_store(path) as store:
        summary = kg.ingest(store, [str(generated_corpus(base, GENERATED_ARTICLES))], workers=2)
    assert summary.ok and len(summary.added) == GENERATED_ARTICLES
    return path


@pytest.fixture
def generated(generated_store):
    """The generated store, opened read-only."""
    import kg
    with kg.open_store(generated_store, readonly=True) as store:
        yield store


def write_article(path: Path, text: str, date: str = "2025-03-03") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f" date {date} {text}", encoding="utf-8")
    return path


def run_kg(*args, cwd=None) -> subprocess.CompletedProcess:
    """`kg` in a fresh process, for persistence across processes."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120)
