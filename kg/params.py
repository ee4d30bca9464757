"""Typed query parameters: names of actors, systems and regions resolved to IRIs, dates as xsd:date.

A canned query declares a parameter's type in its header (`# param actor (actor): ...`). The value a
user types is only ever bound as an RDF term: resolution itself is a SPARQL lookup with the name
bound as a literal, so a hostile value is at worst an unknown name.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from . import catalog
from .errors import QueryError
from .namekey import name_key
from .vocab import DKG, XSD

ENTITY_CLASSES = {"actor": DKG.Actor, "system": DKG.WeaponSystem, "region": DKG.Region,
                  "place": DKG.Place, "entity": None}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
MAX_CANDIDATES = 10

# ?key (name_key of the typed name) and ?class are bound by the engine (VALUES on a remote store):
# one index lookup of dkg:nameKey in the entity graph, which holds each entity once (see kg.store).
# Whether the name was a label (which outranks an alias or ISO code) is decided in Python from ?l.
LOOKUP = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?l ?key ?class WHERE { GRAPH <https://w3id.org/dkg/entities> {
  ?entity dkg:nameKey ?key .
  ?entity a ?class .
  OPTIONAL { ?entity rdfs:label ?l }
} }
"""
LOOKUP_ANY = (LOOKUP.replace("  ?entity a ?class .\n", "").replace(" ?key ?class WHERE", " ?key WHERE"))

# The same for a store whose entity graph has no name keys yet (opened read-only before its
# upgrade): a scan comparing every label, alias and code. The FILTER on ?name stays outside the
# GRAPH group: a remote store binds ?name with VALUES in the outer group.
SCAN = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity (SAMPLE(?l) AS ?label) (MIN(?rank) AS ?best) ?name ?class WHERE { GRAPH <https://w3id.org/dkg/entities> {
  ?entity a ?class .
  { ?entity rdfs:label ?m BIND(0 AS ?rank) } UNION { ?entity skos:altLabel ?m BIND(1 AS ?rank) }
  UNION { ?entity dkg:isoCode ?m BIND(1 AS ?rank) }
  OPTIONAL { ?entity rdfs:label ?l }
} FILTER(LCASE(STR(?m)) = LCASE(STR(?name))) }
GROUP BY ?entity ?name ?class
ORDER BY ?best ?label
"""
SCAN_ANY = (SCAN.replace("  ?entity a ?class .\n", "").replace(" ?name ?class WHERE", " ?name WHERE")
            .replace("GROUP BY ?entity ?name ?class", "GROUP BY ?entity ?name"))


class AmbiguousName(QueryError):
    """A name that several entities carry; the message lists them."""


def param_types(name_or_path: str) -> dict[str, str]:
    """The declared types of a canned query's or .rq file's parameters ({} for SPARQL text)."""
    text = name_or_path.strip()
    if "{" in text or not text:
        return {}
    if text.endswith(".rq") and Path(text).is_file():
        return catalog.parse(Path(text)).param_types
    if catalog.NAME.match(text):
        try:
            return catalog.find(text).param_types
        except QueryError:
            return {}
    return {}


def resolve_entity(store, name: str, kind: str = "actor") -> URIRef:
    """The IRI of the one entity of `kind` whose label, alias or ISO code is `name` (any case).
    Prefers a label match over alias matches; raises AmbiguousName or QueryError otherwise."""
    cls = ENTITY_CLASSES.get(kind)
    rows = _candidates(store, name, cls)
    if not rows:
        raise QueryError(f"no {kind} named {name!r} in the store (names and aliases are matched, any case)")
    by_label = [r for r in rows if int(r[2]) == 0]
    chosen = by_label if by_label else rows
    if len(chosen) == 1:
        return chosen[0][0]
    listed = "\n".join(f"  {r[1] or ''} <{r[0]}>" for r in chosen[:MAX_CANDIDATES])
    more = f"\n  ... and {len(chosen) - MAX_CANDIDATES} more" if len(chosen) > MAX_CANDIDATES else ""
    raise AmbiguousName(f"{name!r} names {len(chosen)} {kind}s; give one of these names, or its <IRI>:\n"
                        f"{listed}{more}")


def _candidates(store, name: str, cls) -> list[tuple]:
    """(entity, label, rank) of every entity of class `cls` (any class when None) that `name` names,
    rank 0 for a label match and 1 for an alias or code, best first and then by label."""
    bindings = {"class": cls} if cls is not None else {}
    if not getattr(store, "has_name_keys", True):
        rows = store.query(SCAN if cls is not None else SCAN_ANY, bindings={"name": Literal(name), **bindings}).rows
        return [(r[0], r[1], int(r[2])) for r in rows]
    key = name_key(name)
    labels: dict = {}
    for entity, label, *_ in store.query(LOOKUP if cls is not None else LOOKUP_ANY,
                                         bindings={"key": Literal(key), **bindings}).rows:
        labels.setdefault(entity, set()).update([str(label)] if label is not None else [])
    found = [(e, min(ls) if ls else None, 0 if any(name_key(text) == key for text in ls) else 1)
             for e, ls in labels.items()]
    return sorted(found, key=lambda r: (r[2], r[1] or ""))


def typed_bindings(store, types: dict[str, str], bindings: dict[str, Identifier]) -> dict[str, Identifier]:
    """Bindings with entity names resolved to IRIs and dates made xsd:date, per the declared types."""
    out = dict(bindings)
    for name, value in bindings.items():
        kind = types.get(name)
        if kind == "date":
            out[name] = as_date(name, value)
        elif kind in ENTITY_CLASSES and isinstance(value, Literal):
            out[name] = resolve_entity(store, str(value), kind)
    return out


def as_date(name: str, value) -> Literal:
    if isinstance(value, Literal) and value.datatype == XSD.date:
        return value
    text = str(value)
    if isinstance(value, (dt.date, Literal)) and DATE.match(text):
        try:
            dt.date.fromisoformat(text)
            return Literal(text, datatype=XSD.date)
        except ValueError:
            pass
    raise QueryError(f"parameter {name} must be a date YYYY-MM-DD, not {text!r}")
