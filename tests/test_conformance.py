"""The seeds' graph against the data model contract (kg.conformance), and the checker itself."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from fakes import fake_extract
from kg import vocab
from kg.articles import Article
from kg.conformance import check_dataset, check_graph
from kg.rdfbuild import article_triples
from kg.store import Store
from kg.vocab import DKG, RDF, RDFS


def dataset_of(store_path) -> Dataset:
    ds = Dataset(default_union=True)
    with Store(store_path, readonly=True) as store:
        for s, p, o, g in store.quads():
            ds.add((s, p, o, g))
    return ds


def test_seeds_keep_the_structural_contract(seeded_store):
    """Everything the extractor produced on the seeds is well-formed: required properties of every
    entity and fact present, values in the vocabularies, targets of the right class, symmetric
    engagesWith, each article graph self-contained."""
    assert check_dataset(dataset_of(seeded_store)) == []


@pytest.mark.xfail(reason="the whole contract (titles, affiliations, event dates, signatories) needs the "
                          "extraction issue; the lead removes this mark when it lands", strict=False)
def test_seeds_keep_the_whole_contract(seeded_store):
    assert check_dataset(dataset_of(seeded_store), strict=True) == []


def test_seeds_have_articles_with_provenance(seeded_store):
    ds = dataset_of(seeded_store)
    articles = set(ds.subjects(RDF.type, DKG.Article))
    assert len(articles) == 2
    for a in articles:
        assert any(g.identifier == a for g in ds.graphs())       # each article is its own named graph


def test_fake_extraction_conforms():
    art = Article(key="k", source="k.txt", date=dt.date(2025, 3, 3), text="IND met FRA.")
    g = Graph()
    for t in article_triples(art, fake_extract(art)):
        g.add(t)
    assert check_graph(g) == []


def test_checker_finds_problems():
    g = Graph()
    country, person, event = URIRef("urn:c"), URIRef("urn:p"), URIRef("urn:e")
    g.add((country, RDF.type, DKG.Country))
    g.add((country, RDF.type, DKG.Actor))
    g.add((country, RDFS.label, Literal("Atlantis")))
    g.add((country, DKG.isoCode, Literal("atl")))
    g.add((person, RDF.type, DKG.Person))                     # no Actor type, no label
    g.add((event, RDF.type, DKG.Meeting))                     # no Event type
    g.add((event, DKG.date, Literal("2025-13-45", datatype=vocab.XSD.date)))
    g.add((event, DKG.polarity, Literal("friendly")))
    g.add((event, DKG.participant, URIRef("urn:nobody")))
    g.add((country, DKG.engagesWith, person))
    problems = "\n".join(check_graph(g))
    for expected in ["Person urn:p: not also typed dkg:Actor", "Meeting urn:e: not also typed dkg:Event",
                     "isoCode 'atl' is not ISO 3166-1 alpha-3", "dkg:date", "is not a valid xsd:date",
                     "polarity 'friendly'", "participant urn:nobody is not a Actor",
                     "engagesWith urn:p but not the reverse", "engagesWith urn:p is not a Country or Organisation"]:
        assert expected in problems, expected
    assert "Person urn:p: missing dkg:title" not in problems
    assert "Person urn:p: missing dkg:title" in check_graph(g, strict=True)
