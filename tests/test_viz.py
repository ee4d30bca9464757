"""The network page: self-contained, explains its edges, and shows hostile article text as text."""
from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
import pytest

import kg
from kg.articles import Article
from kg.extract.model import Entity, Extraction, Fact
from kg.graphpage import PageOptions, render_graph, script_json, store_graph
from kg.network import actor_graph, project
from kg.rdfbuild import article_triples
from kg.vocab import article_iri

HOSTILE = ('</script><script>alert(1);document.title="pwned"</script>'
           '<img src=x onerror="alert(1);document.title=\'pwned\'">')
SENTENCE = f"India and {HOSTILE} held talks in New Delhi, said <b>officials</b> & others <img src=x onerror=alert(1)>."
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def hostile_extraction(article):
    ex = Extraction(date=article.date, sentences=[(0, len(article.text))], text=article.text)
    a = Entity("Organisation", HOSTILE, HOSTILE, org_kind="international")
    b = Entity("Country", "IND", "India", iso3="IND")
    ex.entities = {a.id: a, b.id: b}
    ex.facts = [Fact("Meeting", "test", [0], participants=[a.id, b.id], polarity="cooperation", label=HOSTILE)]
    ex.pairs = {frozenset([a.id, b.id])}
    return ex


def hostile_store(path):
    art = Article(key="h", source="h.txt", date=dt.date(2025, 3, 3), text=SENTENCE)
    store = kg.open_store(path)
    store.write([(article_iri(art.key), article_triples(art, hostile_extraction(art)), False)])
    return store


@pytest.fixture
def hostile(tmp_path):
    with hostile_store(tmp_path / "store") as store:
        yield store


def embedded(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in block.lower() and "<" not in block and ">" not in block
    return json.loads(block)


def test_page_is_self_contained_and_escapes_names(hostile, tmp_path):
    out = tmp_path / "page.html"
    kg.viz(hostile, out)
    html = out.read_text()
    assert "India" in html
    assert HOSTILE not in html and "<script>alert" not in html and "<img src=x" not in html
    assert "\\u003c/script\\u003e" in html               # the name is there, as escaped JSON text
    assert not REMOTE.search(html)                        # nothing fetched from the network
    assert "innerHTML" not in (kg.graphpage.TEMPLATES / "network.js").read_text()


def test_embedded_data_matches_the_projection(hostile, tmp_path):
    for view in ("actors", "full"):
        page = kg.viz(hostile, tmp_path / f"{view}.html", view=view)
        data = embedded((tmp_path / f"{view}.html").read_text())
        G = project(hostile)
        G = actor_graph(G) if view == "actors" else G
        assert (len(data["nodes"]), len(data["edges"])) == (len(G), G.number_of_edges())
        assert (page.nodes, page.edges) == (len(G), G.number_of_edges())
    labels = {n["label"] for n in data["nodes"]}
    assert HOSTILE in labels and "India" in labels
    engages = [e for e in data["edges"] if e["relation"] == "engages"]
    assert engages and engages[0]["evidence"][0]["text"] == SENTENCE
    assert data["articles"][engages[0]["evidence"][0]["article"]] == {"date": "2025-03-03", "source": "h.txt",
                                                                     "title": None}


def test_views_and_filters(hostile):
    G, dropped = store_graph(hostile, PageOptions(view="full"))
    assert {d["kind"] for _, d in G.nodes(data=True)} >= {"Country", "Organisation", "Event"}
    ego_graph, _ = store_graph(hostile, PageOptions(focus="ind", depth=1))
    assert "India" in {d["label"] for _, d in ego_graph.nodes(data=True)}
    small, dropped = store_graph(hostile, PageOptions(view="full", max_nodes=1))
    assert len(small) == 1 and dropped == len(G) - 1
    late, _ = store_graph(hostile, PageOptions(view="full", since=dt.date(2025, 3, 4)))
    assert len(late) == 0
    with pytest.raises(kg.errors.InputError, match="no entity"):
        store_graph(hostile, PageOptions(focus="Atlantis"))


def test_script_json_cannot_close_its_block():
    text = script_json({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_render_graph_on_a_synthetic_graph():
    G = nx.MultiGraph(nx.barabasi_albert_graph(600, 2, seed=1))
    for n in G:
        G.nodes[n].update(kind="Country" if n % 3 else "Organisation", label=f"n{n}")
    html, summary = render_graph(G, title="synthetic")
    assert summary["nodes"] == 600 and summary["edges"] == G.number_of_edges()
    data = embedded(html)
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 600     # laid out, not stacked


def test_cli_options(hostile, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    path = hostile.path
    hostile.close()
    out = tmp_path / "p.html"
    result = CliRunner().invoke(cli, ["viz", "--store", str(path), "-o", str(out), "--view", "full",
                                      "--since", "2025-01-01", "--max-nodes", "2"])
    assert result.exit_code == 0, result.output
    assert "2 nodes" in result.output and "left out" in result.output
    bad = CliRunner().invoke(cli, ["viz", "--store", str(path), "-o", str(out), "--focus", "Atlantis"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_empty_store_gives_a_page(tmp_path):
    out = tmp_path / "page.html"
    with kg.open_store(tmp_path / "store") as store:
        kg.viz(store, out)
    assert "vis.DataSet" in out.read_text()
