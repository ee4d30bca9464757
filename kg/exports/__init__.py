"""Exports: the graph as RDF (kg.exports.rdf) or as a network for Gephi and Cytoscape
(kg.exports.network). `write_export` is what kg.api.export calls.

Every format can be limited to the articles dated within [since, until]. Files are written
atomically through kg.outputs and an existing file is only replaced when it is an earlier export
of ours (or with force).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import IO, Callable

from ..errors import InputError, QueryError
from ..outputs import replace_file, text_mark
from ..store import Store

# format -> file suffix
FORMATS = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "ntriples": ".nt", "jsonld": ".jsonld",
           "graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
NETWORK_FORMATS = ("graphml", "gexf", "csv")
OTHER_SUFFIXES = {".json": "jsonld", ".n3": "turtle", ".xml": "graphml"}


def format_from_name(output) -> str:
    suffix = Path(str(output)).suffix.lower()
    for fmt, ext in FORMATS.items():
        if suffix == ext:
            return fmt
    if suffix in OTHER_SUFFIXES:
        return OTHER_SUFFIXES[suffix]
    raise QueryError(f"cannot tell the export format from {str(output)!r}; give --format")


def csv_paths(output: str | os.PathLike) -> tuple[Path, Path]:
    """graph.csv (or graph) -> graph-nodes.csv, graph-edges.csv beside it."""
    path = Path(output)
    stem = path.name[:-len(".csv")] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def write_export(store: Store, fmt: str | None, output: str | os.PathLike | IO[bytes], *, force: bool = False,
                 since: dt.date | None = None, until: dt.date | None = None,
                 progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the export; returns the files written (none for a stream)."""
    fmt = fmt or format_from_name(output)
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    is_path = isinstance(output, (str, os.PathLike)) and str(output) != "-"
    if fmt == "csv":
        if not is_path:
            raise InputError("csv writes two files (nodes and edges); give -o FILE")
        return _write_csv(store, output, force, since, until)
    if is_path:
        with replace_file(output, force) as fh:
            _write(store, fmt, fh, since, until, progress)
        return [Path(output)]
    fh = sys.stdout.buffer if str(output) == "-" else output
    _write(store, fmt, fh, since, until, progress)
    fh.flush()
    return []


def _write(store: Store, fmt: str, fh: IO[bytes], since, until, progress) -> None:
    if fmt in RDF_FORMATS:
        from .rdf import graphs_in_range, write_rdf
        if fmt != "jsonld":     # JSON has no comments: JSON-LD exports are known by their @context
            fh.write(text_mark().encode())
        write_rdf(store, fmt, fh, _reporting(graphs_in_range(store, since, until), progress))
        return
    from ..network import project
    from .network import write_gexf, write_graphml
    G = project(store, since=since, until=until)
    (write_graphml if fmt == "graphml" else write_gexf)(G, fh)


def _reporting(graphs, progress):
    """The graphs, calling progress(graph) once each has been written."""
    for g in graphs:
        yield g
        if progress:
            progress(str(g))


def _write_csv(store: Store, output, force: bool, since, until) -> list[Path]:
    from ..network import project
    from .network import csv_header, write_csv
    nodes_path, edges_path = csv_paths(output)
    with replace_file(nodes_path, force, csv_header("nodes")) as nodes, \
            replace_file(edges_path, force, csv_header("edges")) as edges:     # both refused before any work
        write_csv(project(store, since=since, until=until), nodes, edges)
    return [nodes_path, edges_path]
