"""N-Triples term text, written exactly as Oxigraph writes it.

The ingest builds each article's N-Quads as text: formatting strings costs a fraction of making an
rdflib or pyoxigraph object per term and serializing it (issue 6), and the bytes are the same as
Oxigraph's own, so the writing process only joins them. Article text is hostile: a literal escapes
every character N-Triples cannot hold raw, and an IRI is checked by Oxigraph before it is written.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

# What Oxigraph escapes in a literal (checked over every code point in tests/test_rdfbuild.py).
_SHORT = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_ESCAPES = {c: _SHORT.get(c, f"\\u{c:04X}") for c in (*range(0x20), 0x22, 0x5C, 0x7F, 0xFFFE, 0xFFFF)}
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\"\\\\\x7f\ufffe\uffff]")


def iri(value: str) -> str:
    """`<value>`; a ValueError when `value` is not an absolute IRI (a `>`, a space, no scheme ...)."""
    return str(ox.NamedNode(value))


def literal(value: str, datatype: str | None = None) -> str:
    """A quoted literal; `datatype` is the datatype's IRI text (from iri()), None for xsd:string."""
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"' if datatype is None else f'"{value}"^^{datatype}'


def lines(triples, graph: str) -> str:
    """N-Quads lines of `triples` (term text each) in `graph` (IRI text)."""
    return "".join([f"{s} {p} {o} {graph} .\n" for s, p, o in triples])


class IriText:
    """A namespace whose terms are IRI text, each checked and made once: `IriText(DKG).title` is
    '<https://w3id.org/dkg/ontology#title>'; `IriText(DKG)["Meeting"]` works too."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = iri(str(self._namespace[name]))
        setattr(self, name, value)           # the next lookup is a plain attribute
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)
