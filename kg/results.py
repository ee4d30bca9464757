"""Query results as plain Python values, and their serialisations (table, CSV, TSV, JSON, Turtle).

Rows hold rdflib terms so notebook users can work with them directly; the SPARQL 1.1 JSON, CSV
and TSV result formats are written here so every backend (embedded or remote) prints the same.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef


@dataclass
class QueryResult:
    kind: str                               # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)
    offset: int = 0                         # the first row's position in the whole result
    more: bool = False                      # rows follow this page (ask again from offset + len)

    @classmethod
    def from_ox(cls, raw, limit: int | None = None) -> "QueryResult":
        from .store import from_ox
        if isinstance(raw, (bool, getattr(ox, "QueryBoolean", bool))):   # pyoxigraph 0.5: QueryBoolean
            return cls("ask", boolean=bool(raw))
        if isinstance(raw, ox.QuerySolutions):
            names = [v.value for v in raw.variables]
            rows = []
            for sol in raw:
                if limit is not None and len(rows) >= limit:
                    break
                rows.append(tuple(from_ox(sol[n]) for n in names))
            return cls("select", vars=names, rows=rows)
        triples = []
        for t in raw:
            triples.append((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return cls("graph", triples=triples)

    def page(self, skip: int, limit: int | None, offset: int) -> "QueryResult":
        """This result cut to one page: `skip` rows dropped (the reader's share of the offset),
        at most `limit` kept; `more` says whether a row was left over."""
        if self.kind == "select":
            rows = self.rows[skip:]
            self.more = limit is not None and len(rows) > limit
            self.rows = rows[:limit] if limit is not None else rows
            self.offset = offset
        return self

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict]:
        """Rows as {variable: python value}, the handiest form in a notebook."""
        return [{v: (t.toPython() if t is not None else None) for v, t in zip(self.vars, row)} for row in self.rows]

    def serialize(self, fmt: str = "table") -> str:
        if self.kind == "graph":
            g = Graph()
            for t in self.triples:
                g.add(t)
            bind_prefixes(g)
            return g.serialize(format="turtle")
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": self.boolean}) + "\n"
            return ("true" if self.boolean else "false") + "\n"
        return {"table": self._table, "csv": self._csv, "tsv": self._tsv, "json": self._json}[fmt]()

    def _csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(self.vars)
        for row in self.rows:
            w.writerow(["" if t is None else str(t) for t in row])
        return out.getvalue()

    def _tsv(self) -> str:
        lines = ["\t".join("?" + v for v in self.vars)]
        for row in self.rows:
            lines.append("\t".join("" if t is None else t.n3() for t in row))
        return "\n".join(lines) + "\n"

    def _json(self) -> str:
        bindings = []
        for row in self.rows:
            b = {}
            for v, t in zip(self.vars, row):
                if t is not None:
                    b[v] = term_json(t)
            bindings.append(b)
        return json.dumps({"head": {"vars": self.vars}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"

    def _table(self) -> str:
        if not self.rows:
            return "(no results)\n"
        cells = [[short(t) for t in row] for row in self.rows]
        width = shutil.get_terminal_size((0, 0)).columns     # 0: not a terminal, nothing to fit
        natural = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.vars)]
        widths = fit_widths(natural, width - 2 * (len(self.vars) - 1)) if width else natural
        fit = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"
        lines = ["  ".join(fit(v, w).ljust(w) for v, w in zip(self.vars, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        for r in cells:
            lines.append("  ".join(fit(c, w).ljust(w) for c, w in zip(r, widths)).rstrip())
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"


def fit_widths(natural: list[int], room: int, least: int = 10) -> list[int]:
    """Column widths that fit `room`: narrow columns keep their width, the widest share the rest."""
    widths = list(natural)
    while sum(widths) > room:
        widest = max(widths)
        if widest <= least:
            break
        n = widths.count(widest)
        others = [w for w in widths if w < widest]
        target = max(least, max(others, default=least), widest - (sum(widths) - room + n - 1) // n)
        widths = [target if w == widest else w for w in widths]
    return widths


def term_json(t) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype:
        d["datatype"] = str(t.datatype)
    return d


def short(t) -> str:
    """A term as a person reads it: literals plain, IRIs by their last path segments."""
    if t is None:
        return ""
    if isinstance(t, Literal):
        return " ".join(str(t).split())
    s = str(t)
    for base in ("https://w3id.org/dkg/id/", "https://w3id.org/dkg/ontology#"):
        if s.startswith(base):
            return s[len(base):]
    return s


def bind_prefixes(g: Graph) -> None:
    from .vocab import DKG, ID
    g.bind("dkg", DKG)
    g.bind("id", ID)
