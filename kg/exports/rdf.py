"""RDF exports streamed graph by graph, so memory holds one article at a time, never the store.

Dataset formats (TriG, N-Quads, JSON-LD) keep one named graph per article and the ontology's graph.
Graph formats (Turtle, N-Triples) hold the merged graph: an article's own triples (the article and
its facts) are unique to it and pass straight through; the descriptions of shared entities (India's
type and labels, repeated in every article that names India) are written once, remembered in a set
that grows with the number of distinct entities, not with the number of articles.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context

from ..store import Store, to_ox
from ..vocab import DEFAULT_BASE, ONTOLOGY_GRAPH, PREFIXES, PROV, XSD, base_iri

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "context.jsonld"
OX_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
              "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
DATASET_FORMATS = ("trig", "nquads", "jsonld")

# The article graphs dated within the range; ?since and ?until are bound by the engine.
_ARTICLES_IN_RANGE = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?since ?until WHERE {
  GRAPH ?g { ?g a dkg:Article ; dcterms:date ?date }
  FILTER (?date >= ?since && ?date <= ?until)
}
"""
EARLIEST, LATEST = dt.date.min, dt.date.max


def graphs_in_range(store: Store, since: dt.date | None, until: dt.date | None) -> Iterator[URIRef]:
    """Every named graph; with a date range, the ontology's and the articles dated within it."""
    if since is None and until is None:
        yield from store.graphs()
        return
    yield URIRef(ONTOLOGY_GRAPH)
    bindings = {name: Literal(day.isoformat(), datatype=XSD.date)
                for name, day in (("since", since or EARLIEST), ("until", until or LATEST))}
    for row in store.query(_ARTICLES_IN_RANGE, bindings=bindings):
        yield row[0]


def write_rdf(store: Store, fmt: str, fh: IO[bytes], graphs: Iterable[URIRef]) -> None:
    if fmt == "jsonld":
        write_jsonld(store, fh, graphs)
        return
    prefixes = {**PREFIXES, "id": base_iri()} if fmt in ("trig", "turtle") else None
    items = _quads(store, graphs) if fmt in DATASET_FORMATS else _merged_triples(store, graphs)
    ox.serialize(items, fh, OX_FORMATS[fmt], prefixes=prefixes)


def _quads(store: Store, graphs: Iterable[URIRef]) -> Iterator[ox.Quad]:
    for g in graphs:
        name = ox.NamedNode(str(g))
        for s, p, o, _ in store.quads(g):
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)


def _merged_triples(store: Store, graphs: Iterable[URIRef]) -> Iterator[ox.Triple]:
    shared_seen: set[tuple] = set()
    for g in graphs:
        triples = [(s, p, o) for s, p, o, _ in store.quads(g)]
        own = {g} | {s for s, p, o in triples if p == PROV.wasDerivedFrom and o == g}
        for s, p, o in triples:
            if s not in own:
                if (s, p, o) in shared_seen:
                    continue
                shared_seen.add((s, p, o))
            yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))


@lru_cache(maxsize=1)
def context_data() -> dict:
    """The shipped JSON-LD context (kg/context.jsonld), its resource prefixes (dkgid:, country:,
    person:, ...) moved to our base IRI when KG_BASE_IRI changes it."""
    data = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    base = base_iri()
    return {term: base + value[len(DEFAULT_BASE):] if isinstance(value, str) and value.startswith(DEFAULT_BASE)
            else value for term, value in data.items()}


def write_jsonld(store: Store, fh: IO[bytes], graphs: Iterable[URIRef]) -> None:
    """A JSON-LD dataset: the context embedded (so it parses offline), then one
    {"@id": graph, "@graph": [...]} object per named graph, each compacted with that context."""
    data = context_data()
    context = Context(data)
    fh.write(b'{"@context": ' + json.dumps(data, indent=1).encode() + b',\n"@graph": [')
    first = True
    for g in graphs:
        graph = Graph(identifier=g)
        for s, p, o, _ in store.quads(g):
            graph.add((s, p, o))
        doc = from_rdf(graph, context_data=context)
        doc.pop("@context", None)
        nodes = doc.pop("@graph") if "@graph" in doc else [doc]
        obj = {"@id": context.shrink_iri(g), "@graph": nodes}
        fh.write(b"" if first else b",")
        fh.write(b"\n" + json.dumps(obj, ensure_ascii=False).encode("utf-8"))
        first = False
    fh.write(b"\n]}\n")
