"""Derived data the store keeps beside the articles, so a first page never touches every fact.

The day index (graph DAYS_GRAPH): one node per day that some fact (`dkg:date`) or article
(`dcterms:date`) is dated, with how many such dates fall on it (`dkg:dateCount`). A listing that
is newest first asks for the newest days' rows first (kg.paging.windowed: the day values are
looked up through the index, nothing is sorted but the window) and widens the window only when it
holds too few rows for the page.

The index must list every day that holds a date (a missing day would drop its rows from a window;
a day too many costs one index lookup). The writer keeps it so, crash or not: a batch's days are
counted in before its articles are written and the days of what it replaces or removes are counted
out after, each in a transaction of its own; a day whose count reaches zero goes. After a crash the
counts may be too high (never a missing day), which only widens a window sooner.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable

import pyoxigraph as ox

from .vocab import DAYS_GRAPH, DCTERMS, DKG, XSD

_DAYS = ox.NamedNode(DAYS_GRAPH)
_DAY = ox.NamedNode(str(DKG.day))
_COUNT = ox.NamedNode(str(DKG.dateCount))
_XSD_DATE = ox.NamedNode(str(XSD.date))
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
DATE_PROPERTIES = frozenset(ox.NamedNode(str(p)) for p in (DKG.date, DCTERMS.date))
_MARKS = (b"<" + str(DKG.date).encode() + b">", b"<" + str(DCTERMS.date).encode() + b">")


def day_node(day: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DAYS_GRAPH}/{day}")


def dated(quads: Iterable) -> Counter:
    """Day -> how many dates fall on it, among pyoxigraph quads or triples."""
    days: Counter = Counter()
    for q in quads:
        o = q.object if hasattr(q, "object") else q[2]
        p = q.predicate if hasattr(q, "predicate") else q[1]
        if p in DATE_PROPERTIES and isinstance(o, ox.Literal) and o.datatype == _XSD_DATE:
            days[o.value] += 1
    return days


def dated_nquads(nquads: bytes) -> Counter:
    """dated() of an article's N-Quads, parsing only the lines that may carry a date (a literal
    that merely contains the predicate's IRI is parsed, then rejected by dated())."""
    lines = b"".join(line for line in nquads.splitlines(keepends=True) if any(m in line for m in _MARKS))
    return dated(ox.parse(lines, format=ox.RdfFormat.N_QUADS)) if lines else Counter()


def dated_graph(db: ox.Store, graph: str) -> Counter:
    """dated() of an article graph as stored (what replacing or removing it takes away)."""
    g = ox.NamedNode(graph)
    return dated(q for p in DATE_PROPERTIES for q in db.quads_for_pattern(None, p, None, g))


def count_in(db: ox.Store, days: Counter) -> None:
    """Add `days` to the index (negative counts take away), in one transaction."""
    days = Counter({d: n for d, n in days.items() if n})
    if not days:
        return
    deletes, inserts = [], []
    for day, delta in sorted(days.items()):
        node = day_node(day)
        old = [q.object for q in db.quads_for_pattern(node, _COUNT, None, _DAYS)]
        total = sum(int(o.value) for o in old) + delta
        deletes += [ox.Quad(node, _COUNT, o, _DAYS) for o in old]
        if total > 0:
            inserts += [ox.Quad(node, _DAY, ox.Literal(day, datatype=_XSD_DATE), _DAYS),
                        ox.Quad(node, _COUNT, ox.Literal(str(total), datatype=_XSD_INTEGER), _DAYS)]
        else:
            deletes += list(db.quads_for_pattern(node, None, None, _DAYS))
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in deletes)
    added = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in inserts)
    db.update(f"DELETE DATA {{ GRAPH {_DAYS} {{ {body} }} }} ;\nINSERT DATA {{ GRAPH {_DAYS} {{ {added} }} }}")


def rebuild(db: ox.Store) -> None:
    """The index from the article graphs (a store from before it existed), in one transaction."""
    days: Counter = Counter()
    for p in DATE_PROPERTIES:
        for sol in db.query(f"SELECT ?d (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {p} ?d }} "
                            f"FILTER(DATATYPE(?d) = {_XSD_DATE}) }} GROUP BY ?d"):
            days[sol["d"].value] += int(sol["n"].value)
    db.update(f"DROP SILENT GRAPH {_DAYS}")
    count_in(db, days)


def days(db: ox.Store) -> list[tuple[dt.date, int]]:
    """(day, dates on it) from the newest day to the oldest."""
    out = []
    for q in db.quads_for_pattern(None, _COUNT, None, _DAYS):
        day = q.subject.value.rsplit("/", 1)[-1]
        try:
            out.append((dt.date.fromisoformat(day), int(q.object.value)))
        except ValueError:
            continue
    return sorted(out, reverse=True)


def window(days: list[tuple[dt.date, int]], weight: int) -> list[dt.date] | None:
    """The newest days that together hold at least `weight` dates, or None when that takes every
    day (then the whole query is as cheap, and it also finds the undated rows)."""
    total = 0
    for i, (_, n) in enumerate(days):
        total += n
        if total >= weight:
            return [d for d, _ in days[: i + 1]] if i + 1 < len(days) else None
    return None
