"""Pages of query results: newest (or weightiest) first, cut inside the engine, the next page by
offset, a notice when more rows exist; limits are validated ints, never text."""
from __future__ import annotations

import json
import re

import pytest
from fixture_graph import build_store, store, store_path  # noqa: F401 (fixtures)

import kg
from conftest import KG
from kg import catalog, paging
from kg.errors import QueryError

# a CONSTRUCT (actor-network) is a graph for another RDF tool: it is never cut into pages
PAGED = [q.name for q in catalog.available() if not re.search(r"^CONSTRUCT", q.text, re.M)]


@pytest.fixture
def cmd(store_path):
    return KG(store_path)


def plain(result):
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


@pytest.mark.parametrize("name", PAGED)
def test_every_listing_marks_where_its_page_is_cut(name):
    text = catalog.find(name).text
    assert paging.is_paged(text), f"{name}.rq has no '# page' line after the ORDER BY that picks its rows"
    cut = paging.paged(text, 25, 50)
    assert "LIMIT 26 OFFSET 50" in cut and not paging.is_paged(cut)
    # the cut sits inside a sub-select (or the query's own ORDER BY when nothing is looked up per row)
    assert cut.index("LIMIT 26") > cut.index("ORDER BY")


@pytest.mark.parametrize("name", PAGED)
@pytest.mark.parametrize("size", [1, 2])
def test_page_one_and_two_are_the_first_rows_of_all(store, name, size):
    every = plain(kg.query(store, name))
    first = kg.query(store, name, limit=size)
    second = kg.query(store, name, limit=size, offset=size)
    assert plain(first) + plain(second) == every[: 2 * size]
    assert (first.more, second.more) == (len(every) > size, len(every) > 2 * size)
    assert second.offset == size


def test_listings_are_newest_first_and_undated_last(store):
    dates = [r["date"] for r in kg.query(store, "timeline", {"actor": "India"}).dicts()]
    assert dates == sorted(dates, reverse=True) and len(dates) > 1
    agreements = kg.query(store, "agreements").dicts()
    dated = [r["date"] for r in agreements if r["date"] is not None]
    assert dated == sorted(dated, reverse=True)
    assert all(r["date"] is not None for r in agreements[: len(dated)])        # undated ones come last


def test_aggregates_are_weightiest_first(store):
    facts = [r["facts"] for r in kg.query(store, "partners", {"actor": "India"}).dicts()]
    assert facts == sorted(facts, reverse=True)
    ranked = [(r["partners"], r["articles"]) for r in kg.query(store, "most-connected").dicts()]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("limit,offset", [(0, 0), (-1, 0), ("5", 0), (True, 0), (2.0, 0), (5, -1), (5, "0"),
                                          (5, "0; DROP ALL"), (5, None)])
def test_limits_are_validated_ints(store, limit, offset):
    with pytest.raises(QueryError, match="limit|offset"):
        kg.query(store, "agreements", limit=limit, offset=offset)


def test_own_sparql_is_paged_by_the_reader(store):
    sparql = "SELECT ?a WHERE { ?a a <https://w3id.org/dkg/ontology#Event> } ORDER BY ?a"
    every = plain(kg.query(store, sparql))
    assert len(every) >= 3
    page = kg.query(store, sparql, limit=1, offset=1)
    assert plain(page) == every[1:2] and page.more == (len(every) > 2)


def test_cli_default_page_notice_and_all(cmd):
    few = cmd("query", "evidence", "--limit", "3", "--format", "csv")
    assert few.exit_code == 0 and len(few.stdout.strip().splitlines()) == 4
    assert "rows 1-3; more follow: add --offset 3 for the next page, or --all" in few.stderr
    nxt = cmd("query", "evidence", "--limit", "3", "--offset", "3", "--format", "csv")
    assert "add --offset 6" in nxt.stderr
    every = cmd("query", "evidence", "--all", "--format", "csv")
    rows = every.stdout.strip().splitlines()
    assert every.stderr == "" and rows[1:4] == few.stdout.strip().splitlines()[1:] and rows[4:7] == nxt.stdout.strip().splitlines()[1:]
    default = cmd("query", "evidence", "--format", "json")        # a small store fits the default page
    assert default.stderr == "" and len(json.loads(default.stdout)["results"]["bindings"]) == len(rows) - 1


def test_cli_json_stays_one_document_with_more_rows(cmd):
    page = cmd("query", "evidence", "--limit", "2", "--format", "json")
    assert len(json.loads(page.stdout)["results"]["bindings"]) == 2 and "more follow" in page.stderr


@pytest.mark.parametrize("args", [["--limit", "0"], ["--limit", str(paging.MAX_PAGE + 1)], ["--offset", "-1"],
                                  ["--limit", "5", "--all"], ["--limit", "ten"]])
def test_cli_rejects_bad_pages(cmd, args):
    result = cmd("query", "agreements", *args)
    assert result.exit_code == 2
