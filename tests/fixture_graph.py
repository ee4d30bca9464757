"""The hand-written fixture graph (tests/fixtures/mini.trig) loaded into a fresh store."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.store import Store, from_ox

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
ID = "https://w3id.org/dkg/id/"


def build_store(path: Path) -> Path:
    """A store at `path` holding the fixture, one named graph per article, written through Store.write."""
    graphs: dict = defaultdict(list)
    for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG):
        graphs[from_ox(q.graph_name)].append((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    with Store(path) as store:
        store.write([(g, triples, False) for g, triples in graphs.items()])
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """The fixture store, built once per test module."""
    return build_store(tmp_path_factory.mktemp("fixture") / "store")


@pytest.fixture
def store(store_path):
    with kg.open_store(store_path, readonly=True) as s:
        yield s
