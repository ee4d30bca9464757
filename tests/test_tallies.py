"""The aggregate queries answered from the store's tallies (kg.tallies, kg/tallied/*.rq): every
page equals the canned query's own, on a generated store of a few hundred articles, and the tallies
stay exact when articles are added in several batches, replaced, removed, or an older store is
upgraded, and when a bulk load is cut short."""
from __future__ import annotations

import importlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from conftest import generated_corpus
from kg import catalog, tallies
from kg.store import JOURNAL, MARKER, Store
from kg.vocab import DAYS_GRAPH, ENTITY_GRAPH, TALLIES_GRAPH, YEARS_GRAPH

TALLIED = sorted(p.stem for p in catalog.TALLIED_DIR.glob("*.rq"))
QUERIES = Path(catalog.find("people").path).parent
# columns that are GROUP_CONCATs: their order is the engine's, so they are compared as sets
CONCATS = {"titles", "represents"}


def _variants(q) -> list[dict]:
    import query_times
    return query_times.variants(q)


CASES = [(name, params) for name in TALLIED for params in _variants(catalog.find(name))]
CASES += [("people", {"affiliation": "United States"}), ("new-relationships", {"since": "2024-01-01"}),
          ("new-relationships", {"since": "2099-01-01"}), ("most-connected", {"since": "2024-01-01"})]


@pytest.fixture
def store(generated):
    return generated


def plain(result) -> list:
    if result.kind == "graph":
        return sorted({tuple(str(t) for t in triple) for triple in result.triples})
    return [tuple(frozenset(str(t).split(", ")) if name in CONCATS and t is not None else
                  None if t is None else str(t) for name, t in zip(result.vars, row)) for row in result.rows]


def canned(store, name, params, **page):
    """The canned query itself, run whole (a .rq path is never swapped for its tallied form)."""
    return kg.query(store, str(QUERIES / f"{name}.rq"), params, **page)


def expected(store: Store) -> set:
    """The tallies computed from scratch from every article graph, as N-Triples lines."""
    total: dict = {}
    for g in store.graphs():
        if "/article/" in str(g):
            tallies.add(total, tallies.of_graph(store._ox, str(g)))
    return {line for k, state in tallies.complete(total).items() if state["n"] > 0 for line in tallies._view(k, state)}


def stored(store: Store) -> set:
    return {f"{q.subject} {q.predicate} {q.object}" for q in store._ox.quads_for_pattern(None, None, None, tallies.GRAPH)
            if q.predicate != tallies._UNCOUNTED}


def test_every_aggregate_has_a_tallied_form():
    assert {"people", "most-connected", "new-relationships", "actor-network", "classes"} <= set(TALLIED)
    for name in TALLIED:
        text = catalog.tallied(name, ())
        assert text and "ent:tallies" in text
        # the parameters are the canned query's: projected variables the engine substitutes
        assert all(f"?{p} " in text for p in catalog.find(name).params), name


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'bare'}" for n, p in CASES])
def test_a_tallied_page_is_the_page_of_the_canned_query(store, name, params, monkeypatch):
    try:
        every = plain(canned(store, name, params))
    except kg.errors.QueryError as err:
        pytest.skip(f"not in the generated corpus: {err}")
    ran = []
    real = store.query
    monkeypatch.setattr(store, "query", lambda s, **kw: ran.append(s) or real(s, **kw))
    assert plain(kg.query(store, name, params)) == every, (name, params)
    if name == "most-connected" and params:
        assert "ent:tallies" not in ran[-1]           # a date range is answered by the canned query
    else:
        assert "ent:tallies" in ran[-1]
    if name != "actor-network":
        for limit, offset in [(3, 0), (10, 10)]:
            page = kg.query(store, name, params, limit=limit, offset=offset)
            assert plain(page) == every[offset:offset + limit], (name, params, limit, offset)
            assert page.more == (len(every) > offset + limit)
    assert every or params, f"{name}: the generated corpus gives no rows"


def test_the_tallies_are_what_the_articles_hold(store):
    assert stored(store) == expected(store)
    kinds = Counter(line.split(">")[0].split("/")[-2] for line in stored(store))
    assert set(kinds) == set(tallies.KEY_PROPERTIES)


def test_replacing_and_removing_articles_keeps_the_tallies_exact(tmp_path, monkeypatch):
    path = tmp_path / "store"
    lines = generated_corpus(tmp_path, 40, seed=5).read_text().splitlines()
    monkeypatch.setitem(importlib.import_module("kg.ingest").ingest_articles.__kwdefaults__, "batch_size", 15)
    with kg.open_store(path) as store:
        kg.ingest(store, [str(tmp_path / "corpus.jsonl")])
        assert stored(store) == expected(store)
        changed = []
        for line in lines[:5]:
            a = json.loads(line)
            a["date"] = "2026-11-0" + str(len(changed) + 1)
            a["text"] += " Japan and Greece held talks on maritime security."
            changed.append(json.dumps(a))
        (tmp_path / "changed.jsonl").write_text("\n".join(changed + lines[5:]) + "\n")
        assert len(kg.ingest(store, [str(tmp_path / "changed.jsonl")]).replaced) == 5
        assert stored(store) == expected(store)
        greece = lambda: [int(r["articles"]) for r in kg.query(store, "new-relationships").dicts()
                          if (str(r["aName"]), str(r["bName"])) == ("Greece", "Japan")]
        assert greece() and greece()[0] >= 5
        had = greece()[0]
        for article in kg.query(store, "articles", limit=3).dicts():
            store.remove(article["article"])
        assert stored(store) == expected(store)
        assert greece() == [had - 3]           # the three newest are three of the five changed
        for name in ("most-connected", "people", "classes", "new-relationships"):
            assert plain(kg.query(store, name, {})) == plain(canned(store, name, {}))


def uncount(s: Store, graphs: list[str]) -> None:
    """Take the graphs' share out of the tallies, as if a run had written them and been killed."""
    share: dict = {}
    for g in graphs:
        tallies.add(share, tallies.of_graph(s._ox, g))
    s._ox.update(tallies.update_text(*tallies.changes(s._ox, tallies.negated(share), tallies.recounted(share),
                                                      frozenset(graphs))))


def test_a_bulk_load_cut_short_is_rolled_back_unless_it_was_marked_whole(generated_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(generated_store, copy)
    with Store(copy) as s:
        graphs = [str(g) for g in s.graphs() if "/article/" in str(g)]
        loaded, cut = graphs[:3], graphs[3:5]
        uncount(s, loaded)
        # the first batch was loaded and marked uncounted; the second was cut short in its load
        s._ox.update(tallies.update_text([], [tallies.mark(g, {}) for g in loaded]))
    (copy / JOURNAL).write_text(json.dumps({"graphs": loaded}))
    with kg.open_store(copy, readonly=True) as s:
        # a reader cannot count the marks in: it does without the tallies, and gets the same rows
        assert not s.has_tallies
        assert plain(kg.query(s, "most-connected", {}, limit=5)) == plain(canned(s, "most-connected", {}, limit=5))
    (copy / JOURNAL).write_text(json.dumps({"graphs": loaded}))
    with Store(copy) as s:                    # the writer keeps the marked batch and counts it in
        assert set(loaded) <= {str(g) for g in s.graphs()}
        assert not tallies.marks(s._ox) and stored(s) == expected(s)
    assert not (copy / JOURNAL).exists()
    with Store(copy) as s:
        uncount(s, cut)
    (copy / JOURNAL).write_text(json.dumps({"graphs": cut}))
    with Store(copy) as s:                    # the unmarked one goes; the tallies never counted it
        assert not set(cut) & {str(g) for g in s.graphs()}
        assert stored(s) == expected(s) != {}


def test_a_replaced_article_left_uncounted_is_counted_in_by_the_next_writer(generated_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(generated_store, copy)
    with Store(copy) as s:
        want = stored(s)
        g = next(str(g) for g in s.graphs() if "/article/" in str(g))
        old = tallies.of_graph(s._ox, g)
        # a run replaced it (here by nothing) and was killed before counting: its mark holds the old share
        s._ox.update(f"DROP GRAPH <{g}> ;\n" + tallies.update_text([], [tallies.mark(g, old)]))
    with Store(copy) as s:
        assert stored(s) == expected(s) != want


def test_an_older_store_gets_its_tallies_when_opened_for_writing(generated_store, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(generated_store, old)
    with Store(old) as s:
        want = stored(s)
        s._ox.update(f"DROP GRAPH <{TALLIES_GRAPH}>")
    meta = json.loads((old / MARKER).read_text())
    (old / MARKER).write_text(json.dumps({**meta, "version": 4}))
    with kg.open_store(old, readonly=True) as s:
        assert not s.has_tallies                  # read-only: not upgraded, the aggregates run whole
        assert plain(kg.query(s, "most-connected", {}, limit=5)) == plain(canned(s, "most-connected", {}, limit=5))
    with kg.open_store(old) as s:
        assert s.has_tallies and stored(s) == want
    assert json.loads((old / MARKER).read_text())["version"] == 5


def test_the_tallies_are_not_data_of_their_own(store):
    assert TALLIES_GRAPH not in {str(g) for g in store.graphs()}
    assert len(store) == sum(1 for q in store._ox if q.graph_name.value not in (
        TALLIES_GRAPH, DAYS_GRAPH, YEARS_GRAPH, ENTITY_GRAPH))


def test_a_key_is_one_node_of_its_own():
    a, b = "https://w3id.org/dkg/id/country/FRA", "https://w3id.org/dkg/id/country/IND"
    nodes = {tallies.node(k) for k in [("pair", a, b), ("pair", b, a), ("engage", a, b), ("actor", a)]}
    assert len(nodes) == 4 and tallies.node(("pair", a, b)) == tallies.node(("pair", a, b))
    # the parts are joined with NUL, which no IRI holds, so no two keys share a node
    with pytest.raises(ValueError):
        ox.NamedNode(a + "\x00" + b)
