"""The RDF builder as it was before issue 6 (rdflib terms, one object per term), kept only to check
that kg.rdfbuild writes exactly the same triples (tests/test_rdfbuild.py)."""
from __future__ import annotations

from rdflib import Literal, URIRef

from kg.articles import Article
from kg.extract import version as extractor_version
from kg.extract.model import Entity, Extraction, Fact
from kg.vocab import DCTERMS, DKG, PROV, RDF, RDFS, SKOS, XSD, area_iri, article_iri, entity_iri, fact_iri

ORG_SUBCLASS = {"international": DKG.InternationalOrganisation, "government": DKG.GovernmentBody,
                "military": DKG.MilitaryBody, "company": DKG.Company}
FACT_PATH = {"Meeting": "event", "Visit": "event", "Exercise": "event", "Event": "event",
             "Agreement": "agreement", "ArmsTransfer": "transfer", "Figure": "figure"}


def iri_of(ent: Entity) -> URIRef:
    return entity_iri(ent.kind, ent.iso3 if ent.kind == "Country" else ent.key)


def entity_triples(ent: Entity, ents: dict[str, Entity]):
    s = iri_of(ent)
    yield s, RDF.type, DKG[ent.kind]
    if ent.kind in ("Person", "Country", "Organisation"):
        yield s, RDF.type, DKG.Actor
    yield s, RDFS.label, Literal(ent.name)
    for alias in sorted(ent.aliases - {ent.name}):
        yield s, SKOS.altLabel, Literal(alias)
    if ent.iso3:
        yield s, DKG.isoCode, Literal(ent.iso3)
    if ent.org_kind:
        yield s, DKG.orgKind, Literal(ent.org_kind)
        if ent.org_kind in ORG_SUBCLASS:
            yield s, RDF.type, ORG_SUBCLASS[ent.org_kind]
    for title in ent.titles:
        yield s, DKG.title, Literal(title)
    owner = ents.get(f"Country:{ent.country}") if ent.country else None
    if owner:
        yield s, DKG.locatedIn if ent.kind == "Place" else DKG.affiliatedWith, iri_of(owner)
    for aff in ent.affiliations:
        if aff in ents:
            yield s, DKG.affiliatedWith, iri_of(ents[aff])


def fact_triples(fact: Fact, s: URIRef, ex: Extraction, art: URIRef):
    ents = ex.entities
    ref = lambda ids: [iri_of(ents[i]) for i in ids if i in ents]
    yield s, RDF.type, DKG[fact.kind]
    if fact.kind in ("Meeting", "Visit", "Exercise"):
        yield s, RDF.type, DKG.Event
    yield s, PROV.wasDerivedFrom, art
    yield s, DKG.rule, Literal(fact.rule)
    for i in fact.sentences:
        yield s, DKG.evidence, Literal(ex.sentence_text(i))
    if fact.label:
        yield s, RDFS.label, Literal(fact.label)
    if fact.date:
        yield s, DKG.date, Literal(fact.date.isoformat(), datatype=XSD.date)
    for o in ref(fact.participants):
        yield s, DKG.participant, o
    if fact.location:
        for o in ref([fact.location]):
            yield s, DKG.location, o
    if fact.polarity:
        yield s, DKG.polarity, Literal(fact.polarity)
    if fact.name and fact.kind == "Exercise":
        yield s, DKG.exerciseName, Literal(fact.name)
    if fact.agreement_kind:
        yield s, DKG.agreementKind, Literal(fact.agreement_kind)
    if fact.status:
        yield s, DKG.status, Literal(fact.status)
    if fact.kind == "Agreement":
        for o in ref(fact.participants):
            yield s, DKG.party, o
    for o in ref(fact.signatories):
        yield s, DKG.signatory, o
    for o in ref(fact.supplier):
        yield s, DKG.supplier, o
    for o in ref(fact.recipient):
        yield s, DKG.recipient, o
    for o in ref(fact.systems):
        yield s, DKG.system, o
    if fact.quantity is not None:
        yield s, DKG.quantity, Literal(fact.quantity, datatype=XSD.integer)
    if fact.kind == "Figure":
        yield s, DKG.measure, Literal(fact.measure or "")
        yield s, DKG.value, Literal(repr_decimal(fact.value), datatype=XSD.decimal)
        yield s, DKG.unit, Literal(fact.unit or "")
        if fact.year:
            yield s, DKG.year, Literal(str(fact.year), datatype=XSD.gYear)
        for o in ref(fact.participants):
            yield s, DKG.concerns, o
    for code in sorted(fact.areas):
        yield s, DKG.cooperationArea, area_iri(code)
    for o in ref(fact.regions):
        yield s, DKG.region, o


def repr_decimal(v: float | None) -> str:
    if v is None:
        return "0"
    return str(int(v)) if float(v).is_integer() else f"{v:f}".rstrip("0")


def article_triples(article: Article, ex: Extraction) -> list[tuple]:
    """Every triple of the article's named graph."""
    a = article_iri(article.key)
    out = [(a, RDF.type, DKG.Article), (a, RDF.type, PROV.Entity),
           (a, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)),
           (a, DCTERMS.source, Literal(article.source)),
           (a, DKG.contentHash, Literal(article.content_hash)),
           (a, DKG.extractorVersion, Literal(extractor_version.current()))]
    if article.title:
        out.append((a, DCTERMS.title, Literal(article.title)))
    if article.url:
        out.append((a, PROV.hadPrimarySource, URIRef(article.url) if is_iri(article.url) else Literal(article.url)))
    for ent in ex.entities.values():
        out.extend(entity_triples(ent, ex.entities))
        out.append((a, DKG.mentions, iri_of(ent)))
    for n, fact in enumerate(ex.facts):
        out.extend(fact_triples(fact, fact_iri(FACT_PATH[fact.kind], article.key, n), ex, a))
    for pair in ex.pairs:
        x, y = sorted(pair)
        if x in ex.entities and y in ex.entities:
            ix, iy = iri_of(ex.entities[x]), iri_of(ex.entities[y])
            out += [(ix, DKG.engagesWith, iy), (iy, DKG.engagesWith, ix)]
    return list(dict.fromkeys(out))


def is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(c in text for c in ' <>"{}|\\^`')
