"""Newest-first listings asked a window of days (or, for figures, years) at a time (kg.paging,
kg.derived): every page is the page the whole query gives, on a generated store of a few hundred
articles, and the day and year indexes stay exact when articles are added, replaced and removed, or
when an older store is upgraded or its indexes rebuilt."""
from __future__ import annotations

import json
from collections import Counter

import pytest

import kg
from conftest import generated_corpus
from kg import catalog, derived, paging
from kg.store import FORMAT_VERSION, MARKER, Store
from kg.vocab import DAYS_GRAPH, TALLIES_GRAPH, YEARS_GRAPH

WINDOWED = [q.name for q in catalog.available() if paging.is_windowed(q.text)]


def _variants(q) -> list[dict]:
    import query_times
    return query_times.variants(q)


# the bare listings, every example parameter set, and an actor found all over the corpus
CASES = [(q.name, params) for q in catalog.available() if q.name in WINDOWED for params in _variants(q)]
CASES += [("timeline", {"actor": "United States"}), ("who-met-whom", {"actor": "United States"}),
          ("arms-transfers", {"supplier": "United States"}), ("exercises", {"actor": "United States"}),
          # since and until bound the window: the days between them are asked, all at once when few
          ("exercises", {"since": "2019-01-01"}), ("agreements-by-party", {"since": "2025-01-01"}),
          ("timeline", {"actor": "United States", "since": "2023-01-01", "until": "2025-03-31"}),
          ("agreements-by-party", {"until": "2016-06-30"}), ("exercises", {"since": "2027-01-01"}),
          # figures by year: a frequent actor and units (rank figures have no year: the whole query)
          ("figures", {"actor": "Philippines"}), ("figures", {"unit": "USD"}), ("figures", {"unit": "eur"}),
          ("figures", {"unit": "rank"}), ("figures", {"actor": "Philippines", "unit": "USD"})]


@pytest.fixture
def store(generated):
    return generated


def plain(rows):
    return [tuple(None if t is None else str(t) for t in row) for row in rows]


def counted_days(store: Store) -> Counter:
    """The day index computed from scratch: every xsd:date of a fact or an article."""
    rows = store.query("""SELECT ?d (COUNT(*) AS ?n) WHERE { GRAPH ?g {
        { ?s <https://w3id.org/dkg/ontology#date> ?d } UNION { ?s <http://purl.org/dc/terms/date> ?d } } }
        GROUP BY ?d""").rows
    return Counter({str(d): int(n) for d, n in rows})


def indexed_days(store: Store) -> Counter:
    return Counter({d.isoformat(): n for d, n in store.days()})


def counted_years(store: Store) -> Counter:
    """The year index computed from scratch: every xsd:gYear of a figure."""
    rows = store.query("""SELECT ?y (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <https://w3id.org/dkg/ontology#year> ?y } }
        GROUP BY ?y""").rows
    return Counter({int(str(y)): int(n) for y, n in rows})


def indexed_years(store: Store) -> Counter:
    return Counter(dict(store.years()))


def test_the_listings_that_are_newest_first_are_windowed():
    assert {"articles", "agreements", "timeline", "who-met-whom", "evidence", "arms-transfers", "figures"} <= set(WINDOWED)
    for name in WINDOWED:
        text = catalog.find(name).text
        kind = paging.window_kind(text)
        assert kind == ("years" if name == "figures" else "days") and paging.is_paged(text)
        # without a window the marks are comments: the file is the whole query
        assert all(line.lstrip().startswith("#") for line in text.splitlines() if "$" + kind in line)


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'bare'}" for n, p in CASES])
def test_a_windowed_page_is_the_page_of_the_whole_query(store, name, params, monkeypatch):
    try:
        every = plain(kg.query(store, name, params).rows)      # no limit: the whole query, no window
    except kg.errors.QueryError as err:
        pytest.skip(f"not in the generated corpus: {err}")
    asked = []
    real = paging.windowed
    monkeypatch.setattr(paging, "windowed", lambda s, d: asked.append(len(d)) or real(s, d))
    for limit, offset in [(3, 0), (10, 0), (10, 10), (4, 25)]:
        page = kg.query(store, name, params, limit=limit, offset=offset)
        assert plain(page.rows) == every[offset:offset + limit], (name, params, limit, offset)
        assert page.more == (len(every) > offset + limit)
    if len(every) > 40:
        assert asked, f"{name} {params}: no page was asked of a window of days"


def spied(monkeypatch, store) -> tuple[list, list]:
    """(the windows asked, each a list of days or years; the SPARQL texts the store ran)."""
    asked, ran = [], []
    real, real_query = paging.windowed, store.query
    monkeypatch.setattr(paging, "windowed", lambda s, d: asked.append(list(d)) or real(s, d))
    monkeypatch.setattr(store, "query", lambda s, **kw: ran.append(s) or real_query(s, **kw))
    return asked, ran


def test_a_dense_listing_is_answered_from_a_few_days(store, monkeypatch):
    asked, ran = spied(monkeypatch, store)
    page = kg.query(store, "articles", limit=5)
    assert len(page) == 5 and page.more
    # only windows were asked (the whole query keeps its '#window:' comments), of few of the days
    assert ran and all("#window:" not in text for text in ran)
    assert max(map(len, asked)) < len(store.days()) / 4


def test_the_day_index_counts_every_date(store):
    assert indexed_days(store) == counted_days(store)
    days = store.days()
    assert [d for d, _ in days] == sorted((d for d, _ in days), reverse=True)


def test_the_year_index_counts_every_figure_year(store):
    assert indexed_years(store) == counted_years(store) and len(store.years()) > 5
    assert [y for y, _ in store.years()] == sorted((y for y, _ in store.years()), reverse=True)


def test_the_first_figures_page_is_asked_of_the_newest_years(store, monkeypatch):
    asked, ran = spied(monkeypatch, store)
    page = kg.query(store, "figures", limit=5)
    assert len(page) == 5 and page.more
    assert ran and all("#window:" not in text for text in ran)
    newest = [y for y, _ in store.years()]
    assert asked[-1] == newest[:len(asked[-1])] and len(asked[-1]) <= 2
    assert {str(r["year"]) for r in page.dicts()} <= {str(y) for y in asked[-1]}


@pytest.mark.parametrize("params", [{}, {"actor": "Philippines"}], ids=["bare", "actor"])
def test_figures_pages_run_on_into_the_figures_without_a_year(store, params):
    """Past the last year's rows come the figures with no year, which only the whole query finds."""
    every = plain(kg.query(store, "figures", params).rows)
    year = list(kg.query(store, "figures", params).vars).index("year")
    dated = sum(row[year] is not None for row in every)
    assert 0 < dated < len(every) - 5
    for limit, offset in [(100, 0), (6, dated - 3), (10, dated + 2), (10, len(every) - 4), (5, len(every) + 3)]:
        page = kg.query(store, "figures", params, limit=limit, offset=offset)
        assert plain(page.rows) == every[offset:offset + limit], (params, limit, offset)
        assert page.more == (len(every) > offset + limit)


def test_replacing_and_removing_articles_keeps_the_index_exact(tmp_path):
    path = tmp_path / "store"
    lines = generated_corpus(tmp_path, 40, seed=5).read_text().splitlines()
    with kg.open_store(path) as store:
        kg.ingest(store, [str(tmp_path / "corpus.jsonl")])
        before = kg.query(store, "agreements").rows
        # five articles change: another date, other text, a figure of a later year (the last one's its own)
        changed = []
        for line in lines[:5]:
            a = json.loads(line)
            a["date"] = "2025-07-0" + str(len(changed) + 1)
            a["text"] += (f" Japan and Greece held talks on maritime security on July {len(changed) + 1}."
                          f" Bilateral trade between Japan and Greece stood at USD {len(changed) + 2}.5 billion"
                          f" in {2031 if len(changed) == 4 else 2030}, officials said.")
            changed.append(json.dumps(a))
        (tmp_path / "changed.jsonl").write_text("\n".join(changed + lines[5:]) + "\n")
        summary = kg.ingest(store, [str(tmp_path / "changed.jsonl")])
        assert len(summary.replaced) == 5
        assert indexed_days(store) == counted_days(store)
        assert "2025-07-01" in indexed_days(store)
        assert indexed_years(store) == counted_years(store)
        assert indexed_years(store)[2031] == 1 and indexed_years(store)[2030] == 4
        assert [str(r["year"]) for r in kg.query(store, "figures", limit=3).dicts()] == ["2031", "2030", "2030"]
        first = kg.query(store, "articles", limit=3).dicts()
        assert [str(r["date"]) for r in first] == ["2025-07-05", "2025-07-04", "2025-07-03"]
        # one removed: its days are counted out, a day it alone held goes
        gone = kg.query(store, "articles", limit=1).dicts()[0]["article"]
        store.remove(gone)
        assert indexed_days(store) == counted_days(store)
        assert "2025-07-05" not in indexed_days(store)
        assert indexed_years(store) == counted_years(store) and 2031 not in indexed_years(store)
        for name in ("articles", "agreements", "timeline", "figures"):
            params = {"actor": "Japan"} if name in ("timeline", "figures") else {}
            every = plain(kg.query(store, name, params).rows)
            assert plain(kg.query(store, name, params, limit=4).rows) == every[:4]
        assert before    # the corpus has agreements to list


def test_an_older_store_gets_its_day_index_when_opened_for_writing(generated_store, tmp_path):
    import shutil
    old = tmp_path / "old"
    shutil.copytree(generated_store, old)
    with Store(old) as s:                      # make it a version 3 store: no day or year index
        s._ox.update(f"DROP GRAPH <{DAYS_GRAPH}> ; DROP GRAPH <{YEARS_GRAPH}>")
    meta = json.loads((old / MARKER).read_text())
    (old / MARKER).write_text(json.dumps({**meta, "version": 3}))
    with kg.open_store(old, readonly=True) as s:
        assert s.days() is None and s.years() is None    # read-only: not upgraded, listings run whole
        for name in ("agreements", "figures"):
            every = plain(kg.query(s, name).rows)
            assert plain(kg.query(s, name, limit=5).rows) == every[:5]
    with kg.open_store(old) as s:              # the next writer upgrades it
        assert indexed_days(s) == counted_days(s)
        assert indexed_years(s) == counted_years(s)
    assert json.loads((old / MARKER).read_text())["version"] == FORMAT_VERSION


def test_rebuild_makes_the_indexes_exact_again(generated_store, tmp_path):
    """derived.rebuild, which a format upgrade calls: a lost year index, a count too high after a
    crash and a year no figure is of any more are all made exact again."""
    import shutil
    path = tmp_path / "rebuilt"
    shutil.copytree(generated_store, path)
    with Store(path) as s:
        s._ox.update(f"DROP GRAPH <{YEARS_GRAPH}>")
        assert s.years() == []
        derived.count_in(s._ox, Counter({(derived.YEARS, "1990"): 3, (derived.DAYS, "1990-01-01"): 2}))
        derived.rebuild(s._ox)
        assert indexed_years(s) == counted_years(s) and 1990 not in indexed_years(s)
        assert indexed_days(s) == counted_days(s)
        every = plain(kg.query(s, "figures").rows)
        assert plain(kg.query(s, "figures", limit=7, offset=20).rows) == every[20:27]


def test_a_year_the_index_cannot_order_makes_the_figures_run_whole(generated_store, tmp_path):
    import shutil
    path = tmp_path / "odd"
    shutil.copytree(generated_store, path)
    with Store(path) as s:
        assert s.years()
        derived.count_in(s._ox, Counter({(derived.YEARS, "0999"): 1, (derived.YEARS, "20 20"): 1}))
        assert s.years() is None
        every = plain(kg.query(s, "figures").rows)
        assert plain(kg.query(s, "figures", limit=5).rows) == every[:5]


def test_a_window_holds_only_its_years_of_a_figure_with_two(generated_store, tmp_path):
    import shutil
    path = tmp_path / "two"
    shutil.copytree(generated_store, path)
    with Store(path) as s:
        figure, graph = s.query("""SELECT ?f ?g WHERE { GRAPH ?g { ?f <https://w3id.org/dkg/ontology#year> "2016"^^<http://www.w3.org/2001/XMLSchema#gYear> } }
            ORDER BY ?f LIMIT 1""").rows[0]
        s._ox.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <{figure}> <https://w3id.org/dkg/ontology#year> '
                     f'"2026"^^<http://www.w3.org/2001/XMLSchema#gYear> }} }}')
        derived.rebuild(s._ox)
        text = paging.windowed(paging.paged(catalog.find("figures").text, 10, 0), [2026])
        assert [(str(r["figure"]), str(r["year"])) for r in s.query(text).dicts()] == [(str(figure), "2026")]
        every = plain(kg.query(s, "figures").rows)
        for limit, offset in [(1, 0), (3, 0), (5, 10)]:
            assert plain(kg.query(s, "figures", limit=limit, offset=offset).rows) == every[offset:offset + limit]


def test_the_index_is_not_data_of_its_own(store):
    derived_graphs = (DAYS_GRAPH, YEARS_GRAPH, "https://w3id.org/dkg/entities", TALLIES_GRAPH)
    assert not {DAYS_GRAPH, YEARS_GRAPH} & {str(g) for g in store.graphs()}
    assert sum(1 for _ in store.quads()) - len(store) == sum(1 for q in store.quads() if str(q[3]) in derived_graphs)
    assert any(str(q[3]) == YEARS_GRAPH for q in store.quads())


def test_window_values_are_dates_or_years_only():
    with pytest.raises(kg.errors.QueryError):
        paging.windowed("#window: VALUES ?d { $days }", ["2020-01-01\" } DROP ALL {"])
    assert '"2020-01-02"^^' in paging.windowed("  #window: VALUES ?d { $days }", [derived.dt.date(2020, 1, 2)])
    for bad in (["2020"], [True], [999], [2020.0], [derived.dt.date(2020, 1, 2)]):
        with pytest.raises(kg.errors.QueryError):
            paging.windowed("#window: VALUES ?y { $years }", bad)
    text = paging.windowed("  #window: VALUES ?y { $years }\n", [2021, 2020])
    assert text == '  VALUES ?y { "2021"^^<http://www.w3.org/2001/XMLSchema#gYear> "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> }\n'
    assert paging.window_kind("#window: VALUES ?y { $years }") == "years" and paging.window_kind("# window") is None
