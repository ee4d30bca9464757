"""`kg validate`: the SHACL shapes (kg/shapes.ttl) hold the data model contract, graph by graph."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from fixture_graph import build_store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

import kg
from conftest import KG
from fakes import fake_extract
from kg import vocab
from kg.articles import Article
from kg.rdfbuild import article_triples
from kg.store import Store
from kg.validate import validate_graph
from kg.vocab import DKG, PROV, RDF, RDFS, article_iri


def fake_article_graph(text="IND met FRA.") -> tuple[Graph, URIRef]:
    art = Article(key="k", source="k.txt", date=dt.date(2025, 3, 3), text=text)
    g = Graph()
    for t in article_triples(art, fake_extract(art)):
        g.add(t)
    return g, article_iri("k")


def fact_of(g: Graph, cls) -> URIRef:
    return next(iter(g.subjects(RDF.type, cls)))


def broken_article_graph() -> Graph:
    """The fake article with the three mistakes the brief names, and an agreement to carry a status."""
    g, article = fake_article_graph()
    meeting = fact_of(g, DKG.Meeting)
    g.remove((meeting, DKG.evidence, None))                                        # missing evidence
    g.set((meeting, DKG.date, Literal("2025-03-03")))                              # a string, not an xsd:date
    agreement = URIRef("https://w3id.org/dkg/id/agreement/broken-1")
    g.add((agreement, RDF.type, DKG.Agreement))
    g.add((agreement, RDFS.label, Literal("a pact")))
    g.add((agreement, DKG.party, URIRef("https://w3id.org/dkg/id/country/IND")))
    g.add((agreement, DKG.status, Literal("maybe")))                               # not in the status list
    g.add((agreement, PROV.wasDerivedFrom, article))
    g.add((agreement, DKG.evidence, Literal("IND met FRA.")))
    return g


def messages(problems) -> str:
    return "\n".join(f"{p.focus} {p.path} {p.severity}: {p.message} {p.value}" for p in problems)


def test_the_seeds_conform(seeded):
    result = seeded("validate", "--store", seeded.store)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("Conforms.")
    assert "Checked 3 graphs (2 articles): 0 violations" in result.output


@pytest.mark.xfail(reason="the whole contract (titles, affiliations, event dates, signatories) needs the "
                          "extraction issue; the lead removes this mark when it lands", strict=False)
def test_the_seeds_keep_the_whole_contract(seeded):
    assert seeded("validate", "--store", seeded.store, "--strict").exit_code == 0


def test_the_fixture_graph_only_breaks_on_its_placeholder_hashes(tmp_path):
    """The hand-written fixture has every class of the model (agreements, arms transfers, figures,
    places) and short placeholder content hashes ("a1a1"): those, and only those, are violations."""
    with kg.open_store(build_store(tmp_path / "store"), readonly=True) as store:
        result = kg.api.validate(store)
    assert {(p.path, p.constraint) for p in result.problems} == {(str(DKG.contentHash), "PatternConstraintComponent")}
    assert result.violations == result.articles == 3 and result.graphs == 4
    assert not result.conforms


def test_fake_extraction_conforms():
    g, _ = fake_article_graph("IND and FRA met with USA.")
    assert validate_graph(g) == []


def test_a_broken_graph_gives_the_expected_violations():
    problems = [p for p in validate_graph(broken_article_graph()) if p.severity == "violation"]
    text = messages(problems)
    by_path = {(p.path, p.constraint) for p in problems}
    assert (str(DKG.evidence), "MinCountConstraintComponent") in by_path, text
    assert (str(DKG.date), "DatatypeConstraintComponent") in by_path, text
    assert (str(DKG.status), "InConstraintComponent") in by_path, text
    assert "one dkg:status: signed, agreed, proposed, negotiating or in-force" in text
    assert len(problems) == 3, text


def test_the_cli_reports_violations_grouped_and_exits_1(tmp_path):
    store = tmp_path / "store"
    g = broken_article_graph()
    with Store(store) as s:
        s.write([(article_iri("k"), list(g), False)])
    result = kg_cli("validate", "--store", store)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"k.txt  <{article_iri('k')}>"
    meeting = fact_of(g, DKG.Meeting)
    at = lines.index(f"  {meeting}")
    block = lines[at + 1:at + 3]
    assert block[0].startswith("    dkg:date: violation: dkg:date is one xsd:date  (value: \"2025-03-03\")"), block
    assert block[1] == "    dkg:evidence: violation: a fact has dkg:evidence: the sentence it was read from, not empty"
    assert "    dkg:status: violation: an agreement has one dkg:status" in result.output
    assert lines[-1].startswith("Checked 2 graphs (1 article): 3 violations") and lines[-1].endswith("Does not conform.")


def test_json_and_turtle_reports(tmp_path):
    store = tmp_path / "store"
    with Store(store) as s:
        s.write([(article_iri("k"), list(broken_article_graph()), False)])
    as_json = kg_cli("validate", "--store", store, "--format", "json")
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert report["conforms"] is False and report["violations"] == 3 and len(report["problems"]) == 3
    assert {p["source"] for p in report["problems"]} == {"k.txt"}
    as_turtle = kg_cli("validate", "--store", store, "--format", "turtle")
    assert as_turtle.exit_code == 1
    rg = Graph().parse(data=as_turtle.output, format="turtle")
    report_node = next(iter(rg.subjects(RDF.type, SH.ValidationReport)))
    assert rg.value(report_node, SH.conforms) == Literal(False)
    assert len(list(rg.objects(report_node, SH.result))) == 3


def test_the_checks_of_the_contract():
    """What the hand-written conformance checks caught, SHACL catches: contract classes typed beside
    their subclasses, ISO codes, valid dates, vocabularies, targets of the right class and typed in
    the same graph, symmetric engagesWith."""
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
    problems = validate_graph(g)
    found = {(p.focus, p.path, p.constraint) for p in problems if p.severity == "violation"}
    text = messages(problems)
    expected = [("urn:p", None, "ClassConstraintComponent"),                       # Person not an Actor
                ("urn:p", str(RDFS.label), "MinCountConstraintComponent"),
                ("urn:e", None, "ClassConstraintComponent"),                       # Meeting not an Event
                ("urn:c", str(DKG.isoCode), "PatternConstraintComponent"),
                ("urn:p", None, "OrConstraintComponent"),                          # a person engages
                ("urn:c", "^" + str(DKG.engagesWith), "EqualsConstraintComponent")]   # not materialised back
    for item in expected:
        assert item in found, f"{item}\n{text}"
    # the Meeting is not typed dkg:Event, so the event shapes do not reach it; typed, they do:
    g.add((event, RDF.type, DKG.Event))
    found = {(p.focus, p.path, p.constraint) for p in validate_graph(g) if p.severity == "violation"}
    for item in [("urn:e", str(DKG.date), "DatatypeConstraintComponent"),
                 ("urn:e", str(DKG.polarity), "InConstraintComponent"),
                 ("urn:e", str(DKG.participant), "ClassConstraintComponent"),
                 ("urn:e", str(DKG.evidence), "MinCountConstraintComponent"),
                 ("urn:e", str(PROV.wasDerivedFrom), "MinCountConstraintComponent")]:
        assert item in found, item


def test_warnings_count_only_when_strict():
    g, _ = fake_article_graph()
    person = URIRef("https://w3id.org/dkg/id/person/nobody")
    g.add((person, RDF.type, DKG.Person))
    g.add((person, RDF.type, DKG.Actor))
    g.add((person, RDFS.label, Literal("Nobody")))
    problems = validate_graph(g)
    assert {(p.path, p.severity) for p in problems} == {(str(DKG.title), "warning"),
                                                        (str(DKG.affiliatedWith), "warning")}
    from kg.validate import Validation
    loose, strict = Validation(), Validation(strict=True)
    loose.add(problems)
    strict.add(problems)
    assert loose.conforms and loose.warnings == 2 and loose.problems == []
    assert not strict.conforms and len(strict.problems) == 2


def test_an_entity_from_another_article_is_not_enough(tmp_path):
    """Article graphs are validated one by one: a participant typed only in another article's graph
    breaks the self-contained rule."""
    g, article = fake_article_graph()
    meeting = fact_of(g, DKG.Meeting)
    stranger = URIRef("https://w3id.org/dkg/id/country/ATL")
    g.add((meeting, DKG.participant, stranger))
    other = URIRef("https://w3id.org/dkg/id/article/other")
    elsewhere = [(stranger, RDF.type, DKG.Country), (stranger, RDF.type, DKG.Actor),
                 (stranger, RDFS.label, Literal("Atlantis")), (stranger, DKG.isoCode, Literal("ATL"))]
    with Store(tmp_path / "store") as s:
        s.write([(article, list(g), False), (other, elsewhere, False)])
    with kg.open_store(tmp_path / "store", readonly=True) as store:
        seen = []
        result = kg.api.validate(store, progress=seen.append)
    assert len(seen) == 3                        # the article, the other graph, the ontology
    assert [(p.focus, p.path) for p in result.problems] == [(str(meeting), str(DKG.participant))]
    assert not result.conforms


def kg_cli(*args):
    return KG(None)(*args)


def test_a_date_range_validates_only_its_articles(tmp_path):
    """--since/--until: the ontology and the articles of the range, so a recent ingest can be
    checked without the whole store."""
    broken, article = broken_article_graph(), article_iri("k")          # dated 2025-03-03
    with Store(tmp_path / "store") as s:
        s.write([(article, list(broken), False)])
    later = kg_cli("validate", "--store", tmp_path / "store", "--since", "2025-04-01")
    assert later.exit_code == 0 and "Checked 1 graph (0 articles): 0 violations" in later.output
    during = kg_cli("validate", "--store", tmp_path / "store", "--since", "2025-03-03", "--until", "2025-03-03")
    assert during.exit_code == 1 and "3 violations" in during.output
