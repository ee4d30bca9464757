"""Every canned query on the fixture graph, checked row by row; parameters as values, never as SPARQL."""
from __future__ import annotations

import pytest
from fixture_graph import ID, build_store, store, store_path  # noqa: F401 (fixtures)
from rdflib import Literal, URIRef

import kg
from conftest import KG
from kg import catalog
from kg.errors import QueryError
from kg.params import AmbiguousName, resolve_entity

IND, FRA, EU, RUS, JPN = (URIRef(ID + s) for s in ("country/IND", "country/FRA", "org/european-union",
                                                   "country/RUS", "country/JPN"))
RAJNATH = URIRef(ID + "person/rajnath-singh")


@pytest.fixture
def cmd(store_path):
    return KG(store_path)


def rows(store, name, **params):
    return [{k: (str(v) if v is not None else None) for k, v in r.items()}
            for r in kg.query(store, name, params).dicts()]


def items(text):
    return set(filter(None, (text or "").split(", ")))


# -- every canned query, row by row -------------------------------------------------------------
def test_partners(store):
    got = {r["partnerName"]: r for r in rows(store, "partners", actor="India")}
    assert set(got) == {"France", "European Union", "Japan", "Russia"}
    assert got["France"]["facts"] == "4" and (got["France"]["first"], got["France"]["last"]) == ("2025-03-19", "2025-03-20")
    assert items(got["France"]["areas"]) == {"arms-transfer", "defence-industry", "maritime-security", "military-exercises"}
    assert items(got["European Union"]["areas"]) == {"counter-terrorism", "maritime-security"}
    # the most facts first (paging: weightiest first, ties by IRI), no longer by name
    assert [r["partnerName"] for r in rows(store, "partners", actor="Rajnath Singh")] == ["France", "Japan", "European Union"]


def test_agreements_by_party(store):
    assert [r["label"] for r in rows(store, "agreements-by-party")] == [       # newest first
        "India-EU Security and Defence Partnership", "India-France defence industrial roadmap"]
    eu = rows(store, "agreements-by-party", party="EU")
    assert [r["st"] for r in eu] == ["proposed"] and items(eu[0]["parties"]) == {"India", "European Union"}
    signed = rows(store, "agreements-by-party", status="signed")
    assert [r["label"] for r in signed] == ["India-France defence industrial roadmap"]
    assert items(signed[0]["signatories"]) == {"Rajnath Singh", "Sébastien Lecornu"}
    assert [r["date"] for r in rows(store, "agreements-by-party", since="2026-01-01")] == ["2026-01-27"]
    assert [r["date"] for r in rows(store, "agreements-by-party", until="2025-12-31")] == ["2025-03-20"]
    assert rows(store, "agreements-by-party", party="France", status="proposed") == []


def test_timeline(store):
    got = rows(store, "timeline", actor="rajnath singh")
    assert [(r["date"], r["kind"]) for r in got] == [("2026-02-09", "visit"), ("2026-01-27", "meeting"),
                                                     ("2025-03-20", "meeting")]          # newest first
    assert items(got[1]["with"]) == {"European Union", "India", "Kaja Kallas"} and got[0]["place"] == "Tokyo"
    assert [r["date"] for r in rows(store, "timeline", actor="India", since="2026-01-01", until="2026-01-31")] == ["2026-01-27"]


def test_who_met_whom(store):
    pairs = {(r["aName"], r["bName"], r["date"]) for r in rows(store, "who-met-whom")}
    assert ("Rajnath Singh", "Sébastien Lecornu", "2025-03-20") in pairs
    assert ("Kaja Kallas", "Rajnath Singh", "2026-01-27") in pairs
    assert not any("India" in p and "Rajnath Singh" in p for p in pairs)        # never a person with their country
    assert {r["bName"] for r in rows(store, "who-met-whom", actor="India")} == {"France", "European Union", "Japan"}


def test_arms_transfers(store):
    assert [(r["supplierName"], r["systemName"], r["quantity"], r["st"]) for r in rows(store, "arms-transfers")] == [
        ("Russia", "S-400", None, "delivered"), ("France", "Rafale M", "26", "ordered")]      # newest first
    assert [r["systemName"] for r in rows(store, "arms-transfers", system="Rafale")] == ["Rafale M"]
    assert [r["supplierName"] for r in rows(store, "arms-transfers", supplier="Russia", recipient="India")] == ["Russia"]
    assert rows(store, "arms-transfers", supplier="India") == []


def test_exercises(store):
    (ex,) = rows(store, "exercises")
    assert (ex["name"], ex["date"], ex["place"]) == ("Varuna", "2025-03-19", "Goa")
    assert items(ex["participants"]) == {"France", "India"}
    assert len(rows(store, "exercises", actor="France")) == 1 and rows(store, "exercises", actor="Japan") == []
    assert rows(store, "exercises", since="2026-01-01") == []


def test_people(store):
    got = {r["name"]: r for r in rows(store, "people")}
    assert got["Rajnath Singh"]["titles"] == "Defence Minister" and got["Rajnath Singh"]["represents"] == "India"
    assert got["Rajnath Singh"]["facts"] == "4" and got["Jaswant Singh"]["facts"] == "0"
    assert [r["name"] for r in rows(store, "people", affiliation="EU")] == ["Kaja Kallas"]


def test_evidence(store):
    got = rows(store, "evidence", a="India", b="EU")
    assert {r["kind"] for r in got} == {"Meeting", "Agreement", "Figure"}
    meeting = next(r for r in got if r["kind"] == "Meeting")
    assert meeting["evidence"] == "Rajnath Singh held talks with Kaja Kallas in New Delhi on Tuesday."
    assert (meeting["source"], meeting["published"], meeting["date"]) == ("fixtures/a2.txt", "2026-01-28", "2026-01-27")
    assert {r["fact"] for r in rows(store, "evidence", a="EU", b="India")} == {r["fact"] for r in got}   # either order
    assert rows(store, "evidence", a="Russia", b="Japan") == []
    russia = rows(store, "evidence", a="Russia")            # one actor: its facts with anyone
    assert russia and {r["x"] for r in russia} == {str(RUS)} and IND in {URIRef(r["y"]) for r in russia}


def test_cooperation_areas(store):
    got = {(r["aName"], r["bName"], r["code"]): r["facts"] for r in rows(store, "cooperation-areas")}
    assert got[("India", "European Union", "maritime-security")] == "2"
    assert got[("France", "India", "defence-industry")] == "2"
    assert {r["bName"] for r in rows(store, "cooperation-areas", area="maritime-security")} == {"India", "European Union"}
    assert {r["code"] for r in rows(store, "cooperation-areas", actor="Russia")} == {"arms-transfer"}


def test_figures(store):
    (fig,) = rows(store, "figures", actor="EU")
    assert (fig["measure"], fig["value"], fig["u"], fig["year"]) == ("EU-India trade in goods", "124", "EUR-billion", "2024")
    assert items(fig["concerns"]) == {"European Union", "India"}
    assert rows(store, "figures", actor="Russia") == [] and len(rows(store, "figures", unit="eur-billion")) == 1


def test_most_connected(store):
    got = rows(store, "most-connected")
    assert (got[0]["name"], got[0]["partners"], got[0]["articles"]) == ("India", "4", "3")
    assert {r["name"] for r in got} == {"India", "France", "European Union", "Russia", "Japan"}
    assert {(r["name"], r["partners"]) for r in rows(store, "most-connected", since="2026-02-01")} == {
        ("India", "2"), ("Russia", "1"), ("Japan", "1")}


def test_new_relationships(store):
    assert len(rows(store, "new-relationships")) == 4
    got = [(r["aName"], r["bName"], r["first"]) for r in rows(store, "new-relationships", since="2026-01-01")]
    assert got == [("India", "Japan", "2026-02-10"), ("India", "Russia", "2026-02-10"),       # newest first
                   ("India", "European Union", "2026-01-28")]


def test_regions(store):
    got = rows(store, "regions", region="Indo-Pacific")
    assert [(r["kind"], r["date"]) for r in got] == [("Agreement", "2026-01-27"), ("Meeting", "2026-01-27")]


def test_actor_network_is_a_graph(store):
    result = kg.query(store, "actor-network")
    assert result.kind == "graph"
    assert (RUS, URIRef("https://w3id.org/dkg/ontology#engagesWith"), IND) in result.triples
    assert (EU, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("European Union")) in result.triples


def test_existing_queries_on_fixture(store):
    assert len(rows(store, "articles")) == 3
    assert [r["status"] for r in rows(store, "agreements", status="signed")] == ["signed"]


def test_agreement_without_signatories_keeps_its_columns(store):
    # GROUP_CONCAT over a group with an unbound name used to leave the whole column unbound
    got = {r["label"]: r for r in rows(store, "agreements")}
    unsigned = got["India-EU Security and Defence Partnership"]
    assert unsigned["signatories"] == "" and items(unsigned["parties"]) == {"India", "European Union"}
    assert items(got["India-France defence industrial roadmap"]["signatories"]) == {"Rajnath Singh", "Sébastien Lecornu"}


def test_entity_seen_in_many_articles_is_counted_once(tmp_path):
    # every article graph repeats the labels of its entities; answers must not depend on how many do
    path = build_store(tmp_path / "store")
    with kg.open_store(path, readonly=True) as store:
        before = rows(store, "people"), rows(store, "partners", actor="India"), rows(store, "classes")
    with kg.open_store(path) as store:
        label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        extra = [(URIRef(ID + f"article/extra{i}"), [(IND, label, Literal("India")), (RAJNATH, label, Literal("Rajnath Singh"))], False)
                 for i in range(30)]
        store.write(extra)
    with kg.open_store(path, readonly=True) as store:
        assert (rows(store, "people"), rows(store, "partners", actor="India"), rows(store, "classes")) == before


@pytest.mark.parametrize("query, name_column, cases", [
    ("arms-transfers", None, [{"supplier": "France"}, {"recipient": "India"}, {"system": "S-400"},
                              {"supplier": "Russia", "recipient": "India"}, {"recipient": "India", "system": "Rafale"},
                              {"supplier": "India"}]),
    ("agreements-by-party", "parties", [{"party": "France"}, {"party": "EU"}, {"party": "EU", "status": "signed"}]),
    ("figures", "concerns", [{"actor": "EU"}, {"actor": "India"}, {"actor": "Russia"}]),
    ("exercises", "participants", [{"actor": "France"}, {"actor": "Japan"}, {"actor": "India", "since": "2026-01-01"}]),
])
def test_a_given_actor_selects_the_rows_a_filter_would(store, query, name_column, cases):
    # a given actor picks its facts through the index (a UNION branch of the query); the rows must be
    # the bare listing's rows that involve the actor, never more, never fewer, never repeated
    names = {"France": "France", "India": "India", "Russia": "Russia", "EU": "European Union", "Japan": "Japan",
             "S-400": "S-400", "Rafale": "Rafale M"}
    key = {"arms-transfers": "transfer", "agreements-by-party": "agreement", "figures": "figure", "exercises": "exercise"}[query]
    role_column = {"supplier": "supplierName", "recipient": "recipientName", "system": "systemName"}
    found = 0
    for params in cases:
        bare = rows(store, query, **{k: v for k, v in params.items() if k in ("status", "since")})
        assert all(r.get(k) is None for r in bare for k in ("party", "actor", "supplier", "recipient", "system"))
        want = [r[key] for r in bare
                if all(r[role_column[k]] == names[v] if k in role_column else names[v] in items(r[name_column])
                       for k, v in params.items() if k not in ("status", "since"))]
        got = [r[key] for r in rows(store, query, **params)]
        assert got == want, params
        found += len(got)
    assert found, "the cases should match some rows of the fixture"


def test_every_canned_query_is_tested_and_documented():
    tested = {"partners", "agreements-by-party", "timeline", "who-met-whom", "arms-transfers", "exercises", "people",
              "evidence", "cooperation-areas", "figures", "most-connected", "new-relationships", "regions",
              "actor-network", "articles", "agreements", "classes"}
    names = {q.name for q in catalog.available()}
    assert names <= tested, f"add a test for {sorted(names - tested)}"
    assert len(names) >= 12
    for q in catalog.available():
        if q.name not in {"articles", "agreements", "classes"}:
            assert q.example_output, f"{q.name}: needs '# example output:' lines"
            for name, text in q.params.items():
                assert "(example:" in text, f"{q.name}: param {name} needs an example"


# -- name resolution -------------------------------------------------------------------------------
def test_resolve_by_label_alias_code_and_case(store):
    assert resolve_entity(store, "India") == IND
    assert resolve_entity(store, "eu") == EU
    assert resolve_entity(store, "JPN") == JPN
    assert resolve_entity(store, "Rajnath Singh") == RAJNATH


def test_ambiguous_name_lists_candidates(store):
    with pytest.raises(AmbiguousName) as err:
        resolve_entity(store, "Singh")
    assert "Rajnath Singh" in str(err.value) and "Jaswant Singh" in str(err.value) and err.value.exit_code == 2


def test_unknown_name_and_bad_date(store):
    with pytest.raises(QueryError, match="no actor named 'Atlantis'"):
        kg.query(store, "partners", {"actor": "Atlantis"})
    with pytest.raises(QueryError, match="must be a date"):
        kg.query(store, "timeline", {"since": "last week"})


# -- the CLI ------------------------------------------------------------------------------------------
def test_cli_queries_lists_descriptions_and_params(cmd):
    result = cmd("queries")
    assert result.exit_code == 0
    assert "partners: Partners of an actor" in result.output and "--param actor (actor):" in result.output


def test_cli_query_with_actor_alias(cmd):
    result = cmd("query", "partners", "--param", "actor=EU", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("European Union,India,3,")


def test_cli_ambiguous_and_unknown_param_exit_2(cmd):
    amb = cmd("query", "timeline", "--param", "actor=Singh")
    assert amb.exit_code == 2 and "Jaswant Singh" in amb.output and "Rajnath Singh" in amb.output
    unknown = cmd("query", "partners", "--param", "country=India")
    assert unknown.exit_code == 2 and "its parameters: actor" in unknown.output


def test_cli_construct_and_describe_print_turtle(cmd):
    result = cmd("query", "actor-network")
    assert result.exit_code == 0 and "dkg:engagesWith" in result.output
    describe = cmd("query", "-e", f"DESCRIBE <{RUS}>")
    assert describe.exit_code == 0 and '"Russia"' in describe.output


def test_cli_syntax_error_line_and_column(cmd):
    result = cmd("query", "-e", "SELECT ?s WHERE {\n  ?s ?p }")
    assert result.exit_code == 2 and "line 2, column" in result.output


def test_cli_limit_and_timeout(cmd):
    limited = cmd("query", "partners", "--limit", "2", "--format", "csv")
    assert limited.exit_code == 0 and len(limited.stdout.strip().splitlines()) == 3
    assert "--offset 2 for the next page" in limited.stderr
    quick = cmd("query", "partners", "--param", "actor=India", "--timeout", "60", "--format", "csv")
    assert quick.exit_code == 0 and "France" in quick.output, quick.output
    slow = cmd("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
               "--timeout", "1")
    assert slow.exit_code == 2 and "stopped after 1 s" in slow.output


# -- injection: values stay values -------------------------------------------------------------------
HOSTILE = ['India" } ; DROP ALL ; { "', "} ; DROP ALL ; {", "India' . ?x ?y ?z #", "<urn:x> }", "{{India}}",
           '"""', "\\u0022 }", "India\n} DROP ALL {"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_names_are_unknown_names(store, value):
    before = len(store)
    with pytest.raises(QueryError, match="no actor named"):
        kg.query(store, "partners", {"actor": value})
    assert len(store) == before


@pytest.mark.parametrize("value", HOSTILE + ["<https://w3id.org/dkg/id/country/IND> } ; DROP ALL ; {"])
def test_hostile_plain_values_match_nothing(store, value):
    assert rows(store, "agreements-by-party", status=value) == []
    assert rows(store, "figures", unit=value) == []
    assert len(rows(store, "agreements-by-party")) == 2


@pytest.mark.parametrize("value", ["} ; DROP ALL ; {", 'x" } DROP ALL { "', "<https://x/a> } DROP ALL {"])
def test_hostile_values_through_the_cli(cmd, store_path, value):
    result = cmd("query", "partners", "--param", f"actor={value}")
    assert result.exit_code == 2 and "Traceback" not in result.output
    cmd("query", "agreements-by-party", "--param", f"status={value}")
    bad_iri = cmd("query", "partners", "--param", "actor=<https://x/a> } DROP ALL { <urn:y>")
    assert bad_iri.exit_code != 0
    with kg.open_store(store_path, readonly=True) as s:
        assert len(rows(s, "agreements-by-party")) == 2 and len(rows(s, "people")) == 4
