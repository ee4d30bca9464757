"""The library API a notebook uses, and the canned queries against real stores."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal

import kg
from kg import catalog
from kg.articles import Article
from kg.errors import QueryError, StoreError
from kg.extract.model import Entity, Extraction, Fact
from kg.rdfbuild import article_triples
from kg.vocab import article_iri


def agreements_extraction(article):
    ex = Extraction(date=article.date, sentences=[(0, len(article.text))], text=article.text)
    ents = [Entity("Country", "IND", "India", iso3="IND"), Entity("Country", "BEL", "Belgium", iso3="BEL"),
            Entity("Organisation", "European Union", "European Union", org_kind="international"),
            Entity("Person", "Kaja Kallas", "Kaja Kallas", titles=["High Representative"])]
    ex.entities = {e.id: e for e in ents}
    ex.facts = [
        Fact("Agreement", "test", [0], participants=["Country:IND", "Organisation:European Union"],
             signatories=["Person:Kaja Kallas"], status="signed", date=dt.date(2026, 1, 27),
             label="India–European Union Security and Defence Partnership"),
        Fact("Agreement", "test", [0], participants=["Country:IND", "Country:BEL"], status="proposed",
             label="India–Belgium defence cooperation mechanism"),
    ]
    return ex


@pytest.fixture
def store(tmp_path):
    art = Article(key="a", source="a.txt", date=dt.date(2026, 1, 27), text="Two agreements.")
    with kg.open_store(tmp_path / "store") as s:
        s.write([(article_iri(art.key), article_triples(art, agreements_extraction(art)), False)])
        yield s


def test_agreements_query(store):
    rows = kg.query(store, "agreements").dicts()
    assert [r["label"] for r in rows] == ["India–European Union Security and Defence Partnership",
                                          "India–Belgium defence cooperation mechanism"]
    signed, proposed = rows
    assert signed["status"] == "signed" and signed["date"] == dt.date(2026, 1, 27)
    assert signed["parties"] == "European Union, India" and signed["signatories"] == "Kaja Kallas"
    assert signed["article"] == "a.txt"
    assert proposed["status"] == "proposed" and proposed["date"] is None


def test_agreements_by_status(store):
    assert [r["status"] for r in kg.query(store, "agreements", {"status": "proposed"}).dicts()] == ["proposed"]
    assert len(kg.query(store, "agreements", {"status": Literal("signed")})) == 1


@pytest.mark.parametrize("value", ['signed" } DROP ALL { "', "signed' . ?x ?y ?z #", "\\u0022 }", "<urn:x>", ""])
def test_hostile_parameters_are_values(store, value):
    assert len(kg.query(store, "agreements", {"status": value})) == 0
    assert len(kg.query(store, "agreements")) == 2          # and nothing was changed


def test_unknown_parameter(store):
    with pytest.raises(QueryError, match="unknown parameter since"):
        kg.query(store, "agreements", {"since": "2025-01-01"})


def test_query_by_sparql_text_and_limit(store):
    result = kg.query(store, "SELECT ?a WHERE { ?a a <https://w3id.org/dkg/ontology#Agreement> }", limit=1)
    assert len(result) == 1


@pytest.mark.parametrize("update", ["DROP ALL", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL ; SELECT * {}"])
def test_update_is_not_a_query(store, update):
    with pytest.raises(QueryError):
        kg.query(store, update)
    assert len(kg.query(store, "agreements")) == 2


def test_every_canned_query_runs(store):
    for q in catalog.available():
        kg.query(store, q.name)


def test_stats(store):
    info = kg.stats(store)
    assert info["articles"] == 1 and info["classes"]["Agreement"] == 2
    assert info["first_date"] == info["last_date"] == dt.date(2026, 1, 27)


def test_export_to_a_binary_stream(store, tmp_path):
    import io
    buf = io.BytesIO()
    kg.export(store, "nquads", buf)
    assert b"Kaja Kallas" in buf.getvalue()


def test_missing_store_is_not_created_for_reading(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        kg.open_store(tmp_path / "elsewhere", readonly=True)
    assert not (tmp_path / "elsewhere").exists()


def test_api_names_stay_functions(store, tmp_path):
    kg.viz(store, tmp_path / "p.html")
    kg.export(store, "turtle", tmp_path / "g.ttl")
    kg.stats(store)
    for name in ("open_store", "ingest", "query", "export", "stats", "viz"):
        assert callable(getattr(kg, name)), f"kg.{name} was shadowed by a submodule of the same name"


def test_seed_agreements(seeded_store):
    """Issue 2's acceptance: the seeds' two agreements, through the real extractor."""
    with kg.open_store(seeded_store, readonly=True) as s:
        rows = kg.query(s, "agreements").dicts()
    eu = [r for r in rows if "European Union" in r["parties"] and "partnership" in r["label"].lower()]
    be = [r for r in rows if "Belgium" in r["parties"] and "mechanism" in r["label"].lower()]
    assert eu and eu[0]["status"] == "signed" and eu[0]["date"] == dt.date(2026, 1, 27), rows
    assert be and be[0]["status"] == "proposed", rows
