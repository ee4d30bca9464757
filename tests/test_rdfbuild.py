"""The RDF builder writes N-Triples text itself (issue 6): it must give exactly the triples the
rdflib builder gave, on real and generated news, and hostile text must round-trip through the store."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import legacy_rdfbuild
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg import ntriples as nt
from kg.articles import Article, read_articles
from kg.extract import extract
from kg.rdfbuild import article_graph, article_triples
from kg.store import ArticleQuads, Store
from kg.vocab import DCTERMS, DKG, ENTITY_GRAPH, PROV, RDFS, SKOS, article_iri

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import generate  # noqa: E402

GENERATED = 300


def lines(data: bytes) -> set[bytes]:
    return set(data.splitlines())


def corpus() -> list[Article]:
    arts = [a for a in read_articles([str(REPO / "seeds"), str(REPO / "tests" / "devset" / "articles")])
            if isinstance(a, Article)]
    for rec in generate.articles(GENERATED, seed=7):
        arts.append(Article(key=f"jsonl:{rec['id']}", source=f"bench.jsonl#{rec['id']}",
                            date=dt.date.fromisoformat(rec["date"]), text=rec["text"]))
    return arts


def test_same_quads_as_the_rdflib_builder_on_seeds_devset_and_generated_news():
    arts = corpus()
    assert len(arts) >= GENERATED + 50
    for art in arts:
        ex = extract(art)
        graph = article_iri(art.key)
        old = ArticleQuads.build(graph, legacy_rdfbuild.article_triples(art, ex))
        new = ArticleQuads.from_graph(graph, article_graph(art, ex))
        assert lines(new.nquads) == lines(old.nquads), art.source      # byte for byte, line by line
        assert lines(new.entities) == lines(old.entities), art.source
        assert new.quads == old.quads


@pytest.mark.parametrize("start", range(0, 0x110000, 0x11000))
def test_literal_escaping_is_oxigraphs_for_every_code_point(start):
    cps = [c for c in range(start, min(start + 0x11000, 0x110000)) if not 0xD800 <= c < 0xE000]
    s, p, g = ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:g")
    theirs = ox.serialize([ox.Quad(s, p, ox.Literal(chr(c)), g) for c in cps], format=ox.RdfFormat.N_QUADS)
    ours = nt.lines([("<urn:s>", "<urn:p>", nt.literal(chr(c))) for c in cps], "<urn:g>").encode()
    assert ours == theirs


HOSTILE = 'a "quoted" \\back\\slash\\" \n new\r\nline \t tab \x00\x01\x07\x1b\x7f \ufffe\uffff 😀 𝔘 \u2028 </script> > <'


def test_hostile_values_round_trip_through_the_store(tmp_path):
    text = ("India and France signed a defence agreement in New Delhi on Monday. "
            f'Officials said "{HOSTILE}" was written on the pact.')
    art = Article(key=f"k{HOSTILE}", source=f"src{HOSTILE}", date=dt.date(2025, 3, 3), text=text,
                  title=f"title {HOSTILE}", url=f"https://example.org/a>b?{HOSTILE}")
    ex = extract(art)
    graph = article_iri(art.key)
    quads = ArticleQuads.from_graph(graph, article_graph(art, ex))
    with Store(tmp_path / "store") as store:
        store.write_quads([(quads, False)])
        stored = {(s, p, o) for s, p, o, g in store.quads(graph)}
        cards = {(s, p, o) for s, p, o, g in store.quads(URIRef(ENTITY_GRAPH))}
    assert stored == set(legacy_rdfbuild.article_triples(art, ex))
    assert (graph, DCTERMS.title, Literal(art.title)) in stored
    assert (graph, DCTERMS.source, Literal(art.source)) in stored
    assert (graph, PROV.hadPrimarySource, Literal(art.url)) in stored     # `>`: not an IRI, a literal
    evidence = {str(o) for s, p, o in stored if p == DKG.evidence}
    assert all(e in text for e in evidence)
    assert any("\x00\x01" in e and "😀" in e and "</script> >" in e for e in evidence), evidence
    names = {(s, p, o) for s, p, o in stored if p in (RDFS.label, SKOS.altLabel) and "/agreement/" not in s}
    assert names and names <= cards


def test_an_url_oxigraph_rejects_as_an_iri_is_kept_as_a_literal():
    art = Article(key="k", source="s", date=dt.date(2025, 3, 3), text="India met France.",
                  url="https://exa\x01mple.org/\u00a0x")
    triples = article_triples(art, extract(art))
    assert (article_iri("k"), PROV.hadPrimarySource, Literal(art.url)) in triples


def test_a_valid_url_is_an_iri():
    art = Article(key="k", source="s", date=dt.date(2025, 3, 3), text="India met France.",
                  url="https://example.org/news/1?x=é")
    triples = article_triples(art, extract(art))
    assert (article_iri("k"), PROV.hadPrimarySource, URIRef(art.url)) in triples


def test_iri_text_refuses_what_would_break_n_triples():
    for bad in ("https://a/b>c", "https://a/b c", "no-scheme", "https://a/\nb"):
        with pytest.raises(ValueError):
            nt.iri(bad)
