"""Ingest: idempotent, atomic per article, persistent across processes, never stopped by one article."""
from __future__ import annotations

import pytest
from rdflib import URIRef

import kg
from conftest import SEEDS, run_kg, write_article
from fakes import fake_extract
from kg.ingest import ingest_articles
from kg.store import FORMAT_VERSION, Store
from kg.vocab import DKG, article_iri


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr("kg.extract.extract", fake_extract)


def quads(store_path, graph=None) -> set:
    with Store(store_path, readonly=True) as store:
        return set(store.quads(graph))


def graph_of(path) -> URIRef:
    return article_iri(str(path.resolve()))


def test_reingest_changes_nothing(cmd):
    assert cmd("ingest", SEEDS).exit_code == 0
    before = quads(cmd.store)
    again = cmd("ingest", SEEDS)
    assert again.exit_code == 0
    assert "0 added, 2 unchanged, 0 replaced, 0 failed; 0 triples written" in again.output
    assert quads(cmd.store) == before


def test_changed_article_replaces_its_graph_only(cmd, tmp_path, fake):
    a = write_article(tmp_path / "in" / "a.txt", "IND met FRA in Paris.")
    b = write_article(tmp_path / "in" / "b.txt", "DEU met JPN in Tokyo.")
    assert cmd("ingest", tmp_path / "in").exit_code == 0
    b_before = quads(cmd.store, graph_of(b))
    write_article(a, "IND met BEL in Brussels.")
    result = cmd("ingest", tmp_path / "in")
    assert "0 added, 1 unchanged, 1 replaced" in result.output
    a_now = quads(cmd.store, graph_of(a))
    objects = {o for _, _, o, _ in a_now}
    assert URIRef("https://w3id.org/dkg/id/country/BEL") in objects
    assert URIRef("https://w3id.org/dkg/id/country/FRA") not in objects
    assert len([q for q in a_now if q[1] == DKG.contentHash]) == 1
    assert quads(cmd.store, graph_of(b)) == b_before


def test_force_reextracts(cmd, tmp_path, fake):
    write_article(tmp_path / "a.txt", "IND met FRA.")
    cmd("ingest", tmp_path / "a.txt")
    result = cmd("ingest", "--force", tmp_path / "a.txt")
    assert "0 added, 0 unchanged, 1 replaced" in result.output


def test_extraction_error_is_a_failed_entry(cmd, tmp_path, fake):
    write_article(tmp_path / "in" / "bad.txt", "IND and FAIL.")
    write_article(tmp_path / "in" / "good.txt", "IND met FRA.")
    result = cmd("ingest", tmp_path / "in")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {tmp_path / 'in' / 'bad.txt'}: extraction failed "
                      "(RuntimeError: the extractor tripped on purpose)"]
    assert "1 added" in result.output
    assert quads(cmd.store, graph_of(tmp_path / "in" / "bad.txt")) == set()


def test_same_article_twice_in_one_run(cmd):
    result = cmd("ingest", SEEDS, SEEDS / "000_d3ded9d413c739a5.txt")
    assert result.exit_code == 0
    assert "2 added, 1 unchanged" in result.output


def test_small_batches(tmp_path, fake):
    for i in range(7):
        write_article(tmp_path / "in" / f"a{i}.txt", f"IND met FRA, story {i}.")
    with kg.open_store(tmp_path / "store") as store:
        summary = ingest_articles(store, [str(tmp_path / "in")], batch_size=3)
        assert len(summary.added) == 7 and summary.ok
        assert len(kg.query(store, "articles")) == 7


def test_library_summary(tmp_path):
    seen = []
    with kg.open_store(tmp_path / "store") as store:
        summary = kg.ingest(store, [SEEDS], progress=seen.append)
    assert summary.ok and summary.articles == 2 and len(summary.added) == 2
    assert summary.triples > 0
    assert len(seen) == 2


def test_persists_across_processes(tmp_path):
    store = tmp_path / "store"
    first = run_kg("ingest", "--store", store, SEEDS)
    assert first.returncode == 0, first.stderr
    second = run_kg("query", "--store", store, "articles", "--format", "csv")
    assert second.returncode == 0, second.stderr
    assert len(second.stdout.splitlines()) == 3
    third = run_kg("ingest", "--store", store, SEEDS)
    assert "2 unchanged" in third.stdout


def test_second_writer_is_refused_clearly(cmd, tmp_path):
    with kg.open_store(cmd.store):
        result = cmd("ingest", SEEDS)
    assert result.exit_code == 1
    assert "busy" in result.output and "Traceback" not in result.output


def test_foreign_folder_is_refused_and_untouched(cmd, tmp_path):
    foreign = tmp_path / "important"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("do not touch")
    result = cmd("ingest", "--store", foreign, SEEDS, store=False)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {foreign}: exists and is not a defence-kg store")
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert (foreign / "notes.txt").read_text() == "do not touch"
    for command in (["query", "articles"], ["stats"], ["export", "--format", "trig"]):
        refused = cmd(*command, "--store", foreign, store=False)
        assert refused.exit_code == 1 and "not a defence-kg store" in refused.output
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_entity_graph_holds_each_entity_once(tmp_path):
    from fixture_graph import build_store

    from kg.vocab import ENTITY_GRAPH, RDFS
    path = build_store(tmp_path / "store")
    entities = quads(path, URIRef(ENTITY_GRAPH))
    india = URIRef("https://w3id.org/dkg/id/country/IND")
    assert [str(o) for s, p, o, _ in entities if s == india and p == RDFS.label] == ["India"]
    assert not any(p == DKG.engagesWith for _, p, _, _ in entities)          # a per-article relation
    assert not any("/event/" in str(s) or "/article/" in str(s) for s, _, _, _ in entities)


def test_version_1_store_is_upgraded_on_first_write_open(tmp_path):
    import json

    from fixture_graph import build_store

    from kg.errors import StoreError
    from kg.vocab import ENTITY_GRAPH
    path = build_store(tmp_path / "store")
    with Store(path) as store:
        expected = kg.query(store, "people").dicts()
        store.remove(URIRef(ENTITY_GRAPH))                  # what a version-1 store looked like
    marker = path / "kg-store.json"
    marker.write_text(json.dumps(dict(json.loads(marker.read_text()), version=1)))
    with pytest.raises(StoreError, match="older defence-kg.*kg ingest --store"):
        Store(path, readonly=True)
    with Store(path) as store:                              # a writing open upgrades it, once
        assert kg.query(store, "people").dicts() == expected
    assert json.loads(marker.read_text())["version"] == FORMAT_VERSION


def test_workers_write_the_same_graph_as_one(tmp_path):
    import shutil

    from conftest import KG, REPO
    src = tmp_path / "in"
    shutil.copytree(REPO / "tests" / "devset" / "articles", src)
    (src / "zz-bad.txt").write_text("no date header here")
    one = KG(tmp_path / "one")("ingest", "--workers", "1", src)
    two = KG(tmp_path / "two")("ingest", "--workers", "2", src)
    assert one.exit_code == two.exit_code == 1                  # the bad file still fails the run
    n = len(list((REPO / "tests" / "devset" / "articles").glob("*.txt")))
    assert "zz-bad.txt" in two.output and f"{n} added" in two.output and "1 failed" in two.output
    assert quads(tmp_path / "two") == quads(tmp_path / "one")
    again = KG(tmp_path / "two")("ingest", "--workers", "auto", src / "d01.txt")
    assert again.exit_code == 0 and "1 unchanged" in again.output


def test_workers_must_be_a_number(cmd):
    result = cmd("ingest", "--workers", "many", SEEDS)
    assert result.exit_code == 2 and "not a number of processes" in result.output


def half_loaded_store(tmp_path, fake) -> tuple:
    """A store whose last bulk load was killed before its journal was deleted: two articles loaded
    before it, and one (named in the journal) that the killed load may have left half written."""
    import json

    from kg.store import JOURNAL
    (tmp_path / "in").mkdir()
    kept = [write_article(tmp_path / "in" / f"a{i}.txt", f"Article {i}: India and Pakistan held talks.")
            for i in range(2)]
    with Store(tmp_path / "store") as store:
        ingest_articles(store, [str(tmp_path / "in")])
    late = write_article(tmp_path / "late.txt", "India signed a deal with France.")
    with Store(tmp_path / "store") as store:
        ingest_articles(store, [str(late)])
    (tmp_path / "store" / JOURNAL).write_text(json.dumps({"graphs": [str(graph_of(late))]}))
    return tmp_path / "store", [graph_of(p) for p in kept], graph_of(late)


def test_leftover_journal_is_rolled_back_before_anyone_reads(tmp_path, fake):
    from kg.store import JOURNAL
    path, kept, late = half_loaded_store(tmp_path, fake)
    with Store(path, readonly=True) as store:                # a reader rolls it back first
        graphs = set(store.graphs())
        assert late not in graphs and set(kept) <= graphs
        assert all(store.content_hash(g) for g in kept)
    assert not (path / JOURNAL).exists()
    summary = kg.ingest(kg.open_store(path), [str(tmp_path / "late.txt")])
    assert summary.added == [str(tmp_path / "late.txt")]          # re-running completes it


def test_reader_refuses_a_half_loaded_store_it_cannot_roll_back(tmp_path, fake):
    from kg.errors import StoreError
    from kg.store import JOURNAL
    path, _, late = half_loaded_store(tmp_path, fake)
    (path / JOURNAL).rename(path / "journal.aside")
    with Store(path, readonly=True):                         # another reader holds the store open
        (path / "journal.aside").rename(path / JOURNAL)
        with pytest.raises(StoreError, match="interrupted ingest left a batch of articles half written"):
            Store(path, readonly=True)
    with Store(path) as store:                               # the next writer rolls it back
        assert late not in set(store.graphs())
    assert not (path / JOURNAL).exists()


def test_a_failed_bulk_load_is_rolled_back_at_once(tmp_path, fake, monkeypatch):
    import pyoxigraph

    from kg.errors import StoreError
    from kg.store import JOURNAL
    write_article(tmp_path / "a.txt", "India and Pakistan held talks.")

    def load_half_then_fail(self, data, **kw):
        data = data.read() if hasattr(data, "read") else data
        real_load(self, data[:len(data) // 2].rsplit(b"\n", 1)[0] + b"\n", **kw)
        raise OSError("No space left on device")
    with Store(tmp_path / "store") as store:
        real_load = pyoxigraph.Store.bulk_load
        monkeypatch.setattr(store, "_ox", _Wrapped(store._ox, load_half_then_fail))
        with pytest.raises(StoreError, match="No space left on device"):
            ingest_articles(store, [str(tmp_path / "a.txt")])
        assert graph_of(tmp_path / "a.txt") not in set(store.graphs())
        assert not list(store.quads(graph_of(tmp_path / "a.txt")))
    assert not (tmp_path / "store" / JOURNAL).exists()


class _Wrapped:
    """A pyoxigraph Store whose bulk_load is replaced (pyoxigraph's own type cannot be patched)."""

    def __init__(self, inner, bulk_load):
        self._inner, self._bulk_load = inner, bulk_load

    def bulk_load(self, data, **kw):
        return self._bulk_load(self._inner, data, **kw)

    def __getattr__(self, name):
        return getattr(self._inner, name)
