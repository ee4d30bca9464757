"""Network exports for Gephi and Cytoscape (GraphML, GEXF, CSV node and edge lists).

All three come from the one RDF -> networkx projection (kg.network.project), flattened to plain
attributes those formats accept: strings and integers, never None, sets joined with "; ".
Nodes are entities (id = IRI); edges are (pair, relation), weighted by the number of supporting
articles, with their polarity and the dates of the first and last article behind them.
"""
from __future__ import annotations

import csv
from typing import IO

import networkx as nx

from .. import __version__
from ..outputs import MARK

NODE_COLUMNS = ["label", "type", "subtype", "iso3", "org_kind", "aliases", "roles", "status", "polarity",
                "areas", "articles", "first_date", "last_date"]
EDGE_COLUMNS = ["relation", "weight", "polarity", "areas", "first_date", "last_date", "evidence"]
CSV_NODE_HEADER = ["Id", "Label", *NODE_COLUMNS[1:]]
CSV_EDGE_HEADER = ["Source", "Target", "Type", "Id", "Label", "Weight", *EDGE_COLUMNS[2:]]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flat_graph(G: nx.MultiGraph) -> nx.MultiGraph:
    """The projection with only string and integer attributes; edge keys made unique ids."""
    dates = {a: info["date"] for a, info in G.graph["articles"].items()}
    H = nx.MultiGraph()
    for n, d in G.nodes(data=True):
        first, last = _span(d.get("articles", ()), dates)
        H.add_node(n, label=d["label"], type=d["kind"], subtype=d.get("subtype") or "",
                   iso3=d.get("iso") or "", org_kind=d.get("org_kind") or "",
                   aliases=_join(d.get("aliases")), roles=_join(d.get("roles")), status=d.get("status") or "",
                   polarity=d.get("polarity") or "", areas=_join(d.get("areas")),
                   articles=len(d.get("articles", ())), first_date=first, last_date=last)
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[3]["source"], e[3]["target"], e[2]))
    for i, (u, v, key, d) in enumerate(edges):
        first, last = _span(d["articles"], dates)
        evidence = d["evidence"][0][0] if d["evidence"] else ""
        H.add_edge(d["source"], d["target"], key=f"e{i}", relation=key, weight=len(d["articles"]),
                   polarity=_polarity(d["polarity"]), areas=_join(d["areas"]), first_date=first,
                   last_date=last, evidence=evidence)
    return H


def _span(articles, dates: dict) -> tuple[str, str]:
    days = sorted(dates[a] for a in articles if dates.get(a))
    return (days[0], days[-1]) if days else ("", "")


def _join(values) -> str:
    return "; ".join(sorted(values or ()))


def _polarity(counts) -> str:
    """cooperation, conflict, or mixed when the articles behind an edge disagree."""
    kinds = [k for k, n in counts.items() if n]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "")


def write_graphml(G: nx.MultiGraph, fh: IO[bytes]) -> None:
    _write_xml(nx.generate_graphml(flat_graph(G), encoding="utf-8"), fh)


def write_gexf(G: nx.MultiGraph, fh: IO[bytes]) -> None:
    _write_xml(nx.generate_gexf(flat_graph(G), encoding="utf-8"), fh)


def _write_xml(lines, fh: IO[bytes]) -> None:
    """The XML with our mark as a comment after the declaration (how an earlier export is known)."""
    fh.write(f"<?xml version='1.0' encoding='utf-8'?>\n<!-- {MARK} {__version__} -->\n".encode())
    for line in lines:
        if not line.startswith("<?xml"):
            fh.write(line.encode("utf-8") + b"\n")


def write_csv(G: nx.MultiGraph, nodes_fh: IO[bytes], edges_fh: IO[bytes]) -> None:
    """Gephi's spreadsheet import columns (Id, Label; Source, Target, Type, Weight) and ours."""
    H = flat_graph(G)
    nodes = csv.writer(_Utf8(nodes_fh), lineterminator="\n")
    nodes.writerow(CSV_NODE_HEADER)
    for n, d in H.nodes(data=True):
        nodes.writerow([_cell(n)] + [_cell(d[c]) for c in NODE_COLUMNS])
    edges = csv.writer(_Utf8(edges_fh), lineterminator="\n")
    edges.writerow(CSV_EDGE_HEADER)
    for u, v, key, d in H.edges(keys=True, data=True):
        edges.writerow([_cell(u), _cell(v), "Undirected", key, _cell(d["relation"]), d["weight"]]
                       + [_cell(d[c]) for c in EDGE_COLUMNS[2:]])


class _Utf8:
    """A text face on a binary file, for csv.writer."""

    def __init__(self, fh: IO[bytes]):
        self.fh = fh

    def write(self, text: str) -> None:
        self.fh.write(text.encode("utf-8"))


def _cell(value):
    """Article text is hostile: a cell a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_header(which: str) -> bytes:
    """The first line of our nodes or edges file: how an earlier CSV export of ours is recognised."""
    return (",".join(CSV_NODE_HEADER if which == "nodes" else CSV_EDGE_HEADER) + "\n").encode()
