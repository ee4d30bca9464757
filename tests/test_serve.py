"""`kg serve`: a real endpoint on a free loopback port, queried with urllib as any client would."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import SEEDS
from kg import api, catalog
from kg.remote import RemoteError
from kg.serve import banner
from servers import VENV_BIN, KGServe, oxigraph_binary

KG = str(VENV_BIN / "kg")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def store(seeded_store, tmp_path):
    oxigraph_binary()                      # skips when the server is not installed
    copy = tmp_path / "store"
    shutil.copytree(seeded_store, copy)
    return copy


def sparql(url: str, query: str, accept: str = "application/sparql-results+json", timeout: float = 60):
    """(status, headers, body) of a SPARQL protocol POST."""
    req = urllib.request.Request(f"{url}/query", data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def post(url: str, data: bytes, content_type: str, method: str = "POST"):
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def triple_count(url: str) -> int:
    status, _, body = sparql(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_select_ask_construct_and_canned_queries(store):
    with KGServe(store) as server:
        status, headers, body = sparql(server.url, "SELECT DISTINCT ?name WHERE { ?c a <https://w3id.org/dkg/ontology#Country> ; "
                                                   "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name")
        assert status == 200 and "X-KG-Truncated" not in headers
        assert [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["Belgium", "India"]
        status, _, body = sparql(server.url, "ASK { ?s a <https://w3id.org/dkg/ontology#Agreement> }")
        assert status == 200 and json.loads(body)["boolean"] is True
        status, _, body = sparql(server.url, "CONSTRUCT WHERE { ?s a <https://w3id.org/dkg/ontology#Agreement> }",
                                 accept="text/turtle")
        assert status == 200 and len(Graph().parse(data=body, format="turtle")) == 2
        get = urllib.request.Request(f"{server.url}/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(get, timeout=60) as resp:
            assert json.loads(resp.read())["boolean"] is True
        status, headers, body = sparql(server.url, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", accept="text/csv")
        assert headers["Content-Type"].startswith("text/csv") and body.decode().splitlines()[0] == "s"
        # the canned queries give the embedded store's rows through the endpoint
        with api.open_store(server.url, readonly=True) as remote, api.open_store(store, readonly=True) as local:
            for q in catalog.available():
                ours, theirs = api.query(local, q.name), api.query(remote, q.name)
                assert (theirs.rows, theirs.triples and set(theirs.triples)) == \
                    (ours.rows, ours.triples and set(ours.triples)), q.name


def test_read_only_refuses_updates_and_keeps_the_data(store):
    with KGServe(store) as server:
        before = triple_count(server.url)
        status, body = post(f"{server.url}/update", urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                            "application/x-www-form-urlencoded")
        assert status == 403 and b"read-only" in body
        status, _ = post(f"{server.url}/update", b"CLEAR DEFAULT", "application/sparql-update")
        assert status == 403
        status, _ = post(f"{server.url}/store?default", b"<http://x/a> <http://x/b> <http://x/c> .", "text/turtle",
                         method="PUT")
        assert status == 403
        assert triple_count(server.url) == before > 500
        # kg itself, pointed at the read-only endpoint, is told so (one line, exit 2 from the CLI)
        graph = URIRef("https://w3id.org/dkg/id/article/x")
        with api.open_store(server.url) as remote, pytest.raises(RemoteError) as refused:
            remote.write([(graph, [(graph, URIRef("https://w3id.org/dkg/ontology#contentHash"), Literal("h"))], False)])
        assert "HTTP 403 Forbidden: this endpoint is read-only" in str(refused.value)
        assert refused.value.exit_code == 2 and "\n" not in str(refused.value)
        assert triple_count(server.url) == before


def test_limit_cuts_answers_and_says_so(store):
    with KGServe(store, "--limit", "5") as server:
        status, headers, body = sparql(server.url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and headers["X-KG-Truncated"] == "true; limit=5"
        assert len(json.loads(body)["results"]["bindings"]) == 5
        status, headers, body = sparql(server.url, "SELECT * WHERE { ?s ?p ?o }", accept="application/sparql-results+xml")
        assert body.count(b"<result>") == 5 and headers["X-KG-Truncated"]
        status, headers, body = sparql(server.url, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
        assert status == 200 and len(body.decode().splitlines()) == 5 and headers["X-KG-Truncated"]
        status, headers, _ = sparql(server.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert status == 200 and "X-KG-Truncated" not in headers


def test_timeout_stops_a_heavy_query_and_the_endpoint_lives_on(store):
    with KGServe(store, "--timeout", "1") as server:
        started = time.monotonic()
        status, _, body = sparql(server.url, HEAVY, timeout=300)
        took = time.monotonic() - started
        assert status == 504 and b"stopped after 1 s" in body and took < 30
        status, _, body = sparql(server.url, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True, body
        # the evaluation itself was stopped: no Oxigraph process is left busy with it
        busy = subprocess.run(["ps", "-o", "pcpu=", "--ppid", str(server.proc.pid)], capture_output=True, text=True)
        assert all(float(cpu) < 50 for cpu in busy.stdout.split())


def test_served_store_is_locked_against_ingest(store):
    with KGServe(store) as server:
        run = subprocess.run([KG, "ingest", "--store", str(store), str(SEEDS)], capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 1 and "busy" in run.stderr
        # readers share the lock: the folder can still be queried directly
        with api.open_store(store, readonly=True) as local:
            assert len(api.query(local, "articles")) == 2
        assert triple_count(server.url) > 500
    with api.open_store(store) as again:          # released on exit: a writer may open it now
        assert len(again) > 500


def test_sigterm_stops_it_cleanly(store):
    server = KGServe(store)
    server.proc.terminate()
    out, _ = server.proc.communicate(timeout=30)
    assert server.proc.returncode == 0 and "Stopping." in out
    with api.open_store(store) as again:          # lock released, Oxigraph child gone
        assert len(again) > 500


def test_writable_endpoint_takes_kg_ingest_and_ctrl_c_stops_it(tmp_path):
    oxigraph_binary()
    store = tmp_path / "fresh"
    server = KGServe(store, "--writable")
    try:
        assert "update: " in server.banner and "curl " in server.banner
        with api.open_store(server.url) as remote:
            first = api.ingest(remote, [SEEDS])
            again = api.ingest(remote, [SEEDS])
            assert len(first.added) == 2 and len(again.unchanged) == 2
            assert len(api.query(remote, "articles")) == 2
        with pytest.raises(Exception, match="busy"):       # the writer holds the folder
            api.open_store(store, readonly=True)
    finally:
        code, out = server.stop()
    assert code == 0 and "Stopping." in out
    with api.open_store(store, readonly=True) as local:      # the data is on disk, the lock released
        assert len(api.query(local, "articles")) == 2


def test_port_in_use_is_a_clean_error(store):
    with KGServe(store) as first:
        port = first.url.rsplit(":", 1)[1]
        run = subprocess.run([KG, "serve", "--store", str(store), "--port", port], capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 1 and run.stderr.startswith("Error: cannot listen on 127.0.0.1:")


def test_banner_names_the_endpoints():
    class Fake:
        url = "http://127.0.0.1:7878"

        class opts:
            store, writable, timeout, limit = "kg-store", False, 30.0, 10000
    text = banner(Fake)
    assert "http://127.0.0.1:7878/query" in text and "/update" not in text and "curl " in text
