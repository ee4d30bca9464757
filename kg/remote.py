"""A store behind a SPARQL 1.1 endpoint: the same interface as kg.store.Store, over HTTP.

Extraction stays on the client; each article graph is written with one Graph Store Protocol PUT
(replace semantics, so re-ingest is idempotent) or, where the server has no GSP, one SPARQL Update
`DROP SILENT GRAPH ; INSERT DATA`. Queries run on the server. Remote endpoints have no initial
bindings, so parameters become a VALUES block at the start of the query's WHERE group, made of
terms that are validated and escaped here (a value can never close the block or the query).

Endpoints come from the --store URL, overridable by environment variables (see endpoints()):
KG_SPARQL_QUERY, KG_SPARQL_UPDATE, KG_GSP (`none` turns GSP off), KG_SPARQL_USER and
KG_SPARQL_PASSWORD (HTTP Basic or Digest, whichever the server asks for), KG_SPARQL_TIMEOUT.
"""
from __future__ import annotations

import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import QueryError, StoreError
from .ontology import ontology_triples
from .results import QueryResult
from .store import ArticleQuads, entity_entries, from_ox, to_ox
from .vocab import DKG, ENTITY_GRAPH, ONTOLOGY_GRAPH, XSD

DEFAULT_TIMEOUT = 300.0
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*\Z")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# What a query's text may hold before its WHERE group: comments, strings, IRIs, anything else.
TOKEN = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
                   r'|(?<![\w:?$])WHERE(?![\w:-])|\{|.', re.IGNORECASE | re.DOTALL)
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9"
ARTICLE_VALUE_QUERY = "SELECT ?v WHERE { GRAPH ?g { ?g ?p ?v } }"
GRAPHS_QUERY = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g <%s> ?h } } ORDER BY ?g" % DKG.contentHash)
COUNT_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g <%s> ?h } GRAPH ?g { ?s ?p ?o } }"
               % DKG.contentHash)


class RemoteError(StoreError):
    """The endpoint refused, failed or did not answer; the message carries the server's words."""

    exit_code = 2


def is_url(value) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@dataclass
class Endpoints:
    query: str
    update: str
    gsp: str | None          # None: write with SPARQL Update
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT


def endpoints(url: str, **given) -> Endpoints:
    """Endpoint URLs for a --store URL. A bare server (http://host:7878/) or a URL ending in /query
    is an Oxigraph or `kg serve` endpoint (/query, /update, /store); any other URL is taken as a
    single SPARQL endpoint for queries and updates (Virtuoso's /sparql, Neptune, GraphDB's
    repository URL), without GSP unless KG_GSP names one. Keyword arguments win over env vars."""
    keys = {"KG_SPARQL_QUERY": "query", "KG_SPARQL_UPDATE": "update", "KG_GSP": "gsp",
            "KG_SPARQL_USER": "user", "KG_SPARQL_PASSWORD": "password"}
    env = lambda key: given.get(keys[key]) or os.environ.get(key)
    parts = urllib.parse.urlsplit(url)
    base = url.rstrip("/")
    if parts.path in ("", "/"):
        query, update, gsp = base + "/query", base + "/update", base + "/store"
    elif parts.path.endswith("/query"):
        root = base[: -len("/query")]
        query, update, gsp = base, root + "/update", root + "/store"
    else:
        query, update, gsp = url, url, None
    gsp_env = env("KG_GSP")
    if gsp_env:
        gsp = None if gsp_env.lower() == "none" else gsp_env
    timeout = given.get("timeout") or os.environ.get("KG_SPARQL_TIMEOUT") or DEFAULT_TIMEOUT
    return Endpoints(query=env("KG_SPARQL_QUERY") or query, update=env("KG_SPARQL_UPDATE") or update,
                     gsp=gsp, user=env("KG_SPARQL_USER"), password=env("KG_SPARQL_PASSWORD") or "",
                     timeout=float(timeout))


# -- safe SPARQL text for parameter values ------------------------------------------------------
def sparql_iri(iri: str) -> str:
    if not iri or IRI_FORBIDDEN.search(iri) or ":" not in iri:
        raise QueryError(f"not a usable IRI: {iri!r} (IRIs cannot hold spaces or any of <>\"{{}}|^`\\)")
    return f"<{iri}>"


def sparql_string(text: str) -> str:
    """A quoted SPARQL string: backslash, quotes and line breaks escaped, other control
    characters as \\u escapes, so nothing in `text` can end the literal."""
    out = []
    for ch in text:
        if ch in '\\"\'':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sparql_term(term) -> str:
    """An rdflib term as SPARQL text, or QueryError for what cannot be written safely."""
    if isinstance(term, URIRef):
        return sparql_iri(str(term))
    if isinstance(term, Literal):
        lexical = sparql_string(str(term))
        if term.language:
            if not LANG.match(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f"{lexical}@{term.language}"
        if term.datatype and str(term.datatype) != str(XSD.string):
            return f"{lexical}^^{sparql_iri(str(term.datatype))}"
        return lexical
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be a parameter of a remote query")
    raise QueryError(f"cannot bind {term!r}")


def with_values(sparql: str, bindings: dict) -> str:
    """The query with `VALUES (?a ?b) { (...) }` first in its WHERE group and in the WHERE group of
    every sub-select, which is how initial bindings are given to an endpoint: FILTERs and EXISTS in
    those groups see the values, as they do when the embedded engine substitutes the variables."""
    if not bindings:
        return sparql
    for name in bindings:
        if not VARIABLE.match(name):
            raise QueryError(f"not a variable name: {name!r}")
    block = (" VALUES (" + " ".join("?" + n for n in bindings) + ") { ("
             + " ".join(sparql_term(t) for t in bindings.values()) + ") } ")
    where, construct, cuts = False, None, []
    for m in TOKEN.finditer(sparql):
        tok = m.group()
        if tok.upper() == "WHERE":
            where = True
        elif tok == "{":
            if construct is None:       # a CONSTRUCT's first group is its template
                construct = bool(re.match(r"\s*CONSTRUCT\b", _strip_prologue(sparql[: m.start()]), re.I))
            if where or not (construct or cuts):
                cuts.append(m.end())
            where = False
    if not cuts:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    for cut in reversed(cuts):
        sparql = sparql[:cut] + block + sparql[cut:]
    return sparql


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the answer type to ask for (some servers, Virtuoso
    among them, answer a CONSTRUCT as a results table when a table is what the client accepts)."""
    m = re.match(r"\s*(\w+)", _strip_prologue(sparql))
    return m.group(1).upper() if m else ""


def _strip_prologue(head: str) -> str:
    """The query form keyword onwards: PREFIX/BASE lines and comments removed."""
    head = "".join(" " if m.group().startswith("#") else m.group() for m in TOKEN.finditer(head))
    return re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", head)


# -- the store ----------------------------------------------------------------------------------
class RemoteStore:
    """A defence-kg store on a SPARQL 1.1 server; usable wherever kg.store.Store is (both are
    kg.storebase.StoreLike)."""

    remote = True

    def __init__(self, url: str, *, readonly: bool = False, **endpoint_options):
        self.path = url                   # what messages and pages call the store
        self.readonly = readonly
        self.ep = endpoints(url, **endpoint_options)
        self._opener = self._make_opener()
        self._name_keys: bool | None = None
        if not readonly:
            self._ensure_ontology()

    @property
    def has_name_keys(self) -> bool:
        """Whether the entity graph carries name keys (written with every entry since store format 3;
        data written by an older defence-kg lacks them, and kg.params then scans the names)."""
        if self._name_keys is None:
            self._name_keys = bool(self.query(
                f"SELECT ?e WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e <{DKG.nameKey}> ?k }} }} LIMIT 1").rows)
        return self._name_keys

    def _make_opener(self):
        handlers = []
        if self.ep.user:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.ep.query, self.ep.update, self.ep.gsp} - {None}:
                mgr.add_password(None, url, self.ep.user, self.ep.password)
            handlers += [urllib.request.HTTPBasicAuthHandler(mgr), urllib.request.HTTPDigestAuthHandler(mgr)]
        return urllib.request.build_opener(*handlers)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- HTTP ----------------------------------------------------------------------------------
    def _request(self, url: str, *, data: bytes | None = None, method: str | None = None,
                 headers: dict | None = None, timeout: float | None = None):
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        limit = timeout or self.ep.timeout
        try:
            return self._opener.open(req, timeout=limit)
        except urllib.error.HTTPError as err:
            raise RemoteError(f"{_short(url)}: HTTP {err.code} {err.reason}: {server_message(err)}") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, ConnectionRefusedError):
                raise RemoteError(f"{_short(url)}: connection refused (is the SPARQL server running?)") from None
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise RemoteError(f"{_short(url)}: no answer within {limit:g} s") from None
            raise RemoteError(f"{_short(url)}: cannot connect ({reason})") from None
        except (TimeoutError, socket.timeout):
            raise RemoteError(f"{_short(url)}: no answer within {limit:g} s") from None
        except (ConnectionError, OSError) as err:
            raise RemoteError(f"{_short(url)}: connection failed ({err})") from None

    def _update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        with self._request(self.ep.update, data=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"}):
            pass

    def _ask_server(self, sparql: str, timeout: float | None = None):
        body = urllib.parse.urlencode({"query": sparql}).encode()
        accept = ACCEPT_RDF if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else ACCEPT_RESULTS
        return self._request(self.ep.query, data=body, timeout=timeout,
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    # -- reading -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: dict | None = None, limit: int | None = None,
              timeout: float | None = None) -> QueryResult:
        """SPARQL on the server over the union of the article graphs; `bindings` go in a VALUES
        block; `limit` stops reading after that many rows; `timeout` bounds each wait (seconds)."""
        text = with_values(sparql, bindings or {})
        with self._ask_server(text, timeout) as resp:
            try:
                return QueryResult.from_ox(parse_response(resp), limit)
            except (SyntaxError, ValueError, OSError) as err:
                if isinstance(err, (TimeoutError, socket.timeout)):
                    raise RemoteError(f"{_short(self.ep.query)}: no answer within "
                                      f"{timeout or self.ep.timeout:g} s") from None
                raise RemoteError(f"{_short(self.ep.query)}: unreadable answer ({err})") from None

    def values(self, sparql: str, bindings: dict | None = None) -> Iterator[tuple]:
        """SELECT solutions as tuples of plain strings (None when unbound), as Store.values."""
        for row in self.query(sparql, bindings):
            yield tuple(None if t is None else str(t) for t in row)

    def content_hash(self, graph: URIRef) -> str | None:
        return self._article_value(graph, DKG.contentHash)

    def extractor_version(self, graph: URIRef) -> str | None:
        return self._article_value(graph, DKG.extractorVersion)

    def _article_value(self, graph: URIRef, prop: URIRef) -> str | None:
        rows = self.query(ARTICLE_VALUE_QUERY, {"g": URIRef(str(graph)), "p": prop}).rows
        return str(rows[0][0]) if rows else None

    def graphs(self) -> Iterator[URIRef]:
        """Our graphs only (each article's and the ontology's): a shared server holds others."""
        for (g,) in self.query(GRAPHS_QUERY).rows:
            yield g

    def __len__(self) -> int:
        rows = self.query(COUNT_QUERY).rows
        return int(rows[0][0]) if rows else 0

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple]:
        for g in ([graph] if graph is not None else list(self.graphs())):
            for t in self._graph_triples(URIRef(str(g))):
                yield (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object), URIRef(str(g)))

    def _graph_triples(self, graph: URIRef) -> Iterator[ox.Triple]:
        """One graph's triples, streamed: GSP GET where there is GSP, else a CONSTRUCT."""
        if self.ep.gsp:
            resp = self._request(f"{self.ep.gsp}?{urllib.parse.urlencode({'graph': str(graph)})}",
                                 headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
        else:
            resp = self._ask_server(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_iri(str(graph))} "
                                    "{ ?s ?p ?o } }")
        with resp:
            yield from parse_response(resp)

    @property
    def dataset(self):
        raise StoreError(f"{self.path}: a remote store has no rdflib Dataset view; query it with kg.query")

    # -- writing -------------------------------------------------------------------------------
    def write(self, articles: Sequence[tuple[URIRef, Iterable[tuple], bool]]) -> int:
        """Each article graph replaced whole in one request (GSP PUT or one SPARQL Update)."""
        self._writable()
        written = 0
        for graph, triples, _replace in articles:
            terms = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
            nt = ox.serialize([ox.Triple(*t) for t in terms], format=ox.RdfFormat.N_TRIPLES)
            written += nt.count(b"\n")
            self._send_graph(str(graph), nt, replace=True)
            # the entity graph the canned queries read names from (see kg.store): added to, never replaced
            entries = ox.serialize([ox.Triple(*t) for t in entity_entries(terms)], format=ox.RdfFormat.N_TRIPLES)
            if entries:
                self._send_graph(ENTITY_GRAPH, entries, replace=False)
        return written

    def write_quads(self, articles: Sequence[tuple[ArticleQuads, bool]]) -> int:
        """Prepared articles (as ingest workers build them for the embedded store), sent as above."""
        return self.write([(URIRef(a.graph), a.triples(), replace) for a, replace in articles])

    def _send_graph(self, graph: str, ntriples: bytes, replace: bool) -> None:
        """Replace a graph whole (GSP PUT, or DROP + INSERT DATA in one update), or add to it
        (GSP POST, or INSERT DATA), keeping what it holds."""
        if self.ep.gsp:
            # N-Triples is Turtle too; text/turtle is the type every GSP server knows
            url = f"{self.ep.gsp}?{urllib.parse.urlencode({'graph': graph})}"
            with self._request(url, data=ntriples, method="PUT" if replace else "POST",
                               headers={"Content-Type": "text/turtle; charset=utf-8"}):
                pass
        else:
            g = sparql_iri(graph)
            drop = f"DROP SILENT GRAPH {g} ;\n" if replace else ""
            self._update(f"{drop}INSERT DATA {{ GRAPH {g} {{\n{ntriples.decode()}}} }}")

    def remove(self, graph: URIRef) -> None:
        self._writable()
        self._update(f"DROP SILENT GRAPH {sparql_iri(str(graph))}")

    def _ensure_ontology(self) -> None:
        """The ontology graph, with the hash of the shipped file, as the embedded store keeps it."""
        triples, stamp = ontology_triples()
        if self.content_hash(URIRef(ONTOLOGY_GRAPH)) == stamp:
            return
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        triples.append(ox.Triple(g, ox.NamedNode(str(DKG.contentHash)), ox.Literal(stamp)))
        self._send_graph(ONTOLOGY_GRAPH, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), replace=True)

    def _writable(self):
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")


def parse_response(resp):
    """SPARQL results (solutions or boolean) or triples, read lazily from an HTTP answer."""
    media = resp.headers.get("Content-Type", "application/sparql-results+json")
    results = ox.QueryResultsFormat.from_media_type(media)
    if results is not None:
        return ox.parse_query_results(resp, results)
    rdf = ox.RdfFormat.from_media_type(media)
    if rdf is None:
        raise ValueError(f"unexpected content type {media!r}")
    return (t.triple if isinstance(t, ox.Quad) else t for t in ox.parse(resp, rdf))


def server_message(err: urllib.error.HTTPError) -> str:
    """The server's explanation on one line (JSON or HTML bodies reduced to their text)."""
    try:
        body = err.read(4096).decode("utf-8", "replace")
    except OSError:
        body = ""
    body = re.sub(r"<[^>]+>", " ", body)
    text = " ".join(body.split())
    return (text[:300] + "…") if len(text) > 300 else (text or "(no message)")


def _short(url: str) -> str:
    """A URL without its query string or any user:password part, for messages."""
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.hostname + (f":{p.port}" if p.port else ""), p.path, "", ""))
