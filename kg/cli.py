"""The `kg` command: one click command per verb, each a thin layer over kg.api.

User mistakes (bad files, a foreign --store, a query that does not parse) are KGErrors: the group
prints their one-line message and exits non-zero; no command shows a traceback for them.
"""
from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rdflib import Literal, URIRef

from . import __version__, api, catalog, paging
from .articles import MAX_BYTES, expand
from .errors import KGError
from .store import DEFAULT_STORE
from .vocab import PREFIXES

DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
INTEGER = re.compile(r"[+-]?\d{1,18}\Z")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class UserError(click.ClickException):
    """A KGError as click renders it: 'Error: <message>' on stderr, and the error's exit code."""

    def __init__(self, err: KGError):
        super().__init__(str(err))
        self.exit_code = err.exit_code


class KGGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as err:
            raise UserError(err) from None


class QueryParam(click.ParamType):
    """--param name=value: dates (YYYY-MM-DD) and integers become typed literals, <IRI> an IRI,
    anything else a plain string. Values are bound by the engine, never pasted into SPARQL."""

    name = "NAME=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, sep, raw = value.partition("=")
        if not sep or not VARIABLE.match(name):
            self.fail(f"{value!r} is not NAME=VALUE (NAME a SPARQL variable name)", param, ctx)
        if raw.startswith("<") and raw.endswith(">"):
            iri = raw[1:-1]
            if not iri or any(c in iri for c in ' <>"{}|\\^`') or ":" not in iri:
                self.fail(f"{raw!r} is not an IRI", param, ctx)
            return name, URIRef(iri)
        if DATE.match(raw):
            return name, Literal(raw, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
        if INTEGER.match(raw):
            return name, Literal(int(raw))
        return name, Literal(raw)


def store_option(f):
    return click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
                        type=click.Path(file_okay=False), metavar="PATH",
                        help="The store folder, or a SPARQL 1.1 endpoint URL http(s)://... (or set KG_STORE).")(f)


def cite(sentence: str) -> str:
    """An evidence sentence in quotes, unless it is itself a quotation (no doubled quotes)."""
    return sentence if sentence[:1] in "\"“'‘" else f"\"{sentence}\""


def date_range_options(f):
    """--since/--until YYYY-MM-DD, given to the command as dates: articles dated in the range."""
    def as_date(ctx, param, value):
        return value.date() if value else None
    for name, side in (("--until", "on or before"), ("--since", "on or after")):
        f = click.option(name, type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", callback=as_date,
                         help=f"Only articles dated {side} this day.")(f)
    return f


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Example:\n\n\b\n  kg ingest seeds/\n  kg query agreements\n"
                    "  kg export --format turtle -o out/graph.ttl")
@click.version_option(__version__, prog_name="kg", message="%(prog)s (defence-kg) %(version)s")
def cli():
    """defence-kg: defence and security news into an RDF knowledge graph."""


@cli.command(epilog="Examples:\n\n\b\n  kg ingest seeds/\n  kg ingest --store /tmp/kg news.jsonl more/\n"
                    "  cat article.txt | kg ingest -\n  kg ingest --workers 0 big-corpus.jsonl")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--force", is_flag=True, help="Re-extract articles even when their text is unchanged.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Largest article (or JSON Lines line) read.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--workers", default="1", show_default=True, callback=lambda ctx, param, value: parse_workers(value),
              help="Extraction processes: N, or 0 / auto for one per CPU. Same result as 1, faster.")
@click.option("--optimize/--no-optimize", default=True, show_default=True,
              help="Compact the database after a large ingest. --no-optimize for several ingests in a row, "
                   "then 'kg optimize' once.")
def ingest(paths, store_path, force, max_bytes, progress, workers, optimize):
    """Read articles and add what they say to the store.

    PATH is a text file (starting 'date YYYY-MM-DD'), a JSON Lines file (id, date, text, optional
    title and url per line), a folder (its *.txt and *.jsonl, recursively) or '-' for stdin.
    An unchanged article is skipped; a changed one replaces its graph. Exits 1 if any input failed.

    One ingest writes to a store at a time: another one started meanwhile stops at once with
    "the store is busy" (exit 1) and changes nothing, and queries, stats and exports say the same
    until the ingest ends. Articles are written in batches, each in one transaction, so an ingest
    that is killed leaves whole articles or none; running it again completes it.
    """
    show = progress if progress is not None else sys.stderr.isatty()
    with api.open_store(store_path) as store:
        if show:
            with click.progressbar(length=count_articles(paths), label="Ingesting", file=sys.stderr,
                                   item_show_func=lambda s: s and s[-40:]) as bar:
                summary = api.ingest(store, paths, max_bytes=max_bytes, force=force, workers=workers,
                                     optimize=optimize, progress=lambda source: bar.update(1, source))
        else:
            summary = api.ingest(store, paths, max_bytes=max_bytes, force=force, workers=workers,
                                 optimize=optimize)
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for message in summary.failed:
        click.echo(f"Error: {message}", err=True)
    click.echo(f"{store_path}: {summary.line()}")
    if summary.failed:
        sys.exit(1)


@cli.command(epilog="Examples:\n\n\b\n  kg ingest --no-optimize jan.jsonl\n  kg ingest --no-optimize feb.jsonl\n"
                    "  kg optimize")
@store_option
def optimize(store_path):
    """Compact the store's database: smaller on disk, faster to query.

    'kg ingest' does this after a large ingest; after ingests run with --no-optimize, run it once.
    """
    if api.is_url(store_path):
        click.echo(f"{store_path}: a remote store compacts its own database; nothing to do")
        return
    with api.Store(store_path, create=False) as store:
        seconds = api.optimize(store)
    click.echo(f"{store_path}: compacted in {seconds:.1f} s")


@cli.command(epilog="Examples:\n\n\b\n  kg explain seeds/000_d3ded9d413c739a5.txt\n"
                    "  kg explain news.jsonl --html out/explain.html\n  cat article.txt | kg explain -")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), metavar="OUT.html",
              help="Write a self-contained page instead of printing.")
@click.option("--force", is_flag=True, help="Overwrite OUT.html even if it is not an earlier kg page.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Largest article (or JSON Lines line) read.")
def explain(paths, html_out, force, max_bytes):
    """Show what the extractor reads in an article, sentence by sentence: the mentions found (type,
    resolved entity, rule) and the facts read (kind, participants, date, status, rule), then the
    article's entities. Takes what ingest takes (a .txt with its date header, a JSON Lines file, a
    folder, '-' for stdin); stores nothing. Exits 1 if any input could not be read.
    """
    from .explain import render_text, write_html
    failed = []

    def articles():
        for item in api.explain(paths, max_bytes=max_bytes):
            if isinstance(item, KGError):
                failed.append(str(item))
                click.echo(f"Error: {item}", err=True)
            else:
                yield item

    if html_out:
        n = write_html(articles(), html_out, force=force)
        click.echo(f"{html_out}: {n} article(s) explained")
    else:
        color = sys.stdout.isatty()
        for n, item in enumerate(articles()):
            click.echo(("\n" if n else "") + render_text(item, color=color))
    if failed:
        sys.exit(1)


def parse_workers(value: str) -> int:
    """--workers N, or 0 / auto: one per CPU."""
    text = str(value).strip().lower()
    if text == "auto":
        return 0
    if not text.isdigit():
        raise click.BadParameter(f"{value!r} is not a number of processes (give N, 0 or auto)")
    return int(text)


def count_articles(paths) -> int:
    """A length for the progress bar: one per text file, one per line of a JSON Lines file."""
    total = 0
    for item in expand(paths):
        if isinstance(item, tuple) and item[0] != "-" and item[1].suffix == ".jsonl":
            try:
                with open(item[1], "rb") as fh:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) or 1
            except OSError:
                total += 1
        else:
            total += 1
    return max(total, 1)


@cli.command(epilog="Examples:\n\n\b\n  kg query agreements\n  kg query agreements --param status=signed --format csv\n"
                    "  kg query timeline --offset 100          (the next page)\n"
                    "  kg query partners --all --format csv    (every row)\n"
                    "  kg query my-query.rq --format json\n"
                    "  kg query -e 'SELECT ?c ?name WHERE { ?c a dkg:Country ; rdfs:label ?name }'\n"
                    "  kg query --list")
@click.argument("query", required=False, metavar="(FILE.rq | NAME)")
@click.option("-e", "--sparql", metavar="SPARQL", help="Run this SPARQL text instead of a file or name.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Result format (json: SPARQL 1.1 JSON results). CONSTRUCT/DESCRIBE print Turtle.")
@click.option("--param", "params", multiple=True, type=QueryParam(),
              help="Bind a query variable (repeatable): dates and integers are typed, <IRI> is an IRI.")
@click.option("--limit", type=click.IntRange(min=1, max=paging.MAX_PAGE), metavar="N",
              help=f"Rows per page (default {paging.DEFAULT_PAGE}, at most {paging.MAX_PAGE:,}); "
                   "canned queries list the newest or weightiest first.")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip the first N rows: --offset 100 is the second page of 100.")
@click.option("--all", "all_rows", is_flag=True, help="Every row, however many (no page).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop the query after this many seconds (exit 2).")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
@store_option
def query(query, sparql, fmt, params, limit, offset, all_rows, timeout, list_queries, store_path):
    """Run SPARQL over the union of all article graphs.

    NAME is a canned query (a file in queries/ without .rq: see --list). The prefixes dkg:, rdf:,
    rdfs:, skos:, prov:, dcterms:, xsd: and owl: are predeclared for -e queries.
    """
    if list_queries:
        for q in catalog.available():
            params_text = "".join(f"\n      --param {n}: {d}" for n, d in q.params.items())
            click.echo(f"{q.name:<16} {q.description}{params_text}")
        return
    if bool(query) == bool(sparql):
        raise click.UsageError("give one of FILE.rq, NAME or -e SPARQL (see kg query --list)")
    if all_rows and limit is not None:
        raise click.UsageError("give --limit N or --all, not both")
    limit = None if all_rows else (limit or paging.DEFAULT_PAGE)
    text = query or with_prefixes(sparql)
    with api.open_store(store_path, readonly=True) as store:
        try:
            result = api.query(store, text, params=dict(params), limit=limit, offset=offset, timeout=timeout)
        except KGError as err:
            # positions in the text the user typed, not after our PREFIX lines
            shift = -(text.count("\n") - sparql.count("\n")) if sparql else 0
            err.args = (shift_lines(str(err), shift),)
            raise
    click.echo(result.serialize(fmt), nl=False)
    if result.more:         # on stderr, so CSV/JSON/TSV on stdout stay one clean document
        first, last = result.offset + 1, result.offset + len(result)
        click.echo(f"(rows {first:,}-{last:,}; more follow: add --offset {last} for the next page, "
                   "or --all for every row)", err=True)


def shift_lines(message: str, delta: int) -> str:
    """'error at 9:3: ...' -> 'error at line 1, column 3: ...' with the line moved by `delta`."""
    return re.sub(r"error at (\d+):(\d+)",
                  lambda m: f"error at line {max(1, int(m.group(1)) + delta)}, column {m.group(2)}", message)


@cli.command(epilog="Examples:\n\n\b\n  kg queries\n  kg query partners --param actor=India")
def queries():
    """List the canned queries: what each answers, and its parameters."""
    for q in catalog.available():
        click.echo(f"{q.name}: {q.title}")
        click.echo(f"    {q.description}")
        for name, text in q.params.items():
            kind = q.param_types.get(name)
            click.echo(f"    --param {name}{f' ({kind})' if kind else ''}: {text}")
        for example in q.examples:
            click.echo(f"    e.g. {example}")


def with_prefixes(sparql: str) -> str:
    """-e queries may use the usual prefixes without declaring them; their own PREFIX lines win."""
    declared = {m.lower() for m in re.findall(r"(?im)^\s*prefix\s+([\w-]*):", sparql)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join(lines + [sparql])




@cli.command(epilog="Examples:\n\n\b\n  kg export --format turtle -o out/graph.ttl\n"
                    "  kg export -o out/graph.jsonld\n"
                    "  kg export --since 2025-01-01 --until 2025-12-31 -o out/2025.trig\n"
                    "  kg export -o out/network.graphml        # Gephi, Cytoscape\n"
                    "  kg export --format csv -o out/network    # out/network-nodes.csv, out/network-edges.csv\n"
                    "  kg export --format nquads | gzip > graph.nq.gz")
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)),
              help="RDF: turtle/ntriples (the merged graph), trig/nquads/jsonld (one named graph per article). "
                   "Network: graphml, gexf, csv (FILE-nodes.csv and FILE-edges.csv). Default: from the file name.")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Where to write (default: stdout).")
@date_range_options
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not an earlier kg export.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@store_option
def export(fmt, output, since, until, force, progress, store_path):
    """Write the graph (or the articles of a date range) as RDF or as a network."""
    from .exports import RDF_FORMATS, format_from_name
    fmt = fmt or ("turtle" if output == "-" else format_from_name(output))
    with api.open_store(store_path, readonly=True) as store:
        # RDF is written graph by graph: a bar can follow it; a network is built in one step
        with graph_progress(store, progress if fmt in RDF_FORMATS else False, "Exporting", since, until) as step:
            written = api.export(store, fmt, output, force=force, since=since, until=until, progress=step)
    for path in written:
        click.echo(f"Wrote {path}", err=True)


@cli.command(epilog="Examples:\n\n\b\n  kg validate\n  kg validate --strict\n"
                    "  kg validate --format json > report.json\n  kg validate --format turtle > report.ttl")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True,
              help="text: problems grouped by graph, node and property; json: counts and problems; "
                   "turtle: a SHACL validation report.")
@click.option("--strict", is_flag=True,
              help="Also list warnings (what depends on extraction quality) and fail on them.")
@date_range_options
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@store_option
def validate(fmt, strict, since, until, progress, store_path):
    """Check the graph against the data model's SHACL shapes (kg/shapes.ttl), article by article.

    Exits 0 when every graph conforms, 1 when one does not.
    """
    from .validate import report_graph, summary_line, text_lines, validate_store
    # text: each graph's problems as soon as it is checked (lines may interleave with a progress bar)
    printer = (lambda problems: click.echo("\n".join(text_lines(problems)))) if fmt == "text" else None
    with api.open_store(store_path, readonly=True) as store:
        with graph_progress(store, progress, "Validating", since, until) as step:
            result = validate_store(store, strict=strict, since=since, until=until, progress=step,
                                    on_graph=printer)
    if fmt == "json":
        click.echo(json.dumps({**result.summary(), "problems": [p.as_dict() for p in result.problems]},
                              indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        click.echo(report_graph(result).serialize(format="turtle"), nl=False)
    else:
        click.echo(summary_line(result))
    sys.exit(0 if result.conforms else 1)


@contextmanager
def graph_progress(store, show, label, since, until):
    """A progress bar over the store's graphs (those of the date range) on stderr, when asked for
    or when stderr is a terminal; yields the step function (None without a bar)."""
    if not (show if show is not None else sys.stderr.isatty()):
        yield None
        return
    from .exports.rdf import graphs_in_range
    total = sum(1 for _ in graphs_in_range(store, since, until))
    with click.progressbar(length=total, label=label, file=sys.stderr,
                           item_show_func=lambda s: s and s[-40:]) as bar:
        yield lambda name: bar.update(1, name)


@cli.command(epilog="Examples:\n\n\b\n  kg viz -o out/graph.html\n  kg viz --view full -o out/full.html\n"
                     "  kg viz --focus India --depth 2 --since 2025-01-01 -o out/india.html")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="FILE.html",
              help="The page to write.")
@click.option("--view", type=click.Choice(["actors", "full"]), default=None,
              help="actors: countries and organisations that engage (default); full: every class.")
@click.option("--focus", metavar="NAME", help="Only NAME's neighbourhood (name, alias, ISO code or IRI).")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True, help="Hops around --focus.")
@date_range_options
@click.option("--area", metavar="CODE", help="Only relations in this cooperation area (e.g. maritime-security).")
@click.option("--max-nodes", type=click.IntRange(1), default=3000, show_default=True,
              help="Keep the most important nodes; the page says how many were left out.")
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not an earlier kg page.")
@store_option
def viz(output, view, focus, depth, since, until, area, max_nodes, force, store_path):
    """Write an interactive network page that works offline: who engages with whom, and why."""
    with api.open_store(store_path, readonly=True) as store:
        page = api.viz(store, output, force=force, view=view, focus=focus, depth=depth,
                       since=since, until=until,
                       area=area, max_nodes=max_nodes)
    click.echo(f"Wrote {page.line()} (open it in a browser)", err=True)


@cli.command(epilog="Examples:\n\n\b\n  kg stats\n  kg stats --format json")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
def stats(fmt, store_path):
    """Articles, their date range, things per class, triples."""
    with api.open_store(store_path, readonly=True) as store:
        info = api.stats(store)
    if fmt == "json":
        click.echo(json.dumps(info, default=str, indent=2))
        return
    span = f" ({info['first_date']} to {info['last_date']})" if info["first_date"] else ""
    click.echo(f"Store:     {store_path if '://' in store_path else Path(store_path)}")
    click.echo(f"Articles:  {info['articles']:,}{span}")
    click.echo(f"Triples:   {info['triples']:,} in {info['graphs']:,} graphs (one per article, one ontology)")
    if info["classes"]:
        click.echo("Classes:")
        width = max(len(c) for c in info["classes"])
        for cls, n in info["classes"].items():
            click.echo(f"  {cls:<{width}}  {n:>7,}")


@cli.command(epilog="Examples:\n\n\b\n  kg show India\n  kg show 'Rajnath Singh' --format json")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def show(name, fmt, store_path):
    """An entity's profile: type, labels, aliases, roles, relations with dates and evidence, articles."""
    from .analysis import profile
    with api.open_store(store_path, readonly=True) as store:
        info = profile(store, name)
    if fmt == "json":
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"{', '.join(info['labels']) or info['iri']}  <{info['iri']}>")
    click.echo(f"  type:     {', '.join(t for t in info['types'] if t != 'Actor')}")
    for key in ("aliases", "roles", "iso_code", "org_kind"):
        if info[key]:
            click.echo(f"  {key.replace('_', ' ') + ':':<9} {', '.join(info[key])}")
    for key in ("affiliated_with", "located_in", "engages_with"):
        if info[key]:
            names = ", ".join(x["label"] if isinstance(x, dict) else x for x in info[key])
            click.echo(f"  {key.replace('_', ' ')}: {names}")
    click.echo(f"Relations ({len(info['relations'])}):")
    for r in info["relations"]:
        click.echo(f"  {r['date'] or '----------'}  {r['kind']} ({r['role']}): {r['label'] or r['fact']}")
        if r["evidence"]:
            click.echo(f"      {cite(r['evidence'])}  [{r['source']}]")
    click.echo(f"Articles ({len(info['articles'])}):")
    for a in info["articles"]:
        click.echo(f"  {a['date'] or ''}  {a['source']}")


@cli.command(epilog="Examples:\n\n\b\n  kg path 'Kaja Kallas' 'Sébastien Lecornu'\n  kg path Russia Japan")
@click.argument("a")
@click.argument("b")
@click.option("--max", "max_paths", type=click.IntRange(min=1), default=5, show_default=True, help="At most N chains.")
@store_option
def path(a, b, max_paths, store_path):
    """The shortest chains connecting two actors, each hop with its evidence. Exits 1 if none."""
    from .analysis import paths, require_two_names
    require_two_names(a, b)
    with api.open_store(store_path, readonly=True) as store:
        found = paths(store, a, b, max_paths)
    if not found:
        click.echo(f"No chain connects {a} and {b}.", err=True)
        sys.exit(1)
    for i, chain in enumerate(found, 1):
        click.echo(f"Chain {i} ({len(chain)} hop{'s' if len(chain) != 1 else ''}):")
        for hop in chain:
            click.echo(f"  {hop['from']} -[{hop['relation']}]- {hop['to']}")
            if hop["evidence"]:
                click.echo(f"      {cite(hop['evidence'])}  [{hop['source']}, {hop['date']}]")


@cli.command(epilog="Examples:\n\n\b\n  kg analyze\n  kg analyze --since 2026-01-01 --format csv")
@date_range_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@store_option
def analyze(since, until, fmt, store_path):
    """Centrality (degree, betweenness, PageRank) and communities of the actor network."""
    import csv as csvmod
    import io

    from .analysis import centrality
    with api.open_store(store_path, readonly=True) as store:
        rows = centrality(store, since, until)
    cols = ["label", "kind", "degree", "articles", "betweenness", "pagerank", "community", "actor"]
    if fmt == "csv":
        out = io.StringIO()
        w = csvmod.DictWriter(out, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no actors in range)")
        return
    width = max(len("label"), *(len(r["label"]) for r in rows))
    click.echo(f"{'label':<{width}}  {'kind':<12}  degree  articles  betweenness  pagerank  community")
    for r in rows:
        click.echo(f"{r['label']:<{width}}  {r['kind']:<12}  {r['degree']:>6}  {r['articles']:>8}  "
                   f"{r['betweenness']:>11.4f}  {r['pagerank']:>8.4f}  {r['community']:>9}")


@cli.command(epilog="Examples:\n\n\b\n  kg serve\n  kg serve --store /data/kg --port 8080 --timeout 60 --limit 50000\n"
                    "  kg serve --writable      # then: kg ingest --store http://127.0.0.1:7878 news/\n"
                    "  curl --data-urlencode 'query=ASK { ?s ?p ?o }' http://127.0.0.1:7878/query")
@click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
              type=click.Path(file_okay=False), metavar="PATH", help="The store folder to serve (or set KG_STORE).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="TCP port (0: any free one).")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the store to the network (there is no authentication).")
@click.option("--writable", is_flag=True, help="Accept SPARQL Update and Graph Store writes (default: read-only).")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True, metavar="SECONDS",
              help="Stop a query after this long.")
@click.option("--limit", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Most rows (or triples) one answer returns; a cut answer has the header X-KG-Truncated.")
def serve(store_path, port, bind, writable, timeout, limit):
    """Serve the store as a SPARQL 1.1 Protocol endpoint (the Oxigraph server) until Ctrl-C.

    Endpoints: /query (SELECT, ASK, CONSTRUCT, DESCRIBE; GET or POST), /store (Graph Store
    Protocol) and, with --writable, /update. While it runs the store is locked: read-only, other
    kg readers may share it but `kg ingest` is refused as busy; writable, it is the only user of
    the folder (point kg at the URL instead: kg ingest --store http://127.0.0.1:7878 ...).
    """
    from .serve import ServeOptions
    from .serve import serve as run
    run(ServeOptions(Path(store_path), port=port, bind=bind, writable=writable, timeout=timeout, limit=limit),
        echo=lambda text: click.echo(text, err=False))


def main():
    try:
        cli(prog_name="kg")
    except BrokenPipeError:     # kg query ... | head
        sys.stderr.close()
        sys.exit(1)


if __name__ == "__main__":
    main()
