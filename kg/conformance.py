"""Does a graph keep the data model contract (DATA-MODEL.md)? A list of problems, empty when it does.

Checks only what is present: every resource typed with a contract class must carry that class's
required properties, with values of the right datatype, vocabulary and target class. Properties
that depend on how much the extractor understood (a person's title, an event's date) are checked
only with strict=True, so the seeds can be held to the structural contract today and to the whole
contract once extraction lands.
"""
from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .vocab import DKG

AREA_CODES = {"maritime-security", "defence-industry", "military-exercises", "training-education",
              "research-technology", "arms-transfer", "counter-terrorism", "counter-piracy", "cyber", "space",
              "intelligence-sharing", "logistics", "peacekeeping", "nuclear", "border-security",
              "humanitarian-relief", "trade-economy", "regional-security"}
FACTS = ("Event", "Agreement", "ArmsTransfer", "Figure")
EVENT_KINDS = ("Meeting", "Visit", "Exercise")

# class -> properties every instance must have, always (structure the pipeline guarantees)
REQUIRED = {
    "Article": [DCTERMS.date, DCTERMS.source, DKG.contentHash],
    "Actor": [RDFS.label],
    "Country": [DKG.isoCode],
    "Organisation": [DKG.orgKind],
    "Place": [RDFS.label],
    "Region": [RDFS.label],
    "WeaponSystem": [RDFS.label],
    "Event": [DKG.participant, DKG.polarity, RDFS.label, PROV.wasDerivedFrom, DKG.evidence],
    "Agreement": [RDFS.label, DKG.party, DKG.status, PROV.wasDerivedFrom, DKG.evidence],
    "ArmsTransfer": [DKG.recipient, DKG.system, DKG.status, PROV.wasDerivedFrom, DKG.evidence],
    "Figure": [DKG.measure, DKG.value, DKG.unit, DKG.concerns, PROV.wasDerivedFrom, DKG.evidence],
    "CooperationArea": [SKOS.prefLabel, SKOS.notation],
}
# ... and those the contract also asks for but that depend on extraction quality (strict=True)
REQUIRED_STRICT = {
    "Person": [DKG.title, DKG.affiliatedWith],
    "Event": [DKG.date],
    "Agreement": [DKG.signatory],
    "ArmsTransfer": [DKG.supplier],
    "Place": [DKG.locatedIn],
}
VOCABULARY = {
    DKG.orgKind: {"international", "government", "military", "company", "other"},
    DKG.polarity: {"cooperation", "conflict"},
    SKOS.notation: AREA_CODES,
}
STATUS = {"Agreement": {"signed", "agreed", "proposed", "negotiating", "in-force"},
          "ArmsTransfer": {"ordered", "delivered", "planned", "offered", "co-production"}}
DATATYPES = {DCTERMS.date: XSD.date, DKG.date: XSD.date, DKG.value: XSD.decimal, DKG.quantity: XSD.integer}
TARGETS = {   # object property -> classes its target may have
    DKG.affiliatedWith: ("Country", "Organisation"), DKG.party: ("Country", "Organisation"),
    DKG.signatory: ("Person",), DKG.participant: ("Actor",), DKG.location: ("Place",),
    DKG.supplier: ("Actor",), DKG.recipient: ("Actor",), DKG.system: ("WeaponSystem",),
    DKG.concerns: ("Actor",), DKG.locatedIn: ("Country",), DKG.region: ("Region",),
    DKG.engagesWith: ("Country", "Organisation"), PROV.wasDerivedFrom: ("Article",),
}
ISO3 = re.compile(r"[A-Z]{3}\Z")
PREFIXES = {"dkg": str(DKG), "dcterms": str(DCTERMS), "prov": str(PROV), "rdfs": str(RDFS),
            "skos": str(SKOS), "xsd": str(XSD)}


def _q(term) -> str:
    """dkg:status rather than the full IRI in messages."""
    for prefix, ns in PREFIXES.items():
        if str(term).startswith(ns):
            return f"{prefix}:{str(term)[len(ns):]}"
    return str(term)


def check_graph(g: Graph, strict: bool = False) -> list[str]:
    """Problems with the contract in one graph (an article's, or the union of all)."""
    problems: list[str] = []
    required = {c: list(ps) for c, ps in REQUIRED.items()}
    if strict:
        for c, ps in REQUIRED_STRICT.items():
            required.setdefault(c, []).extend(ps)
    for cls, props in required.items():
        for s in set(g.subjects(RDF.type, DKG[cls])):
            problems += [f"{cls} {s}: missing {_q(p)}" for p in props if (s, p, None) not in g]
    problems += _check_types(g)
    problems += _check_values(g)
    problems += _check_targets(g)
    problems += _check_symmetry(g)
    return sorted(set(problems))


def check_dataset(ds, strict: bool = False) -> list[str]:
    """The union graph, and each article graph on its own: self-contained, named by its Article."""
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    problems = check_graph(union, strict)
    for graph in ds.graphs():
        if not isinstance(graph.identifier, URIRef) or (graph.identifier, RDF.type, DKG.Article) not in graph:
            continue
        problems += [f"graph {graph.identifier}: {p}" for p in _self_contained(graph)]
    return problems


def _check_types(g: Graph) -> list[str]:
    """Subclasses carry their contract class beside them (Meeting is also an Event, Person an Actor)."""
    problems = []
    for sub, sup in [(k, "Event") for k in EVENT_KINDS] + [(k, "Actor") for k in ("Person", "Country", "Organisation")]:
        for s in g.subjects(RDF.type, DKG[sub]):
            if (s, RDF.type, DKG[sup]) not in g:
                problems.append(f"{sub} {s}: not also typed dkg:{sup}")
    return problems


def _check_values(g: Graph) -> list[str]:
    problems = []
    for prop, allowed in VOCABULARY.items():
        for s, o in g.subject_objects(prop):
            if str(o) not in allowed:
                problems.append(f"{s}: {_q(prop)} {str(o)!r} is not one of {', '.join(sorted(allowed))}")
    for cls, allowed in STATUS.items():
        for s in g.subjects(RDF.type, DKG[cls]):
            problems += [f"{cls} {s}: status {str(o)!r} is not one of {', '.join(sorted(allowed))}"
                         for o in g.objects(s, DKG.status) if str(o) not in allowed]
    for prop, dtype in DATATYPES.items():
        for s, o in g.subject_objects(prop):
            if not isinstance(o, Literal) or o.datatype != dtype or o.ill_typed:
                problems.append(f"{s}: {_q(prop)} {o.n3()} is not a valid {_q(dtype)}")
    for s, o in g.subject_objects(DKG.isoCode):
        if not ISO3.match(str(o)):
            problems.append(f"{s}: isoCode {str(o)!r} is not ISO 3166-1 alpha-3")
    for s, o in g.subject_objects(DKG.contentHash):
        if not re.fullmatch(r"[0-9a-f]{64}", str(o)):
            problems.append(f"{s}: contentHash {str(o)!r} is not a sha256 hex digest")
    for s, o in g.subject_objects(DKG.evidence):
        if not str(o).strip():
            problems.append(f"{s}: empty evidence")
    return problems


def _check_targets(g: Graph) -> list[str]:
    problems = []
    for prop, classes in TARGETS.items():
        for s, o in g.subject_objects(prop):
            if not any((o, RDF.type, DKG[c]) in g for c in classes):
                problems.append(f"{s}: {_q(prop)} {o} is not a {' or '.join(classes)}")
    for s, o in g.subject_objects(DKG.cooperationArea):
        if (o, RDF.type, DKG.CooperationArea) not in g and str(o).rsplit("/", 1)[-1] not in AREA_CODES:
            problems.append(f"{s}: cooperationArea {o} is not a known area")
    return problems


def _check_symmetry(g: Graph) -> list[str]:
    return [f"{a}: engagesWith {b} but not the reverse" for a, b in g.subject_objects(DKG.engagesWith)
            if (b, DKG.engagesWith, a) not in g]


def _self_contained(g: Graph) -> list[str]:
    """Every entity the article graph points at is typed and labelled in that same graph."""
    problems = []
    for prop in TARGETS:
        if prop == PROV.wasDerivedFrom:
            continue
        for o in set(g.objects(None, prop)):
            if (o, RDF.type, None) not in g or (o, RDFS.label, None) not in g:
                problems.append(f"{o} is used but not typed and labelled in this graph")
    return problems
