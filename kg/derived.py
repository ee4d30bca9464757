"""Derived data the store keeps beside the articles, so a first page never touches every fact.

Two indexes, each a graph of nodes with a value and how many facts hold it:
- the day index (graph DAYS_GRAPH): one node per day that some fact (`dkg:date`) or article
  (`dcterms:date`) is dated, `dkg:day` and `dkg:dateCount`;
- the year index (graph YEARS_GRAPH): one node per year that some figure is of (`dkg:year`),
  `dkg:yearValue` and `dkg:yearCount`.
A listing that is newest first asks for the newest days' (or years') rows first (kg.paging.windowed:
the values are looked up through the index, nothing is sorted but the window) and widens the window
only when it holds too few rows for the page.

An index must list every value that some fact holds (a missing one would drop its rows from a
window; one too many costs one index lookup). The writer keeps them so, crash or not: a batch's
values are counted in before its articles are written and the values of what it replaces or removes
are counted out after, each in a transaction of its own; a value whose count reaches zero goes.
After a crash the counts may be too high (never a missing value), which only widens a window sooner.
The counts are kept per (index, value): dated() and its kin count for both indexes at once.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Iterable, NamedTuple
from urllib.parse import quote

import pyoxigraph as ox

from .vocab import DAYS_GRAPH, DCTERMS, DKG, XSD, YEARS_GRAPH

_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
YEAR = re.compile(r"[1-9][0-9]{3,}")       # a year as rdfbuild writes it: the ISO form, no sign or zone


class Index(NamedTuple):
    """One index: its graph, the properties whose values it counts (literals of `datatype`), and
    the properties its nodes give the value and the count with."""
    graph: ox.NamedNode
    properties: frozenset
    datatype: ox.NamedNode
    value: ox.NamedNode
    count: ox.NamedNode

    def node(self, value: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.graph.value}/{quote(value, safe='-:+')}")


def _nodes(*iris) -> frozenset:
    return frozenset(ox.NamedNode(str(i)) for i in iris)


DAYS = Index(ox.NamedNode(DAYS_GRAPH), _nodes(DKG.date, DCTERMS.date), ox.NamedNode(str(XSD.date)),
             ox.NamedNode(str(DKG.day)), ox.NamedNode(str(DKG.dateCount)))
YEARS = Index(ox.NamedNode(YEARS_GRAPH), _nodes(DKG.year), ox.NamedNode(str(XSD.gYear)),
              ox.NamedNode(str(DKG.yearValue)), ox.NamedNode(str(DKG.yearCount)))
INDEXES = (DAYS, YEARS)
_BY_PROPERTY = {p: index for index in INDEXES for p in index.properties}
_MARKS = tuple(b"<" + p.value.encode() + b">" for p in _BY_PROPERTY)


def dated(quads: Iterable) -> Counter:
    """(index, value) -> how many facts hold the value (a day, a year), among pyoxigraph quads or triples."""
    counts: Counter = Counter()
    for q in quads:
        o = q.object if hasattr(q, "object") else q[2]
        p = q.predicate if hasattr(q, "predicate") else q[1]
        index = _BY_PROPERTY.get(p)
        if index is not None and isinstance(o, ox.Literal) and o.datatype == index.datatype:
            counts[index, o.value] += 1
    return counts


def dated_nquads(nquads: bytes) -> Counter:
    """dated() of an article's N-Quads, parsing only the lines that may carry a date or a year (a
    literal that merely contains a predicate's IRI is parsed, then rejected by dated())."""
    lines = b"".join(line for line in nquads.splitlines(keepends=True) if any(m in line for m in _MARKS))
    return dated(ox.parse(lines, format=ox.RdfFormat.N_QUADS)) if lines else Counter()


def dated_graph(db: ox.Store, graph: str) -> Counter:
    """dated() of an article graph as stored (what replacing or removing it takes away)."""
    g = ox.NamedNode(graph)
    return dated(q for p in _BY_PROPERTY for q in db.quads_for_pattern(None, p, None, g))


def count_in(db: ox.Store, counts: Counter) -> None:
    """Add `counts` ((index, value) -> n) to the indexes (negative counts take away), in one transaction."""
    counts = Counter({k: n for k, n in counts.items() if n})
    if not counts:
        return
    deletes, inserts = [], []
    for (index, value), delta in sorted(counts.items(), key=lambda kv: (kv[0][0].graph.value, kv[0][1])):
        node, graph = index.node(value), index.graph
        old = [q.object for q in db.quads_for_pattern(node, index.count, None, graph)]
        total = sum(int(o.value) for o in old) + delta
        deletes += [ox.Quad(node, index.count, o, graph) for o in old]
        if total > 0:
            inserts += [ox.Quad(node, index.value, ox.Literal(value, datatype=index.datatype), graph),
                        ox.Quad(node, index.count, ox.Literal(str(total), datatype=_XSD_INTEGER), graph)]
        else:
            deletes += list(db.quads_for_pattern(node, None, None, graph))
    body = " .\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in deletes)
    added = " .\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in inserts)
    db.update(f"DELETE DATA {{ {body} }} ;\nINSERT DATA {{ {added} }}")


def rebuild(db: ox.Store) -> None:
    """The indexes from the article graphs (a store from before them), each in one transaction."""
    for index in INDEXES:
        counts: Counter = Counter()
        for p in index.properties:
            for sol in db.query(f"SELECT ?d (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {p} ?d }} "
                                f"FILTER(DATATYPE(?d) = {index.datatype}) }} GROUP BY ?d"):
                counts[index, sol["d"].value] += int(sol["n"].value)
        db.update(f"DROP SILENT GRAPH {index.graph}")
        count_in(db, counts)


def days(db: ox.Store) -> list[tuple[dt.date, int]]:
    """(day, dates on it) from the newest day to the oldest."""
    out = []
    for q in db.quads_for_pattern(None, DAYS.count, None, DAYS.graph):
        day = q.subject.value.rsplit("/", 1)[-1]
        try:
            out.append((dt.date.fromisoformat(day), int(q.object.value)))
        except ValueError:
            continue
    return sorted(out, reverse=True)


def years(db: ox.Store) -> list[tuple[int, int]] | None:
    """(year, figures of it) from the newest year to the oldest, or None when some figure's year is
    not a plain ISO year (so a window might not know where it sorts: the listing runs whole)."""
    out = []
    for q in db.quads_for_pattern(None, YEARS.value, None, YEARS.graph):
        if not YEAR.fullmatch(q.object.value):
            return None
        counts = list(db.quads_for_pattern(q.subject, YEARS.count, None, YEARS.graph))
        out.append((int(q.object.value), sum(int(c.object.value) for c in counts)))
    return sorted(out, reverse=True)


def window(days: list[tuple], weight: int) -> list | None:
    """The newest days (or years) that together hold at least `weight` facts, or None when that
    takes all of them (then the whole query is as cheap, and it also finds the undated rows)."""
    total = 0
    for i, (_, n) in enumerate(days):
        total += n
        if total >= weight:
            return [d for d, _ in days[: i + 1]] if i + 1 < len(days) else None
    return None
