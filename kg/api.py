"""The library API: everything the `kg` command does, as Python calls a notebook can make.

    import kg
    with kg.open_store("kg-store") as store:
        print(kg.ingest(store, ["seeds/"]).line())
        for row in kg.query(store, "agreements").dicts():
            print(row["label"], row["status"])
"""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import IO, Callable, Iterable

from rdflib import Literal
from rdflib.term import Identifier

from . import catalog, derived, paging
from .articles import MAX_BYTES
from .errors import QueryError
from .exports import FORMATS, write_export
from .ingest import IngestSummary, ingest_articles
from .outputs import replace_file
from .params import param_types, typed_bindings
from .remote import RemoteStore, is_url
from .results import QueryResult
from .store import Store
from .storebase import StoreLike
from .timeout import query_with_timeout
from .vocab import DKG

EXPORT_FORMATS = FORMATS
SPARQL_START = ("select", "construct", "ask", "describe", "prefix", "base")


def open_store(path: str | os.PathLike | None = None, readonly: bool = False, **endpoint_options) -> StoreLike:
    """The store at `path` (default: $KG_STORE or ./kg-store); created on first write. An
    http(s):// URL opens a SPARQL 1.1 endpoint instead (kg.remote.RemoteStore); `endpoint_options`
    (query, update, gsp, user, password, timeout) override what kg.remote.endpoints() derives."""
    path = path if path is not None else os.environ.get("KG_STORE")
    if is_url(path):
        return RemoteStore(path, readonly=readonly, **endpoint_options)
    return Store(path, readonly=readonly, create=not readonly)


def ingest(store: Store, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
           progress: Callable[[str], None] | None = None, max_bytes: int = MAX_BYTES,
           force: bool = False, workers: int = 1, optimize: bool = True) -> IngestSummary:
    """Files, folders (*.txt, *.jsonl, recursively) or '-' for `stdin`; see kg.ingest.IngestSummary.
    `workers` extraction processes (0 = one per CPU) give the same graph as one, faster; they are
    spawned, so a script that asks for them needs the usual `if __name__ == "__main__":` guard.
    A large ingest ends by compacting the database; `optimize=False` leaves that to kg.optimize."""
    return ingest_articles(store, [str(p) for p in paths], stdin=stdin, progress=progress,
                           max_bytes=max_bytes, force=force, workers=workers, optimize=optimize)


def optimize(store: StoreLike) -> float:
    """Compact the store's database (smaller, faster to read); returns the seconds it took. A
    remote store compacts itself: nothing to do."""
    started = time.perf_counter()
    if isinstance(store, Store):
        store.optimize()
    return time.perf_counter() - started


def explain(paths: Iterable[str], *, stdin: IO[bytes] | None = None, max_bytes: int = MAX_BYTES):
    """What the extractor reads in each article under `paths` (like ingest: .txt, .jsonl, folders,
    '-' for `stdin`), sentence by sentence: yields kg.explain.Explanation objects, or InputErrors
    for what could not be read. Nothing is stored. `kg.explain.render_text(e)` and
    `kg.explain.write_html([e], "out.html")` present them."""
    from .explain import explain as run
    return run(paths, stdin=stdin, max_bytes=max_bytes)


def query(store: Store, name_or_sparql: str, params: dict | None = None, limit: int | None = None,
          timeout: float | None = None, offset: int = 0) -> QueryResult:
    """Run a canned query by name (queries/NAME.rq), a .rq file, or SPARQL text. `params` bind
    variables to values (rdflib terms, or Python values made into literals) inside the engine;
    parameters typed in the query header as actor/system/region take a name or alias, resolved to
    its IRI, and date parameters an xsd:date. `limit` rows from `offset` give one page (canned
    queries list the newest or weightiest first; the engine cuts the page before details are looked
    up, see kg.paging); `result.more` tells whether rows follow; no limit means every row.
    `timeout` (seconds) runs the query in a child process (the store must be open read-only) that
    is killed when the time is up."""
    limit, offset = paging.check(limit, offset)
    sparql, declared = resolve_query(name_or_sparql)
    bindings = {name: as_term(value) for name, value in (params or {}).items()}
    unknown = sorted(set(bindings) - set(declared)) if declared is not None else []
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"unknown parameter {', '.join(unknown)} for query {name_or_sparql!r} (its parameters: {known})")
    bindings = typed_bindings(store, param_types(name_or_sparql), bindings)
    # an aggregate reads the store's tallies instead of every fact, where it keeps them (kg.tallies)
    if declared is not None and getattr(store, "has_tallies", False):
        sparql = catalog.tallied(name_or_sparql, bindings) or sparql
    # a marked query is cut by the engine; any other is read up to the page's end and skipped into
    skip, marked = offset, paging.is_paged(sparql)
    if marked:
        sparql, skip = paging.paged(sparql, limit, offset), 0
    read = None if limit is None else skip + limit + 1

    def run(text: str) -> QueryResult:
        if getattr(store, "remote", False):
            return store.query(text, bindings=bindings, limit=read, timeout=timeout)
        if timeout is not None:
            if not store.readonly:
                raise QueryError("a query with a timeout needs the store opened read-only")
            return query_with_timeout(store.path, text, bindings, read, timeout)
        return store.query(text, bindings=bindings, limit=read)

    # a newest-first listing asks the newest days (or years) first, where the store keeps an index
    # of them (kg.paging): store.days() or store.years()
    kind = paging.window_kind(sparql) if marked and limit is not None else None
    index = getattr(store, kind)() if kind and hasattr(store, kind) else None
    bounds = [as_date(bindings.get(name)) for name in ("since", "until")] if kind == "days" else []
    result = paging.run_windowed(run, sparql, index, derived.window, limit, offset, *bounds) if index else run(sparql)
    return result.page(skip, limit, offset)


def resolve_query(text: str) -> tuple[str, list[str] | None]:
    """(SPARQL, declared parameter names or None when undeclared) for a name, a file or SPARQL."""
    stripped = text.lstrip()
    if "{" in text or stripped.lower().startswith(SPARQL_START) or stripped.startswith("#"):
        return text, None
    if text.endswith(".rq") or os.sep in text:
        path = Path(text)
        if not path.is_file():
            raise QueryError(f"{text}: no such query file")
        q = catalog.parse(path)
        return q.text, list(q.params) or None
    q = catalog.find(text)
    return q.text, list(q.params)


def as_date(term) -> dt.date | None:
    """A bound xsd:date as a date (None for anything else)."""
    value = term.toPython() if isinstance(term, Literal) else None
    return value if type(value) is dt.date else None


def as_term(value) -> Identifier:
    if isinstance(value, Identifier):
        return value
    if isinstance(value, (str, int, float, bool, dt.date)):
        return Literal(value)
    raise QueryError(f"cannot bind {value!r}: give a string, number, date or rdflib term")


def export(store: Store, fmt: str | None, output: str | os.PathLike | IO[bytes], *, force: bool = False,
           since: dt.date | None = None, until: dt.date | None = None,
           progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the graph to `output` (a path, '-' for stdout, or a binary file) and return the files
    written. RDF: turtle/ntriples (the merged graph), trig/nquads/jsonld (one named graph per article,
    JSON-LD with the context of kg/context.jsonld embedded). Network (entities and the relations
    between them, for Gephi or Cytoscape): graphml, gexf, csv (two files, FILE-nodes.csv and
    FILE-edges.csv). `since`/`until` keep only articles dated within the range. Paths are written
    atomically and refused when they exist and are not an earlier export of ours, unless `force`.
    RDF formats call `progress(graph)` after each named graph."""
    return write_export(store, fmt, output, force=force, since=since, until=until, progress=progress)


def stats(store: Store) -> dict:
    """Articles, their date range, distinct things per class, and the size of the store."""
    articles = query(store, "articles").dicts()
    dates = sorted(d for d in (row.get("date") for row in articles) if isinstance(d, dt.date))
    classes = {str(row["class"])[len(str(DKG)):]: int(row["count"]) for row in query(store, "classes").dicts()}
    return {"articles": len(articles), "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None, "classes": classes,
            "triples": len(store), "graphs": sum(1 for _ in store.graphs())}


def validate(store: Store, *, strict: bool = False, since: dt.date | None = None, until: dt.date | None = None,
             progress: Callable[[str], None] | None = None):
    """Check every named graph (or the articles dated within [since, until]) against the SHACL
    shapes of the data model (kg/shapes.ttl), one graph at a time. Returns a kg.validate.Validation:
    `.conforms`, counts, and `.problems` (violations; warnings too when `strict`, which also makes
    warnings fail conformance)."""
    from .validate import validate_store
    return validate_store(store, strict=strict, since=since, until=until, progress=progress)


def viz(store: Store, output: str | os.PathLike, *, force: bool = False, view: str | None = None,
        focus: str | None = None, depth: int = 1, since: dt.date | None = None, until: dt.date | None = None,
        area: str | None = None, max_nodes: int | None = None, title: str | None = None) -> os.PathLike:
    """A self-contained HTML network page (no network needed to open it): `view` "actors" (countries
    and organisations that engage, the default) or "full"; `focus` NAME with `depth` for an ego
    network; article dates within [since, until]; `area` a cooperation area code; at most
    `max_nodes` nodes, the most important kept. Returns what the page shows (path-like)."""
    from .graphpage import DEFAULT_MAX_NODES, PageOptions, PageSummary, store_page
    opts = PageOptions(view=view, focus=focus, depth=depth, since=since, until=until, area=area,
                       max_nodes=max_nodes or DEFAULT_MAX_NODES, title=title or "defence-kg network")
    html, summary = store_page(store, opts)
    with replace_file(output, force) as fh:
        fh.write(html.encode("utf-8"))
    return PageSummary(Path(output), **summary)
