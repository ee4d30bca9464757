"""Profiles, connecting chains and centrality on the fixture graph, as library calls and commands."""
from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner
from fixture_graph import ID, build_store, store, store_path  # noqa: F401 (fixtures)

import kg
from kg import analysis
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
