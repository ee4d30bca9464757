"""The extractor version on every article graph: a new version re-extracts unchanged text."""
from __future__ import annotations

import shutil
import sys

import pytest

import kg
from conftest import write_article
from fakes import fake_extract
from kg.extract import version
from kg.ingest import ingest_articles
from kg.rdfbuild import article_graph, dkg
from kg.store import Store
from kg.vocab import article_iri


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr("kg.extract.extract", fake_extract)


def stored_version(store_path, path) -> str | None:
    with Store(store_path, readonly=True) as store:
        return store.extractor_version(article_iri(str(path.resolve())))


def test_version_is_package_version_and_fingerprint():
    v = version.current()
    assert v.startswith(kg.__version__ + "+")
    assert len(v.split("+")[1]) == 12
    assert version.current() is v            # computed once


def test_fingerprint_follows_the_data_files(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(version.DATA, data)
    monkeypatch.setattr(version, "DATA", data)
    before = version.current.__wrapped__()
    assert before == version.current()       # the copy reads the same as the real files
    (data / "titles.txt").write_text((data / "titles.txt").read_text() + "Grand Vizier\n")
    assert version.current.__wrapped__() != before


def test_graph_records_the_version(tmp_path, fake):
    art = write_article(tmp_path / "a.txt", "IND met FRA.")
    with kg.open_store(tmp_path / "store") as store:
        assert ingest_articles(store, [str(art)]).ok
    assert stored_version(tmp_path / "store", art) == version.current()


def test_new_extractor_version_reextracts_unchanged_text(tmp_path, fake, monkeypatch):
    art = write_article(tmp_path / "a.txt", "IND met FRA.")
    store_path = tmp_path / "store"
    with kg.open_store(store_path) as store:
        ingest_articles(store, [str(art)])
        again = ingest_articles(store, [str(art)])
    assert again.unchanged == [str(art)] and not again.replaced

    monkeypatch.setattr(version, "current", lambda: "9.9.9+feedfacecafe")
    with kg.open_store(store_path) as store:
        newer = ingest_articles(store, [str(art)])
        after = ingest_articles(store, [str(art)])
    assert newer.replaced == [str(art)] and not newer.unchanged
    assert stored_version(store_path, art) == "9.9.9+feedfacecafe"
    assert after.unchanged == [str(art)]      # and then it is unchanged again


def test_graph_without_a_version_is_reextracted(tmp_path, fake, monkeypatch):
    """Stores written before versions were kept: their articles are extracted again, once."""
    art = write_article(tmp_path / "a.txt", "IND met FRA.")
    store_path = tmp_path / "store"
    def without_version(a, ex):
        graph = article_graph(a, ex)
        graph.triples = [t for t in graph.triples if t[1] != dkg.extractorVersion]
        return graph
    monkeypatch.setattr(sys.modules["kg.ingest"], "article_graph", without_version)
    with kg.open_store(store_path) as store:
        ingest_articles(store, [str(art)])
    assert stored_version(store_path, art) is None
    monkeypatch.undo()
    monkeypatch.setattr("kg.extract.extract", fake_extract)
    with kg.open_store(store_path) as store:
        assert ingest_articles(store, [str(art)]).replaced == [str(art)]
    assert stored_version(store_path, art) == version.current()
