"""Is the graph what the data model promises? SHACL (kg/shapes.ttl, run by pyshacl), graph by graph.

Each named graph is validated on its own: an article graph must be self-contained, so whatever its
facts point at must be typed in that same graph, and only one article's triples are in memory at a
time, however large the store. Warnings mark what depends on extraction quality (a person's title,
an event's date); `strict` makes them count against conformance. They are only counted, not
collected, unless strict, so a large store with many gaps still reports in bounded memory.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from .exports.rdf import graphs_in_range
from .store import Store
from .vocab import DCTERMS, DKG, PROV, RDF, RDFS, SKOS, XSD

SHAPES_FILE = Path(__file__).with_name("shapes.ttl")
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
PREFIXES = {"dkg": str(DKG), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "prov": str(PROV),
            "dcterms": str(DCTERMS), "xsd": str(XSD)}


@dataclass(frozen=True)
class Problem:
    """One SHACL result: in which graph, about which node and property, and what is wrong."""
    graph: str
    source: str           # the article's dcterms:source, or the graph name
    focus: str
    path: str | None
    severity: str         # "violation", "warning" or "info"
    message: str
    value: str | None = None
    constraint: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Validation:
    """What `kg validate` found: counts over every graph, and the problems it keeps."""
    strict: bool = False
    graphs: int = 0
    articles: int = 0
    violations: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return self.violations == 0 and not (self.strict and self.warnings)

    def add(self, problems: list[Problem]) -> None:
        for p in problems:
            if p.severity == "violation":
                self.violations += 1
            else:
                self.warnings += 1
            if p.severity == "violation" or self.strict:
                self.problems.append(p)

    def summary(self) -> dict:
        return {"conforms": self.conforms, "strict": self.strict, "graphs": self.graphs,
                "articles": self.articles, "violations": self.violations, "warnings": self.warnings}


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def validate_graph(data: Graph, name: str = "", source: str = "") -> list[Problem]:
    """Every SHACL result (violations and warnings) for one graph."""
    _, report, _ = shacl_validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True)
    return sorted(_problems(report, name, source or name), key=_order)


def _problems(report: Graph, name: str, source: str) -> Iterator[Problem]:
    for r in report.objects(None, SH.result):
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage)) or [""]
        value, path = report.value(r, SH.value), report.value(r, SH.resultPath)
        constraint = report.value(r, SH.sourceConstraintComponent)
        yield Problem(graph=name, source=source, focus=str(report.value(r, SH.focusNode)),
                      path=_path(report, path),
                      severity=SEVERITY.get(report.value(r, SH.resultSeverity), "violation"),
                      message=messages[0], value=value.n3() if value is not None else None,
                      constraint=str(constraint).rsplit("#", 1)[-1] if constraint else None)


def _path(report: Graph, path) -> str | None:
    """A property IRI, or ^IRI for an inverse path."""
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        return f"^{inverse}" if inverse is not None else None
    return None if path is None else str(path)


def _order(p: Problem):
    return (p.focus, p.path or "", p.severity, p.message, p.value or "")


def validate_store(store: Store, *, strict: bool = False, since: dt.date | None = None,
                   until: dt.date | None = None, progress: Callable[[str], None] | None = None,
                   on_graph: Callable[[list[Problem]], None] | None = None) -> Validation:
    """Validate every named graph of the store (with `since`/`until`, the ontology's and the
    articles dated within the range), one at a time. `progress(name)` after each graph;
    `on_graph(problems)` gets each graph's kept problems as soon as they are known (for printing
    as the run goes)."""
    result = Validation(strict=strict)
    for name, data in _graphs(store, graphs_in_range(store, since, until)):
        is_article = (URIRef(name), RDF.type, DKG.Article) in data
        source = str(data.value(URIRef(name), DCTERMS.source) or name) if is_article else name
        found = validate_graph(data, name, source)
        kept_before = len(result.problems)
        result.add(found)
        result.graphs += 1
        result.articles += is_article
        if on_graph and len(result.problems) > kept_before:
            on_graph(result.problems[kept_before:])
        if progress:
            progress(source)
    return result


def _graphs(store: Store, names: Iterable[URIRef]) -> Iterator[tuple[str, Graph]]:
    for g in names:
        data = Graph(identifier=g)
        for s, p, o, _ in store.quads(g):
            data.add((s, p, o))
        yield str(g), data


def text_lines(problems: list[Problem]) -> list[str]:
    """One graph's problems for people: the graph, then each focus node, then property and message."""
    lines = [f"{problems[0].source}  <{problems[0].graph}>"]
    focus = None
    for p in problems:
        if p.focus != focus:
            focus = p.focus
            lines.append(f"  {focus}")
        value = f"  (value: {p.value})" if p.value else ""
        lines.append(f"    {short_iri(p.path) if p.path else '(node)'}: {p.severity}: {p.message}{value}")
    return lines


def summary_line(result: Validation) -> str:
    listed = "" if result.strict else " (listed with --strict)"
    verdict = "Conforms." if result.conforms else "Does not conform."
    return (f"Checked {_plural(result.graphs, 'graph')} ({_plural(result.articles, 'article')}): "
            f"{_plural(result.violations, 'violation')}, {_plural(result.warnings, 'warning')}{listed}. {verdict}")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def short_iri(iri: str) -> str:
    """dkg:status for the full IRI, ^dkg:engagesWith for an inverse path."""
    if iri.startswith("^"):
        return "^" + short_iri(iri[1:])
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def report_graph(result: Validation) -> Graph:
    """The kept problems as a SHACL validation report (sh:ValidationReport), for --format turtle."""
    g = Graph()
    g.bind("sh", SH)
    g.bind("dkg", DKG)
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(result.conforms)))
    for p in result.problems:
        r = BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, URIRef(p.focus) if ":" in p.focus else BNode(p.focus)))
        if p.path and not p.path.startswith("^"):
            g.add((r, SH.resultPath, URIRef(p.path)))
        g.add((r, SH.resultSeverity, SH.Violation if p.severity == "violation" else SH.Warning))
        g.add((r, SH.resultMessage, Literal(p.message)))
        if p.constraint:
            g.add((r, SH.sourceConstraintComponent, SH[p.constraint]))
        g.add((r, DKG.inGraph, URIRef(p.graph)))
    return g
