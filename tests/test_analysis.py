"""Profiles, connecting chains and centrality on the fixture graph, as library calls and commands."""
from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from click.testing import CliRunner
from fixture_graph import ID, build_store, store, store_path  # noqa: F401 (fixtures)

from kg import analysis, network
from kg.cli import cli
from kg.errors import QueryError


def run(store_path, *args):
    result = CliRunner().invoke(cli, [args[0], "--store", str(store_path), *args[1:]])
    assert "Traceback" not in result.output
    return result


def test_profile(store):
    info = analysis.profile(store, "EU")
    assert info["iri"] == ID + "org/european-union" and info["labels"] == ["European Union"]
    assert info["aliases"] == ["EU"] and "InternationalOrganisation" in info["types"]
    assert {r["kind"] for r in info["relations"]} == {"Meeting", "Agreement", "Figure"}
    assert [a["source"] for a in info["articles"]] == ["fixtures/a2.txt"]
    raj = analysis.profile(store, "Rajnath Singh")
    assert raj["roles"] == ["Defence Minister"] and raj["affiliated_with"][0]["label"] == "India"
    assert [r["date"] for r in raj["relations"]] == ["2025-03-20", "2025-03-20", "2026-01-27", "2026-02-09"]


def test_profile_of_a_weapon_system(store):
    info = analysis.profile(store, "Rafale")
    assert info["labels"] == ["Rafale M"] and info["relations"][0]["role"] == "system"


def test_paths_between_actors(store):
    (chain,) = analysis.paths(store, "Russia", "Japan")
    assert [(h["from"], h["to"]) for h in chain] == [("Russia", "India"), ("India", "Japan")]
    assert chain[0]["evidence"] == "Russia delivered the fourth S-400 squadron to India."
    assert chain[0]["source"] == "fixtures/a3.txt"
    people = analysis.paths(store, "Kaja Kallas", "Sébastien Lecornu")
    assert [h["to"] for h in people[0]][-1] == "Sébastien Lecornu" and len(people[0]) == 2


def test_paths_need_known_actors(store):
    with pytest.raises(QueryError, match="no actor named"):
        analysis.paths(store, "Atlantis", "India")


def test_centrality(store):
    rows = analysis.centrality(store)
    assert rows[0]["label"] == "India" and rows[0]["degree"] == 4 and rows[0]["betweenness"] == 1.0
    assert {r["label"] for r in rows} == {"India", "France", "European Union", "Russia", "Japan"}
    assert abs(sum(r["pagerank"] for r in rows) - 1) < 0.01
    import datetime as dt
    recent = analysis.centrality(store, since=dt.date(2026, 2, 1))
    assert {r["label"] for r in recent} == {"India", "Russia", "Japan"}


def test_pagerank_matches_a_star():
    star = nx.star_graph(3)
    pr = analysis.weighted_pagerank(star)
    assert pr[0] > pr[1] == pytest.approx(pr[2]) and sum(pr.values()) == pytest.approx(1)


def test_cli_show_path_analyze(store_path):
    show = run(store_path, "show", "India")
    assert show.exit_code == 0 and "India  <https://w3id.org/dkg/id/country/IND>" in show.output
    assert "Varuna" in show.output and "fixtures/a1.txt" in show.output
    amb = run(store_path, "show", "Singh")
    assert amb.exit_code == 2 and "Jaswant Singh" in amb.output
    path = run(store_path, "path", "Russia", "Japan")
    assert path.exit_code == 0 and "Russia -[engages]- India" in path.output and "S-400" in path.output
    csv = run(store_path, "analyze", "--format", "csv")
    assert csv.exit_code == 0 and csv.output.splitlines()[1].startswith("India,Country,4,")
    table = run(store_path, "analyze", "--until", "2025-12-31")
    assert table.exit_code == 0 and "France" in table.output and "Japan" not in table.output


def _plain(G):
    """A projection as comparable plain data: node and edge attributes, sets and lists sorted."""
    def norm(value):
        return sorted(value) if isinstance(value, (set, list)) else dict(value) if isinstance(value, dict) else value
    nodes = {n: {k: norm(v) for k, v in d.items()} for n, d in G.nodes(data=True)}
    triples = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    edges = {(min(u, v), max(u, v), k): {a: norm(x) for a, x in d.items()} for u, v, k, d in triples}
    return nodes, edges, G.graph


@pytest.mark.parametrize("filters", [{}, {"area": "defence-industry"}, {"since": dt.date(2026, 1, 1)},
                                     {"until": dt.date(2025, 3, 19)}])
def test_lean_actor_projection_equals_the_actors_of_the_full_one(store, filters):
    lean = network.actor_graph(network.project(store, view="actors", **filters))
    full = network.actor_graph(network.project(store, **filters))
    assert _plain(lean) == _plain(full)
    if not filters:
        assert lean.number_of_edges() > 0 and {d["kind"] for _, d in lean.nodes(data=True)} == {"Country", "Organisation"}


def test_projection_reads_nodes_edges_and_their_support(store):
    G = network.project(store)
    india, russia = ID + "country/IND", ID + "country/RUS"
    assert G.nodes[india]["label"] == "India" and G.nodes[india]["kind"] == "Country"
    supplies = G.edges[russia, india, "supplies"]
    assert (supplies["source"], supplies["target"]) == (russia, india)
    assert "Russia delivered the fourth S-400 squadron to India." in [t for t, _, _ in supplies["evidence"]]
    assert len(supplies["evidence"]) == len(set(supplies["evidence"]))     # no sentence twice
    events = [n for n, d in G.nodes(data=True) if d["kind"] == "Event"]
    assert events and all(G.nodes[e]["articles"] for e in events)
    with pytest.raises(ValueError, match="unknown view"):
        network.project(store, view="people")


def test_projection_streams_rows_as_strings(store):
    rows = list(store.values("SELECT ?g WHERE { GRAPH ?g { ?g a <https://w3id.org/dkg/ontology#Article> } }"))
    assert rows and all(isinstance(g, str) for (g,) in rows)


@pytest.mark.parametrize("filters", [{}, {"since": dt.date(2026, 1, 1)}, {"until": dt.date(2025, 3, 19)}])
def test_actor_weights_equal_the_weighted_actor_projection(store, filters):
    quick = network.actor_weights(store, **filters)
    slow = network.weighted_graph(network.actor_graph(network.project(store, **filters)))
    assert _plain(quick)[:2] == _plain(slow)[:2]
    if not filters:
        assert quick.number_of_edges() and all(d["weight"] > 0 for _, _, d in quick.edges(data=True))
