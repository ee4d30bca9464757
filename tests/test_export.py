"""Exports parse back to exactly what the store holds; files that are not ours are not overwritten."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.store import Store


def stored(store_path) -> dict:
    """graph name -> rdflib Graph, straight from the store."""
    graphs: dict = {}
    with Store(store_path, readonly=True) as store:
        for s, p, o, g in store.quads():
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
    assert len(expected) == 4          # two articles, the ontology and the entity graph (an index)
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
