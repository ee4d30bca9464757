"""Every command through click's CliRunner: exit codes, output, help with examples."""
from __future__ import annotations

import json

import pytest

import kg
from conftest import SEEDS, write_article

COMMANDS = ["ingest", "query", "export", "viz", "stats"]


def test_version(cmd):
    result = cmd("--version")
    assert result.exit_code == 0
    assert kg.__version__ in result.output


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS])
def test_help_shows_an_example(cmd, command):
    result = cmd(*command, "--help", store=False)
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "kg " in result.output.split("Example", 1)[1]
    if command:
        assert "--store" in result.output


def test_ingest_prints_summary(cmd):
    result = cmd("ingest", SEEDS)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 unchanged, 0 replaced, 0 failed" in result.output
    assert "triples written" in result.output


def test_ingest_needs_a_path(cmd):
    result = cmd("ingest")
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_store_from_environment(tmp_path, monkeypatch, cmd):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    result = cmd("ingest", SEEDS, store=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-store" / "kg-store.json").is_file()


def test_ingest_stdin(cmd):
    result = cmd("ingest", "-", input=" date 2025-03-03 India and France held talks in Paris on Monday.")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    listed = cmd("query", "articles", "--format", "csv")
    assert "<stdin>" in listed.output


def test_ingest_jsonl_stdin(cmd):
    lines = "\n".join(json.dumps({"id": f"a{i}", "date": "2025-03-0" + str(i), "text": f"Story {i} about India."})
                      for i in range(1, 4))
    result = cmd("ingest", "-", input=lines)
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output


def test_progress_bar_on_request(cmd, tmp_path):
    for i in range(3):
        write_article(tmp_path / "in" / f"a{i}.txt", f"Article number {i} about India.")
    result = cmd("ingest", "--progress", tmp_path / "in")
    assert result.exit_code == 0, result.output
    assert "Ingesting" in result.output
    assert "3 added" in result.output


def test_query_formats(seeded):
    table = seeded("query", "articles")
    assert table.exit_code == 0, table.output
    assert "(2 rows)" in table.output and "2026-01-27" in table.output
    csv = seeded("query", "articles", "--format", "csv")
    assert csv.output.splitlines()[0] == "date,source,title,facts,article"
    tsv = seeded("query", "articles", "--format", "tsv")
    assert tsv.output.splitlines()[0].startswith("?date\t?source")
    data = json.loads(seeded("query", "articles", "--format", "json").output)
    assert data["head"]["vars"][:2] == ["date", "source"]
    assert len(data["results"]["bindings"]) == 2
    assert data["results"]["bindings"][0]["date"]["datatype"].endswith("#date")


def test_query_limit(seeded):
    result = seeded("query", "articles", "--limit", "1", "--format", "csv")
    assert len(result.stdout.splitlines()) == 2 and "--offset 1 for the next page" in result.stderr


def test_query_inline_sparql_with_predeclared_prefixes(seeded):
    result = seeded("query", "-e", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a dkg:Article }", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "2"


def test_query_file(seeded, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("# title: Count\nPREFIX dkg: <https://w3id.org/dkg/ontology#>\n"
                    "SELECT (COUNT(?a) AS ?n) WHERE { ?a a dkg:Article }\n")
    result = seeded("query", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "2"]


def test_query_construct_prints_turtle(seeded):
    result = seeded("query", "-e", "CONSTRUCT { ?a a dkg:Article } WHERE { ?a a dkg:Article }")
    assert result.exit_code == 0, result.output
    assert "dkg:Article" in result.output
    assert result.output.count("dkg:Article") == 2 or "," in result.output


def test_query_ask(seeded):
    result = seeded("query", "-e", "ASK { ?a a dkg:Article }")
    assert result.output.strip() == "true"


def test_query_list(cmd):
    result = cmd("query", "--list")
    assert result.exit_code == 0
    assert "agreements" in result.output and "--param status" in result.output


def test_query_needs_exactly_one_query(seeded):
    assert seeded("query").exit_code == 2
    assert seeded("query", "articles", "-e", "ASK {}").exit_code == 2


def test_query_errors_are_one_line(seeded):
    unknown = seeded("query", "no-such-query")
    assert unknown.exit_code == 2
    assert unknown.output.startswith("Error: no canned query named 'no-such-query'")
    assert "agreements" in unknown.output
    syntax = seeded("query", "-e", "SELECT WHERE {")
    assert syntax.exit_code == 2
    assert syntax.output.startswith("Error: SPARQL syntax error")
    bad_param = seeded("query", "agreements", "--param", "nope=1")
    assert bad_param.exit_code == 2 and "unknown parameter nope" in bad_param.output
    malformed = seeded("query", "agreements", "--param", "status")
    assert malformed.exit_code == 2 and "NAME=VALUE" in malformed.output


def test_query_without_a_store(cmd):
    result = cmd("query", "articles")
    assert result.exit_code == 1
    assert "no store here yet" in result.output
    assert not cmd.store.exists()


def test_stats(seeded):
    result = seeded("stats")
    assert result.exit_code == 0, result.output
    assert "Articles:  2 (2025-03-03 to 2026-01-27)" in result.output
    assert "Article " in result.output and "Triples:" in result.output
    info = json.loads(seeded("stats", "--format", "json").output)
    assert info["articles"] == 2 and info["classes"]["Article"] == 2
    assert info["first_date"] == "2025-03-03" and info["last_date"] == "2026-01-27"
    assert info["triples"] > 0


def test_export_to_stdout_and_file(seeded, tmp_path):
    result = seeded("export", "--format", "ntriples")
    assert result.exit_code == 0
    assert "<https://w3id.org/dkg/ontology#Article>" in result.output
    out = tmp_path / "deep" / "graph.trig"
    result = seeded("export", "-o", out)          # format from the file name; folders created
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# generated by defence-kg")


def test_export_unknown_suffix_needs_format(seeded, tmp_path):
    result = seeded("export", "-o", tmp_path / "graph.xyz")
    assert result.exit_code == 2
    assert "give --format" in result.output


def test_viz(seeded, tmp_path):
    out = tmp_path / "graph.html"
    result = seeded("viz", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "vis.DataSet" in html and "generated by defence-kg" in html
    assert seeded("viz", "-o", out).exit_code == 0        # our own page: replaced without --force


def test_show_quotes_evidence_once(seeded):
    out = seeded("show", "India", "--store", seeded.store)
    assert out.exit_code == 0, out.output
    evidence = [line.strip() for line in out.output.splitlines() if line.startswith("      ")]
    assert evidence, out.output
    assert all(line[:1] in "\"“'‘" for line in evidence)       # every sentence quoted...
    assert not any(line.startswith(('""', '"“')) for line in evidence)   # ...but never twice
