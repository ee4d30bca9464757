"""Name resolution through the dkg:nameKey index of the entity graph, and the upgrade of older stores."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fixture_graph import build_store, store, store_path  # noqa: F401 (fixtures)
from rdflib import Literal, URIRef

import kg
from kg.errors import QueryError
from kg.namekey import name_key
from kg.params import AmbiguousName, resolve_entity
from kg.store import FORMAT_VERSION, Store
from kg.vocab import DKG, ENTITY_GRAPH, RDF, RDFS, SKOS

INDIA = URIRef("https://w3id.org/dkg/id/country/IND")
NAME_KEY = ox.NamedNode(str(DKG.nameKey))


def keys_of(path, subject: URIRef, graph=ENTITY_GRAPH) -> set[str]:
    with Store(path, readonly=True) as store:
        g = ox.NamedNode(graph) if graph else None
        return {q.object.value for q in store._ox.quads_for_pattern(ox.NamedNode(str(subject)), NAME_KEY, None, g)}


def make_version_2(path) -> None:
    """What a store written before name keys looked like: no dkg:nameKey, marker version 2."""
    with Store(path) as store:
        store._ox.update(f"DELETE WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?s <{DKG.nameKey}> ?k }} }}")
    marker = path / "kg-store.json"
    marker.write_text(json.dumps(dict(json.loads(marker.read_text()), version=2)))


@pytest.mark.parametrize("raw, key", [("India", "india"), ("  INDIA \t", "india"), ("ＩＮＤ", "ind"),
                                      ("Rafale\u00a0 M", "rafale m"), ("Sébastien Lecornu", "sébastien lecornu"),
                                      ("STRASSE", "strasse"), ("Straße", "strasse")])
def test_name_key_normalises_case_width_and_spaces(raw, key):
    assert name_key(raw) == key


def test_entity_graph_indexes_every_label_alias_and_code_only(tmp_path):
    path = build_store(tmp_path / "store")
    assert keys_of(path, INDIA) == {"india", "indian", "ind"}
    with Store(path, readonly=True) as store:        # index only: never in an article graph
        assert not [q for q in store._ox.quads_for_pattern(None, NAME_KEY, None)
                    if q.graph_name != ox.NamedNode(ENTITY_GRAPH)]


@pytest.mark.parametrize("typed", ["India", "india", " INDIA ", "ＩＮＤＩＡ", "Indian", "ind"])
def test_typed_names_resolve_through_the_index(store, typed):
    assert resolve_entity(store, typed, "actor") == INDIA


def test_label_outranks_alias_and_ambiguity_is_listed(store):
    assert resolve_entity(store, "rafale", "system") == URIRef("https://w3id.org/dkg/id/system/rafale-m")
    with pytest.raises(QueryError, match="no actor named 'Narnia'"):
        resolve_entity(store, "Narnia", "actor")
    with pytest.raises(QueryError, match="no actor named 'Goa'"):       # a place, not an actor
        resolve_entity(store, "Goa", "actor")
    assert resolve_entity(store, "goa", "entity") == URIRef("https://w3id.org/dkg/id/place/goa")


def test_two_entities_with_one_alias_are_ambiguous(tmp_path):
    path = build_store(tmp_path / "store")
    other = URIRef("https://w3id.org/dkg/id/country/XIN")
    with Store(path) as store:
        store.write([(URIRef("https://w3id.org/dkg/id/article/extra"),
                      [(other, RDF.type, DKG.Country), (other, RDF.type, DKG.Actor),
                       (other, RDFS.label, Literal("Xindia")), (other, SKOS.altLabel, Literal("INDIAN"))], False)])
        with pytest.raises(AmbiguousName, match=r"'indian' names 2 actors.*\n  India <.*IND>\n  Xindia <"):
            resolve_entity(store, "indian", "actor")
        assert resolve_entity(store, "india", "actor") == INDIA


def test_the_lookup_reads_the_index_not_the_labels(tmp_path):
    path = build_store(tmp_path / "store")
    with Store(path) as store:
        store._ox.remove(ox.Quad(ox.NamedNode(str(INDIA)), NAME_KEY, ox.Literal("indian"), ox.NamedNode(ENTITY_GRAPH)))
        assert resolve_entity(store, "India", "actor") == INDIA
        with pytest.raises(QueryError, match="no actor named 'Indian'"):
            resolve_entity(store, "Indian", "actor")


def partners_of_india(store) -> list[dict]:
    """The rows, with the areas as a set: a GROUP_CONCAT's order is the engine's."""
    rows = kg.query(store, "partners", params={"actor": "india"}).dicts()
    return [{**r, "areas": set(r["areas"].split(", "))} for r in rows]


def test_version_2_store_resolves_read_only_and_gets_keys_on_a_writing_open(tmp_path):
    path = build_store(tmp_path / "store")
    with Store(path, readonly=True) as store:
        expected = partners_of_india(store)
    assert expected
    make_version_2(path)
    assert keys_of(path, INDIA) == set()
    with Store(path, readonly=True) as store:          # no keys yet: the names are scanned instead
        assert not store.has_name_keys
        assert resolve_entity(store, "Indian", "actor") == INDIA
        assert partners_of_india(store) == expected
    with Store(path) as store:                         # a writing open adds the keys, once
        assert store.has_name_keys
    assert json.loads((path / "kg-store.json").read_text())["version"] == FORMAT_VERSION == 5
    assert keys_of(path, INDIA) == {"india", "indian", "ind"}
    with Store(path, readonly=True) as store:
        assert partners_of_india(store) == expected
