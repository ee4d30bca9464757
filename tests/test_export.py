"""Exports parse back to exactly what the store holds; files that are not ours are not overwritten."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from fixture_graph import ID, build_store
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kg
from kg.exports import csv_paths, format_from_name
from kg.store import Store
from kg.vocab import DAYS_GRAPH, DCTERMS, ENTITY_GRAPH, ONTOLOGY_GRAPH, TALLIES_GRAPH, YEARS_GRAPH


def stored(store_path) -> dict:
    """graph name -> rdflib Graph, straight from the store (not the entity index, the day and
    year indexes nor the tallies, which are derived)."""
    graphs: dict = {}
    with Store(store_path, readonly=True) as store:
        for s, p, o, g in store.quads():
            if g not in (URIRef(ENTITY_GRAPH), URIRef(DAYS_GRAPH), URIRef(YEARS_GRAPH), URIRef(TALLIES_GRAPH)):
                graphs.setdefault(g, Graph()).add((s, p, o))
    return graphs


def parsed(path, fmt) -> dict:
    ds = Dataset()
    ds.parse(path, format=fmt)
    return {g.identifier: g for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)
            and g.identifier != ds.default_graph.identifier}


@pytest.mark.parametrize("fmt,rdflib_fmt", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_exports_round_trip(seeded, tmp_path, fmt, rdflib_fmt):
    out = tmp_path / f"graph.{fmt}"
    assert seeded("export", "--format", fmt, "-o", out).exit_code == 0
    expected, got = stored(seeded.store), parsed(out, rdflib_fmt)
    assert set(got) == set(expected)
    assert len(expected) == 3          # two articles and the ontology (the entity index is not exported)
    for name, graph in expected.items():
        assert isomorphic(graph, got[name]), name
    ds = Dataset()
    ds.parse(out, format=rdflib_fmt)
    assert len(list(ds.quads())) == sum(len(g) for g in expected.values())   # nothing else, nothing lost


@pytest.mark.parametrize("fmt,rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt")])
def test_graph_exports_are_the_merged_graph(seeded, tmp_path, fmt, rdflib_fmt):
    out = tmp_path / f"graph.{fmt}"
    assert seeded("export", "--format", fmt, "-o", out).exit_code == 0
    merged = Graph()
    for graph in stored(seeded.store).values():
        merged += graph
    assert isomorphic(Graph().parse(out, format=rdflib_fmt), merged)


def test_foreign_file_is_not_overwritten(seeded, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "notes.ttl"
    out.write_text("my own notes\n")
    refused = seeded("export", "-o", out)
    assert refused.exit_code == 1
    assert refused.output.strip() == f"Error: {out}: exists and was not written by kg; use --force to overwrite it"
    assert out.read_text() == "my own notes\n"
    assert list(out.parent.iterdir()) == [out]            # no temporary file left behind
    assert seeded("viz", "-o", out).exit_code == 1
    forced = seeded("export", "-o", out, "--force")
    assert forced.exit_code == 0 and "my own notes" not in out.read_text()


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_an_earlier_export_is_replaced(seeded, tmp_path, fmt):
    out = tmp_path / "graph.out"
    assert seeded("export", "--format", fmt, "-o", out).exit_code == 0
    first = out.read_bytes()
    again = seeded("export", "--format", fmt, "-o", out)
    assert again.exit_code == 0, again.output
    assert out.read_bytes() == first


def test_folder_as_output(seeded, tmp_path):
    result = seeded("export", "--format", "trig", "-o", tmp_path)
    assert result.exit_code == 2


# -- date ranges ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,rdflib_fmt", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_a_date_range_keeps_the_articles_within_it(seeded, tmp_path, fmt, rdflib_fmt):
    """--since/--until: the article graphs dated within the range (and the ontology), whole."""
    out = tmp_path / f"graph.{fmt}"
    result = seeded("export", "--format", fmt, "--since", "2026-01-01", "--until", "2026-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    expected = {name: g for name, g in stored(seeded.store).items()
                if name == URIRef(ONTOLOGY_GRAPH) or (name, DCTERMS.date, None) in g
                and g.value(name, DCTERMS.date).toPython() >= dt.date(2026, 1, 1)}
    assert len(expected) == 2                                  # one seed article is from 2026, and the ontology
    got = parsed(out, rdflib_fmt)
    assert set(got) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(graph, got[name]), name


@pytest.mark.parametrize("fmt,rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt")])
def test_a_date_range_in_the_merged_graph(seeded, tmp_path, fmt, rdflib_fmt):
    out = tmp_path / f"graph.{fmt}"
    assert seeded("export", "--format", fmt, "--until", "2025-12-31", "-o", out).exit_code == 0
    merged = Graph()
    for name, graph in stored(seeded.store).items():
        if name == URIRef(ONTOLOGY_GRAPH) or graph.value(name, DCTERMS.date).toPython() <= dt.date(2025, 12, 31):
            merged += graph
    assert isomorphic(Graph().parse(out, format=rdflib_fmt), merged)


def test_merged_graph_writes_shared_entities_once(seeded, tmp_path):
    """India is described in both seed articles; N-Triples holds its label line once."""
    out = tmp_path / "graph.nt"
    assert seeded("export", "-o", out).exit_code == 0
    lines = out.read_text().splitlines()
    assert lines.count('<https://w3id.org/dkg/id/country/IND> <http://www.w3.org/2000/01/rdf-schema#label> "India" .') == 1
    assert len(lines) == len(set(lines))


def test_an_empty_or_backwards_range(seeded, tmp_path):
    out = tmp_path / "graph.nq"
    assert seeded("export", "--since", "2030-01-01", "-o", out).exit_code == 0
    assert {q[3] for q in Dataset().parse(out, format="nquads").quads()} == {URIRef(ONTOLOGY_GRAPH)}
    backwards = seeded("export", "--since", "2026-01-01", "--until", "2025-01-01", "-o", tmp_path / "x.nq")
    assert backwards.exit_code == 1 and "is after --until" in backwards.output


# -- JSON-LD and its context ---------------------------------------------------------------------
def test_jsonld_embeds_the_shipped_context(seeded, tmp_path):
    out = tmp_path / "graph.jsonld"
    assert seeded("export", "-o", out).exit_code == 0
    doc = json.loads(out.read_text())
    shipped = json.loads((Path(kg.__file__).parent / "context.jsonld").read_text())["@context"]
    assert doc["@context"] == shipped                     # the default base IRI: the file as shipped
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    assert len(graphs) == 3
    india = next(n for nodes in graphs.values() for n in nodes if n["@id"] == "country:IND")
    assert india["label"] == "India" and india["isoCode"] == "IND"     # terms of the context
    article = next(n for n in graphs[next(k for k in graphs if "article" in k)] if "published" in n)
    assert len(article["published"]) == 10 and "contentHash" in article


# -- networks: GraphML, GEXF, CSV ----------------------------------------------------------------
@pytest.fixture
def fixture_cmd(tmp_path):
    from conftest import KG
    return KG(build_store(tmp_path / "fixture-store"))


def read_network(path, fmt) -> nx.MultiGraph:
    return nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_carry_typed_attributes(fixture_cmd, tmp_path, fmt):
    out = tmp_path / f"network.{fmt}"
    result = fixture_cmd("export", "-o", out)
    assert result.exit_code == 0, result.output
    G = read_network(out, fmt)
    india = G.nodes[ID + "country/IND"]
    assert (india["label"], india["type"], india["iso3"], india["articles"]) == ("India", "Country", "IND", 3)
    assert (india["first_date"], india["last_date"]) == ("2025-03-20", "2026-02-10")
    assert G.nodes[ID + "org/european-union"]["org_kind"] == "international"
    def engages(other):
        (edge,) = [d for u, v, d in G.edges(data=True) if d["relation"] == "engages"
                   and {u, v} == {ID + "country/IND", other}]
        return edge["weight"], edge["first_date"], edge["last_date"], edge["polarity"]
    assert engages(ID + "org/european-union") == (1, "2026-01-28", "2026-01-28", "cooperation")
    assert engages(ID + "country/RUS") == (1, "2026-02-10", "2026-02-10", "")     # an arms transfer: no polarity
    for _, d in G.nodes(data=True):
        assert None not in d.values() and "None" not in d.values()
    relations = {d["relation"] for _, _, d in G.edges(data=True)}
    assert {"engages", "participant", "party", "supplies", "affiliated"} <= relations
    assert seeded_again(fixture_cmd, out).exit_code == 0              # an earlier export of ours is replaced


def seeded_again(cmd, out):
    return cmd("export", "-o", out)


def test_network_export_counts_supporting_articles(tmp_path):
    """weight = number of articles behind an edge: India and France engage in two articles here."""
    from conftest import KG, write_article
    cmd = KG(tmp_path / "store")
    for n, date in enumerate(["2025-01-05", "2025-06-01", "2025-09-09"]):
        text = "India and France signed a defence agreement." if n < 2 else "India and Japan held talks."
        write_article(tmp_path / "in" / f"{n}.txt", text, date)
    assert cmd("ingest", tmp_path / "in").exit_code == 0
    out = tmp_path / "network.graphml"
    assert cmd("export", "-o", out).exit_code == 0
    G = read_network(out, "graphml")
    edge = [d for u, v, d in G.edges(data=True) if d["relation"] == "engages"
            and {u, v} == {ID + "country/IND", ID + "country/FRA"}]
    assert [(d["weight"], d["first_date"], d["last_date"]) for d in edge] == [(2, "2025-01-05", "2025-06-01")]
    later = tmp_path / "later.graphml"
    assert cmd("export", "--since", "2025-07-01", "-o", later).exit_code == 0
    assert ID + "country/FRA" not in read_network(later, "graphml")


def test_csv_writes_node_and_edge_lists(fixture_cmd, tmp_path):
    result = fixture_cmd("export", "--format", "csv", "-o", tmp_path / "net.csv")
    assert result.exit_code == 0, result.output
    nodes_path, edges_path = tmp_path / "net-nodes.csv", tmp_path / "net-edges.csv"
    assert f"Wrote {nodes_path}" in result.output and f"Wrote {edges_path}" in result.output
    nodes = list(csv.DictReader(nodes_path.open(encoding="utf-8")))
    edges = list(csv.DictReader(edges_path.open(encoding="utf-8")))
    assert list(nodes[0])[:3] == ["Id", "Label", "type"]
    assert list(edges[0])[:6] == ["Source", "Target", "Type", "Id", "Label", "Weight"]
    assert {n["Id"] for n in nodes} >= {e["Source"] for e in edges} | {e["Target"] for e in edges}
    graphml = tmp_path / "net.graphml"
    assert fixture_cmd("export", "-o", graphml).exit_code == 0
    G = read_network(graphml, "graphml")
    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    again = fixture_cmd("export", "--format", "csv", "-o", tmp_path / "net")     # same files, ours: replaced
    assert again.exit_code == 0, again.output


def test_csv_refuses_foreign_files_and_stdout(fixture_cmd, tmp_path):
    (tmp_path / "net-edges.csv").write_text("name,phone\n")
    refused = fixture_cmd("export", "--format", "csv", "-o", tmp_path / "net.csv")
    assert refused.exit_code == 1 and "net-edges.csv: exists and was not written by kg" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("net")) == ["net-edges.csv"]
    to_stdout = fixture_cmd("export", "--format", "csv")
    assert to_stdout.exit_code == 1 and "give -o FILE" in to_stdout.output


def test_csv_cells_never_start_a_formula(tmp_path):
    """Article text is hostile: a name or sentence a spreadsheet would run gets a leading quote."""
    from conftest import KG, write_article
    cmd = KG(tmp_path / "store")
    write_article(tmp_path / "in" / "a.txt", '=HYPERLINK("http://evil.example") India and France signed a defence agreement.')
    assert cmd("ingest", tmp_path / "in").exit_code == 0
    assert cmd("export", "--format", "csv", "-o", tmp_path / "net").exit_code == 0
    for name in ("net-nodes.csv", "net-edges.csv"):
        for row in csv.reader((tmp_path / name).open(encoding="utf-8")):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert "'=HYPERLINK" in (tmp_path / "net-edges.csv").read_text()


def test_format_follows_the_file_name():
    assert [format_from_name(f"x.{ext}") for ext in ("graphml", "gexf", "csv", "nt", "jsonld", "json")] == [
        "graphml", "gexf", "csv", "ntriples", "jsonld", "jsonld"]
    assert csv_paths("out/graph.csv") == (Path("out/graph-nodes.csv"), Path("out/graph-edges.csv"))
    assert csv_paths("out/graph") == (Path("out/graph-nodes.csv"), Path("out/graph-edges.csv"))


def test_rdf_exports_report_progress_per_graph(seeded_store, tmp_path):
    seen = []
    with kg.open_store(seeded_store, readonly=True) as store:
        kg.export(store, "nquads", tmp_path / "g.nq", progress=seen.append)
        assert len(seen) == 3 and ONTOLOGY_GRAPH in seen
        seen.clear()
        kg.export(store, "turtle", tmp_path / "g.ttl", since=dt.date(2026, 1, 1), progress=seen.append)
        assert len(seen) == 2
