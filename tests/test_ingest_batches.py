"""How ingest writes (issue 6): batches bounded by bytes as well as articles, entity entries loaded
once per store session, and the final compaction that a user can defer to `kg optimize`."""
from __future__ import annotations

import importlib

import pytest

from conftest import KG, write_article
from fakes import fake_extract
from kg.ingest import ingest_articles
from kg.store import Store
from kg.vocab import ENTITY_GRAPH


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr("kg.extract.extract", fake_extract)


def record_loads(store: Store) -> list[bytes]:
    """What each bulk load of `store` is given, from now on (pyoxigraph's own type cannot be patched)."""
    loads: list[bytes] = []
    store._ox = _Recording(store._ox, loads)
    return loads


class _Recording:
    def __init__(self, inner, loads: list):
        self.inner, self.loads = inner, loads

    def bulk_load(self, data, **kw):
        data = data.read() if hasattr(data, "read") else data
        self.loads.append(data)
        return self.inner.bulk_load(data, **kw)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def articles(folder, n):
    for i in range(n):
        write_article(folder / f"a{i}.txt", f"IND met FRA, story {i}.")
    return [str(folder)]


def everything(path) -> set:
    with Store(path, readonly=True) as store:
        return set(store.quads())          # every graph's, the entity graph's too


def test_a_batch_ends_at_its_byte_budget_and_the_store_is_the_same(tmp_path, fake):
    paths = articles(tmp_path / "in", 7)
    with Store(tmp_path / "one") as store:
        loads = record_loads(store)
        assert ingest_articles(store, paths).ok
        assert len(loads) == 1
    with Store(tmp_path / "many") as store:
        loads = record_loads(store)
        assert ingest_articles(store, paths, batch_bytes=1).ok      # every article over the budget
        assert len(loads) == 7
    assert everything(tmp_path / "many") == everything(tmp_path / "one")


def test_an_entity_entry_is_loaded_once_per_session(tmp_path, fake):
    paths = articles(tmp_path / "in", 3)
    with Store(tmp_path / "store") as store:
        loads = record_loads(store)
        ingest_articles(store, paths, batch_size=1)
        card = (b"<https://w3id.org/dkg/id/country/IND> <http://www.w3.org/2000/01/rdf-schema#label>",
                f"<{ENTITY_GRAPH}> .".encode())
        india = [sum(line.startswith(card[0]) and line.endswith(card[1]) for line in data.splitlines())
                 for data in loads]
    assert india == [1, 0, 0]                 # the card's label went in with the first article only
    labels = [q for q in everything(tmp_path / "store")
              if str(q[0]).endswith("/country/IND") and str(q[1]).endswith("#label") and len(q) == 4
              and str(q[3]) == ENTITY_GRAPH]
    assert len(labels) == 1


def test_a_forgotten_entry_memo_only_costs_a_reload(tmp_path, fake, monkeypatch):
    monkeypatch.setattr("kg.store.ENTRY_MEMO", 1)          # the memo is cleared at every batch
    paths = articles(tmp_path / "in", 3)
    with Store(tmp_path / "store") as store:
        ingest_articles(store, paths, batch_size=1)
    with Store(tmp_path / "ref") as store:
        ingest_articles(store, paths)
    assert everything(tmp_path / "store") == everything(tmp_path / "ref")


@pytest.mark.parametrize("optimize, calls", [(True, 1), (False, 0)])
def test_the_final_compaction_can_be_left_for_later(tmp_path, fake, monkeypatch, optimize, calls):
    monkeypatch.setattr(importlib.import_module("kg.ingest"), "OPTIMIZE_AFTER_QUADS", 1)   # kg.ingest: the function
    done = []
    monkeypatch.setattr(Store, "optimize", lambda self: done.append(self))
    with Store(tmp_path / "store") as store:
        ingest_articles(store, articles(tmp_path / "in", 2), optimize=optimize)
    assert len(done) == calls


def test_kg_optimize_after_ingests_without_it(tmp_path, fake):
    cmd = KG(tmp_path / "store")
    first = cmd("ingest", "--no-optimize", *articles(tmp_path / "jan", 2))
    second = cmd("ingest", "--no-optimize", *articles(tmp_path / "feb", 2))
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    before = everything(tmp_path / "store")
    done = cmd("optimize", "--store", tmp_path / "store", store=False)
    assert done.exit_code == 0 and "compacted in" in done.output
    assert everything(tmp_path / "store") == before
    assert "--no-optimize" in cmd("ingest", "--help", store=False).output
    assert "kg ingest --no-optimize" in cmd("optimize", "--help", store=False).output


def test_kg_optimize_needs_a_store(tmp_path):
    result = KG(tmp_path / "none")("optimize", "--store", tmp_path / "none", store=False)
    assert result.exit_code != 0
