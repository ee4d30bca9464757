"""Turn one article's extraction into the triples of its named graph (data model contract).

Pure function, no I/O: the store decides how to write. The graph is self-contained: it carries
the type and labels of every entity it mentions, so an article can be dropped or replaced alone.

Terms are N-Triples text (kg.ntriples), not rdflib objects: an article has ~400 triples and the
ingest builds them for every article, so making one object per term cost more than a third of the
extraction itself (issue 6). `article_triples` gives the same triples as rdflib terms.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef

from . import ntriples as nt
from .articles import Article
from .extract import version as extractor_version
from .extract.model import Entity, Extraction, Fact
from .vocab import DCTERMS, DKG, PROV, RDF, RDFS, SKOS, XSD, area_iri, article_iri, entity_iri, fact_iri

dkg, rdf, rdfs, skos, prov, dcterms, xsd = map(nt.IriText, (DKG, RDF, RDFS, SKOS, PROV, DCTERMS, XSD))
ORG_SUBCLASS = {"international": "InternationalOrganisation", "government": "GovernmentBody",
                "military": "MilitaryBody", "company": "Company"}
FACT_PATH = {"Meeting": "event", "Visit": "event", "Exercise": "event", "Event": "event",
             "Agreement": "agreement", "ArmsTransfer": "transfer", "Figure": "figure"}
ACTOR_KINDS = ("Person", "Country", "Organisation")
EVENT_KINDS = ("Meeting", "Visit", "Exercise")
IRI_MEMO = 65_536            # entity and area IRIs remembered (the same few thousand recur in the news)


@dataclass
class ArticleGraph:
    """An article's named graph as N-Triples term text, and the part of it the store's entity
    graph keeps one copy of (kg.store): each entity's own triples, and its names."""

    triples: list[tuple[str, str, str]]       # in order, each once
    cards: list[tuple[str, str, str]]         # the triples whose subject is an entity (not engagesWith)
    names: list[tuple[str, str]]              # (entity, label, alias or ISO code as a plain string)

    def rdflib_triples(self) -> list[tuple]:
        """The triples as rdflib terms (for tests and notebooks; the ingest writes the text)."""
        from .store import from_ox
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in self.triples)
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)]


def iri_of(ent: Entity) -> URIRef:
    return entity_iri(ent.kind, ent.iso3 if ent.kind == "Country" else ent.key)


@lru_cache(maxsize=IRI_MEMO)
def _entity_text(kind: str, key: str) -> str:
    return nt.iri(str(entity_iri(kind, key)))


@lru_cache(maxsize=IRI_MEMO)
def _area_text(code: str) -> str:
    return nt.iri(str(area_iri(code)))


def iri_text(ent: Entity) -> str:
    return _entity_text(ent.kind, ent.iso3 if ent.kind == "Country" else ent.key)


def entity_triples(ent: Entity, ents: dict[str, Entity], names: list[tuple[str, str]]):
    """The entity's own triples; its label, aliases and code are also added to `names`."""
    s = iri_text(ent)
    yield s, rdf.type, dkg[ent.kind]
    if ent.kind in ACTOR_KINDS:
        yield s, rdf.type, dkg.Actor
    yield s, rdfs.label, nt.literal(ent.name)
    names.append((s, ent.name))
    for alias in sorted(ent.aliases - {ent.name}):
        yield s, skos.altLabel, nt.literal(alias)
        names.append((s, alias))
    if ent.iso3:
        yield s, dkg.isoCode, nt.literal(ent.iso3)
        names.append((s, ent.iso3))
    if ent.org_kind:
        yield s, dkg.orgKind, nt.literal(ent.org_kind)
        if ent.org_kind in ORG_SUBCLASS:
            yield s, rdf.type, dkg[ORG_SUBCLASS[ent.org_kind]]
    for title in ent.titles:
        yield s, dkg.title, nt.literal(title)
    owner = ents.get(f"Country:{ent.country}") if ent.country else None
    if owner:
        yield s, dkg.locatedIn if ent.kind == "Place" else dkg.affiliatedWith, iri_text(owner)
    for aff in ent.affiliations:
        if aff in ents:
            yield s, dkg.affiliatedWith, iri_text(ents[aff])


def fact_triples(fact: Fact, s: str, ex: Extraction, art: str):
    ents = ex.entities
    ref = lambda ids: [iri_text(ents[i]) for i in ids if i in ents]
    yield s, rdf.type, dkg[fact.kind]
    if fact.kind in EVENT_KINDS:
        yield s, rdf.type, dkg.Event
    yield s, prov.wasDerivedFrom, art
    yield s, dkg.rule, nt.literal(fact.rule)
    for i in fact.sentences:
        yield s, dkg.evidence, nt.literal(ex.sentence_text(i))
    if fact.label:
        yield s, rdfs.label, nt.literal(fact.label)
    if fact.date:
        yield s, dkg.date, nt.literal(fact.date.isoformat(), xsd.date)
    for o in ref(fact.participants):
        yield s, dkg.participant, o
    if fact.location:
        for o in ref([fact.location]):
            yield s, dkg.location, o
    if fact.polarity:
        yield s, dkg.polarity, nt.literal(fact.polarity)
    if fact.name and fact.kind == "Exercise":
        yield s, dkg.exerciseName, nt.literal(fact.name)
    if fact.agreement_kind:
        yield s, dkg.agreementKind, nt.literal(fact.agreement_kind)
    if fact.status:
        yield s, dkg.status, nt.literal(fact.status)
    if fact.kind == "Agreement":
        for o in ref(fact.participants):
            yield s, dkg.party, o
    for o in ref(fact.signatories):
        yield s, dkg.signatory, o
    for o in ref(fact.supplier):
        yield s, dkg.supplier, o
    for o in ref(fact.recipient):
        yield s, dkg.recipient, o
    for o in ref(fact.systems):
        yield s, dkg.system, o
    if fact.quantity is not None:
        yield s, dkg.quantity, nt.literal(str(fact.quantity), xsd.integer)
    if fact.kind == "Figure":
        yield s, dkg.measure, nt.literal(fact.measure or "")
        yield s, dkg.value, nt.literal(repr_decimal(fact.value), xsd.decimal)
        yield s, dkg.unit, nt.literal(fact.unit or "")
        if fact.year:
            yield s, dkg.year, nt.literal(str(fact.year), xsd.gYear)
        for o in ref(fact.participants):
            yield s, dkg.concerns, o
    for code in sorted(fact.areas):
        yield s, dkg.cooperationArea, _area_text(code)
    for o in ref(fact.regions):
        yield s, dkg.region, o


def repr_decimal(v: float | None) -> str:
    if v is None:
        return "0"
    return str(int(v)) if float(v).is_integer() else f"{v:f}".rstrip("0")


def article_graph(article: Article, ex: Extraction) -> ArticleGraph:
    """Every triple of the article's named graph, as N-Triples term text."""
    a = nt.iri(str(article_iri(article.key)))
    out = [(a, rdf.type, dkg.Article), (a, rdf.type, prov.Entity),
           (a, dcterms.date, nt.literal(article.date.isoformat(), xsd.date)),
           (a, dcterms.source, nt.literal(article.source)),
           (a, dkg.contentHash, nt.literal(article.content_hash)),
           (a, dkg.extractorVersion, nt.literal(extractor_version.current()))]
    if article.title:
        out.append((a, dcterms.title, nt.literal(article.title)))
    if article.url:
        out.append((a, prov.hadPrimarySource, primary_source(article.url)))
    cards: list[tuple[str, str, str]] = []
    names: list[tuple[str, str]] = []
    for ent in ex.entities.values():
        own = list(entity_triples(ent, ex.entities, names))
        cards += own
        out += own
        out.append((a, dkg.mentions, iri_text(ent)))
    for n, fact in enumerate(ex.facts):
        out.extend(fact_triples(fact, nt.iri(str(fact_iri(FACT_PATH[fact.kind], article.key, n))), ex, a))
    for pair in ex.pairs:
        x, y = sorted(pair)
        if x in ex.entities and y in ex.entities:
            ix, iy = iri_text(ex.entities[x]), iri_text(ex.entities[y])
            out += [(ix, dkg.engagesWith, iy), (iy, dkg.engagesWith, ix)]
    return ArticleGraph(list(dict.fromkeys(out)), list(dict.fromkeys(cards)), list(dict.fromkeys(names)))


def article_triples(article: Article, ex: Extraction) -> list[tuple]:
    """Every triple of the article's named graph, as rdflib terms."""
    return article_graph(article, ex).rdflib_triples()


def primary_source(url: str) -> str:
    """The article's URL as an IRI when it is one, else as a literal (article data is hostile)."""
    if is_iri(url):
        try:
            return nt.iri(url)
        except ValueError:
            pass
    return nt.literal(url)


def is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(c in text for c in ' <>"{}|\\^`')
