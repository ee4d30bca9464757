"""The vocabulary: namespaces as objects and the rules that give every entity a stable IRI.

IRIs must be the same for the same real-world entity in every article and every run, so they
are derived from canonical names (or ISO codes), never from counters.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DKG = Namespace("https://w3id.org/dkg/ontology#")
ONTOLOGY_GRAPH = "https://w3id.org/dkg/ontology"
# One copy of every entity's type and label triples (an index for fast queries; see kg.store).
ENTITY_GRAPH = "https://w3id.org/dkg/entities"
# The day index: the days facts and articles are dated, with counts (derived data; see kg.derived).
DAYS_GRAPH = "https://w3id.org/dkg/days"
# The year index: the years figures are of, with counts (derived data; see kg.derived).
YEARS_GRAPH = "https://w3id.org/dkg/years"
# The tallies behind the aggregate queries (derived data; see kg.tallies), and their vocabulary.
TALLIES_GRAPH = "https://w3id.org/dkg/tallies"
TALLY = Namespace("https://w3id.org/dkg/tally#")
DEFAULT_BASE = "https://w3id.org/dkg/id/"
# The prefixes exports write and `kg query -e` accepts undeclared.
PREFIXES = {"dkg": str(DKG), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "prov": str(PROV),
            "dcterms": str(DCTERMS), "xsd": str(XSD), "owl": str(OWL)}

__all__ = ["DKG", "ID", "ONTOLOGY_GRAPH", "ENTITY_GRAPH", "DAYS_GRAPH", "YEARS_GRAPH", "TALLIES_GRAPH", "TALLY", "PREFIXES", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
           "slug", "entity_iri", "article_iri", "fact_iri", "area_iri"]


def base_iri() -> str:
    """Resource namespace; configurable with KG_BASE_IRI so an organisation can mint its own."""
    base = os.environ.get("KG_BASE_IRI", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


ID = Namespace(base_iri())


def slug(text: str) -> str:
    """ASCII, lowercase, hyphenated: 'Théo Francken' -> 'theo-francken'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    if not text:  # names in other scripts keep a stable, opaque key
        text = "x" + hashlib.sha1(text.encode() or b"-").hexdigest()[:12]
    return text[:80]


def _stable_slug(name: str) -> str:
    s = slug(name)
    if s.startswith("x") and len(s) == 13 or not re.search(r"[a-z]", s):
        return "x" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return s


KIND_PATH = {"Person": "person", "Country": "country", "Organisation": "org", "Place": "place",
             "Region": "region", "WeaponSystem": "system"}


def entity_iri(kind: str, key: str):
    """Countries by ISO3 code, everything else by the slug of its canonical name."""
    if kind == "Country":
        return ID[f"country/{key.upper()}"]
    return ID[f"{KIND_PATH[kind]}/{_stable_slug(key)}"]


def article_iri(key: str):
    """An article is identified by where it came from (path or id), not by its content."""
    return ID["article/" + hashlib.sha256(key.encode()).hexdigest()[:20]]


def fact_iri(kind: str, article_key: str, n: int):
    digest = hashlib.sha256(article_key.encode()).hexdigest()[:12]
    return ID[f"{kind}/{digest}-{n}"]


def area_iri(code: str):
    return ID[f"area/{code}"]
