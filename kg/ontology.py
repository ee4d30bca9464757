"""The shipped ontology as triples for a store's ontology graph.

kg/ontology.ttl names the cooperation areas under the default base IRI; areas are resources, so a
store minting its own IRIs (KG_BASE_IRI) gets them under that base, where its articles point."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from .vocab import DEFAULT_BASE, base_iri

ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")


def ontology_triples() -> tuple[list[ox.Triple], str]:
    """The ontology's triples under the configured base IRI, and a stamp that changes when the file
    or the base does (a store refreshes its ontology graph when the stamp differs)."""
    data = ONTOLOGY_FILE.read_bytes()
    base = base_iri()
    stamp = hashlib.sha256(data + b"\n" + base.encode()).hexdigest()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    if base != DEFAULT_BASE:
        triples = [ox.Triple(*(_rebased(t, base) for t in (tr.subject, tr.predicate, tr.object)))
                   for tr in triples]
    return triples, stamp


def _rebased(term, base: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
        return ox.NamedNode(base + term.value[len(DEFAULT_BASE):])
    return term
