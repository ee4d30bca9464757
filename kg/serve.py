"""`kg serve`: a SPARQL 1.1 Protocol endpoint over a store, run by the Oxigraph server.

The Oxigraph server (`oxigraph serve-read-only`, or `oxigraph serve` with --writable) listens on a
private loopback port; in front of it a small stdlib proxy listens where the user asked and adds
what the server lacks: a row limit (results are cut after N solutions or triples and the answer
says so in an X-KG-Truncated header), refusal of updates and Graph Store writes when read-only, a
bound on concurrent queries and on request sizes, and the query time limit. Oxigraph has a
--timeout-s option and it is passed on, but measured with 0.5.13 it did not stop a heavy join
(still running after 40 s with --timeout-s 2), so the proxy enforces the limit itself: a query
still running when its time is up gets 504, and the Oxigraph child is killed and restarted, the
only way to stop an evaluation. Queries running at that moment fail too (502) and may be retried;
an update caught by the restart is rolled back whole (Oxigraph writes are transactions).

The store's lock (see kg.store) is held for as long as the endpoint runs, shared when read-only
and exclusive when writable, and the Oxigraph child inherits it: `kg ingest` on a served store is
refused as busy instead of writing under a reader, and a writable endpoint is the only writer.
"""
from __future__ import annotations

import csv
import fcntl
import http.client
import io
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import StoreError
from .store import Store

MAX_QUERY_BYTES = 1 << 20          # a query or update text; Graph Store uploads are streamed instead
MAX_CONCURRENT = 4                 # queries evaluated at once; the rest wait, then get 503
UPLOAD_TIMEOUT = 3600.0           # an update or Graph Store upload, which is not cut by --timeout
GRACE = 5.0                        # seconds the proxy waits beyond the server's own timeout
FORWARDED_HEADERS = ("Content-Type", "Accept", "Content-Length")
RESULT_TYPES = {ox.QueryResultsFormat.JSON: "application/sparql-results+json",
                ox.QueryResultsFormat.XML: "application/sparql-results+xml",
                ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
                ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8"}


@dataclass
class ServeOptions:
    store: Path
    port: int = 7878
    bind: str = "127.0.0.1"
    writable: bool = False
    timeout: float = 30.0
    limit: int = 10000


def oxigraph_binary() -> str:
    """The `oxigraph` server installed next to this Python (the `oxigraph` PyPI package)."""
    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=f"{here}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        raise StoreError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def check_version(binary: str) -> str:
    """The server must be of pyoxigraph's release series: they share the on-disk format."""
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout.split()
    version = out[-1] if out else "?"
    if version.split(".")[:2] != ox.__version__.split(".")[:2]:
        raise StoreError(f"oxigraph server {version} does not match pyoxigraph {ox.__version__} (the store "
                         "format is only shared within a release series); install matching versions")
    return version


def hold_lock(store: Path, exclusive: bool):
    """The store's flock, as kg.store takes it: shared for readers, exclusive for a writer."""
    fh = open(store / "lock", "a+")
    try:
        fcntl.flock(fh, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise StoreError(f"{store}: the store is busy (another kg process is writing to it, or serving it "
                         "writable); try again when it finishes") from None
    return fh


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Endpoint:
    """The running endpoint: Oxigraph child plus proxy. start(), then serve_forever() or stop()."""

    def __init__(self, opts: ServeOptions):
        self.opts = opts
        self.backend: subprocess.Popen | None = None
        self.backend_port = 0
        self.httpd: ThreadingHTTPServer | None = None
        self._lock = None
        self.restarting = threading.Lock()
        self.binary = ""
        self.restarts = 0
        self.stopping = False

    def start(self) -> None:
        opts = self.opts
        self.binary = binary = oxigraph_binary()
        check_version(binary)
        # opening validates the folder (and, writable, creates it with the ontology graph)
        Store(opts.store, readonly=not opts.writable, create=opts.writable).close()
        self._lock = hold_lock(opts.store, exclusive=opts.writable)
        try:
            self._start_backend(binary)
            self._start_proxy()
        except BaseException:
            self.stop()
            raise

    def _start_backend(self, binary: str) -> None:
        self.backend_port = free_port()
        args = [binary, "serve" if self.opts.writable else "serve-read-only",
                "--location", str(self.opts.store / "oxigraph"), "--bind", f"127.0.0.1:{self.backend_port}",
                "--union-default-graph", "--timeout-s", f"{max(1, round(self.opts.timeout))}"]
        # the child inherits the lock, so even if this process is killed the store stays guarded
        self.backend = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, pass_fds=[self._lock.fileno()])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.backend.poll() is not None:
                err = self.backend.stderr.read().decode("utf-8", "replace").strip().splitlines()
                raise StoreError(f"{self.opts.store}: the Oxigraph server did not start: "
                                 f"{err[-1] if err else 'exit ' + str(self.backend.returncode)}")
            try:
                with socket.create_connection(("127.0.0.1", self.backend_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise StoreError(f"{self.opts.store}: the Oxigraph server did not answer within 30 s")

    def restart_backend(self, stale: subprocess.Popen) -> None:
        """Kill the Oxigraph child (if it is still `stale`) and start a fresh one."""
        with self.restarting:
            if self.backend is not stale or self.stopping:
                return
            stale.kill()
            stale.wait()
            self.restarts += 1
            self._start_backend(self.binary)

    def _start_proxy(self) -> None:
        handler = type("Handler", (ProxyHandler,), {"endpoint": self,
                                                    "slots": threading.BoundedSemaphore(MAX_CONCURRENT)})
        try:
            self.httpd = ThreadingHTTPServer((self.opts.bind, self.opts.port), handler)
        except OSError as err:
            raise StoreError(f"cannot listen on {self.opts.bind}:{self.opts.port} ({err.strerror or err}); "
                             "choose another --port") from None
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        with self.restarting:
            self.stopping = True
        if self.httpd is not None:
            self.httpd.server_close()
        if self.backend is not None and self.backend.poll() is None:
            self.backend.terminate()
            try:
                self.backend.wait(10)
            except subprocess.TimeoutExpired:
                self.backend.kill()
                self.backend.wait()
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def banner(ep: Endpoint) -> str:
    opts = ep.opts
    mode = "read-write" if opts.writable else "read-only"
    lines = [f"Serving {opts.store} ({mode}) as a SPARQL 1.1 endpoint:",
             f"  query:  {ep.url}/query", ]
    if opts.writable:
        lines += [f"  update: {ep.url}/update", f"  graphs: {ep.url}/store  (Graph Store Protocol)"]
    else:
        lines += [f"  graphs: {ep.url}/store  (Graph Store Protocol, read)"]
    lines += [f"Queries stop after {opts.timeout:g} s and return at most {opts.limit:,} rows.",
              "Try:", f"  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE {{ ?s ?p ?o }} LIMIT 5' "
              f"{ep.url}/query",
              f"  kg query --store {ep.url} agreements",
              "Press Ctrl-C to stop."]
    return "\n".join(lines)


def serve(opts: ServeOptions, echo: Callable[[str], None] = print) -> None:
    """Run until Ctrl-C or SIGTERM; the child server is stopped and the lock released on the way out."""
    ep = Endpoint(opts)
    ep.start()
    # Ctrl-C stops the endpoint even when the shell that started it ignores SIGINT (a background
    # job or a CI runner), as the banner promises; SIGTERM does the same.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        echo(banner(ep))
        ep.serve_forever()
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        ep.stop()


def _interrupt(signum, frame):
    """SIGTERM (and SIGINT, whatever the parent set) stop the endpoint the way Ctrl-C does."""
    raise KeyboardInterrupt


class ProxyHandler(BaseHTTPRequestHandler):
    """Forwards the SPARQL protocol to the Oxigraph child, with the guards described above."""

    endpoint: Endpoint
    slots: threading.BoundedSemaphore
    server_version = "defence-kg"

    def log_message(self, format, *args):      # noqa: A002 - the stdlib's name
        pass

    def do_GET(self):
        self._route()

    def do_HEAD(self):
        self._route()

    def do_POST(self):
        self._route()

    def do_PUT(self):
        self._route()

    def do_DELETE(self):
        self._route()

    def _route(self):
        path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
        writes = path == "/update" or (path == "/store" and self.command in ("PUT", "POST", "DELETE"))
        if writes and not self.endpoint.opts.writable:
            self._discard_body()
            return self._fail(403, "this endpoint is read-only (start kg serve with --writable to allow updates)")
        if path not in ("/", "/query", "/update", "/store"):
            return self._fail(404, f"no such endpoint {path}; use /query, /update or /store")
        if path == "/query" and self.command in ("GET", "POST"):
            if not self.slots.acquire(timeout=self.endpoint.opts.timeout):
                return self._fail(503, "too many queries at once; try again")
            try:
                return self._forward(limit=True)
            finally:
                self.slots.release()
        return self._forward(limit=False)

    def _forward(self, limit: bool):
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            return self._fail(411, "send a Content-Length (chunked uploads are not supported)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._fail(400, "bad Content-Length")
        streamed = self.command in ("PUT", "POST") and urllib.parse.urlsplit(self.path).path.startswith("/store")
        if length > MAX_QUERY_BYTES and not streamed:
            return self._fail(413, f"request too large (over {MAX_QUERY_BYTES:,} bytes)")
        opts = self.endpoint.opts
        with self.endpoint.restarting:        # a restart in progress finishes first
            backend, port = self.endpoint.backend, self.endpoint.backend_port
        conn = http.client.HTTPConnection("127.0.0.1", port,
                                          timeout=opts.timeout + GRACE if limit else UPLOAD_TIMEOUT)
        expired = threading.Event()
        timer = None
        if limit:       # only queries are timed: an update or upload may rightly take long
            timer = threading.Timer(opts.timeout, lambda: (expired.set(), self.endpoint.restart_backend(backend)))
            timer.daemon = True
            timer.start()
        try:
            self._exchange(conn, length, limit, expired)
        except (socket.timeout, TimeoutError, http.client.HTTPException, ConnectionError, OSError) as err:
            if expired.is_set() or isinstance(err, (socket.timeout, TimeoutError)):
                self._fail(504, f"query stopped after {opts.timeout:g} s (kg serve --timeout)")
            elif self.endpoint.backend is not backend:
                self._fail(502, "interrupted: the server was restarted to stop a query that ran out of time; retry")
            else:     # the client went away, or the server failed: say so if anyone listens
                self._fail(502, f"the Oxigraph server failed ({err})")
        finally:
            if timer is not None:
                timer.cancel()
            conn.close()

    def _exchange(self, conn, length: int, limit: bool, expired: threading.Event):
        headers = {h: self.headers[h] for h in FORWARDED_HEADERS if self.headers.get(h)}
        if limit and "text/csv" in headers.get("Accept", ""):
            # CSV results cannot be read back (they lose term types): ask for TSV, answer CSV
            headers["Accept"] = headers["Accept"].replace("text/csv", "text/tab-separated-values")
        conn.putrequest(self.command, self.path, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            conn.send(chunk)
            remaining -= len(chunk)
        resp = conn.getresponse()
        if limit and resp.status == 200:
            return self._limited(resp, expired)
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            shutil.copyfileobj(resp, self.wfile, 1 << 16)

    def _limited(self, resp, expired: threading.Event):
        """At most `limit` solutions or triples, re-serialised in the format the server chose."""
        limit = self.endpoint.opts.limit
        media = resp.getheader("Content-Type", "")
        results = ox.QueryResultsFormat.from_media_type(media)
        answer, answer_type = results, media
        if results == ox.QueryResultsFormat.TSV and "text/csv" in self.headers.get("Accept", ""):
            answer, answer_type = ox.QueryResultsFormat.CSV, RESULT_TYPES[ox.QueryResultsFormat.CSV]
        rdf = None if results is not None else ox.RdfFormat.from_media_type(media)
        if results is None and rdf is None:
            return self._fail(502, f"unexpected answer type {media!r} from the server")
        try:
            parsed = ox.parse_query_results(resp, results) if results is not None else ox.parse(resp, rdf)
            if results is not None and not isinstance(parsed, ox.QuerySolutions):
                body, truncated = write_boolean(bool(parsed), answer), False
            else:
                head = list(itertools.islice(parsed, limit + 1))
                truncated = len(head) > limit
                head = head[:limit]
                if results is not None:
                    body = write_solutions([v.value for v in parsed.variables], head, answer)
                else:
                    body = ox.serialize(head, format=rdf)
        except (SyntaxError, ValueError, OSError) as err:
            if expired.is_set() or isinstance(err, (socket.timeout, TimeoutError)):
                return self._fail(504, f"query stopped after {self.endpoint.opts.timeout:g} s (kg serve --timeout)")
            # Oxigraph reports an error met while streaming (a timeout included) by ending the answer early
            return self._fail(500, f"the query failed while its results were sent: {' '.join(str(err).split())}")
        self.send_response(200)
        self.send_header("Content-Type", answer_type)
        self.send_header("Content-Length", str(len(body)))
        if truncated:
            self.send_header("X-KG-Truncated", f"true; limit={limit}")
        self.end_headers()
        self.wfile.write(body)

    def _discard_body(self):
        """Read a refused request's body, so the client is not cut off before it hears why."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= MAX_QUERY_BYTES:
            self.rfile.read(length)

    def _fail(self, status: int, message: str):
        body = (message + "\n").encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (ConnectionError, BrokenPipeError):
            pass


# -- SPARQL results, written from pyoxigraph terms -------------------------------------------------
def write_boolean(value: bool, fmt) -> bytes:
    if fmt == ox.QueryResultsFormat.JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == ox.QueryResultsFormat.XML:
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return b"true\n" if value else b"false\n"


def write_solutions(names: list[str], rows: list, fmt) -> bytes:
    if fmt == ox.QueryResultsFormat.JSON:
        bindings = [{n: term_json(s[n]) for n in names if s[n] is not None} for s in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if fmt == ox.QueryResultsFormat.XML:
        out = ['<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head><results>")
        for s in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{term_xml(s[n])}</binding>" for n in names if s[n] is not None]
            out.append("</result>")
        out.append("</results></sparql>")
        return "".join(out).encode()
    if fmt == ox.QueryResultsFormat.CSV:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        w.writerows([["" if s[n] is None else s[n].value for n in names] for s in rows])
        return buf.getvalue().encode()
    lines = ["\t".join("?" + n for n in names)]
    lines += ["\t".join("" if s[n] is None else str(s[n]) for n in names) for s in rows]
    return ("\n".join(lines) + "\n").encode()


def term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": str(t)}


def term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"
