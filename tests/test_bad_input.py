"""Bad input: one line naming the file and the problem, the other files still go in, exit 1,
the store unchanged for that file, never a traceback."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SEEDS as SEEDS_DIR
from conftest import write_article

GOOD = " date 2025-03-03 India and France held defence talks in New Delhi on Monday."


def jsonl(*records) -> bytes:
    return b"\n".join(r if isinstance(r, bytes) else json.dumps(r).encode() for r in records) + b"\n"


REC = {"id": "x1", "date": "2025-03-03", "text": "India and Japan signed an agreement."}
CASES = {   # name -> (file name, content, words the message must contain, articles from this file)
    "empty file": ("empty.txt", b"", "empty file", 0),
    "whitespace only": ("blank.txt", b"  \n\t \n", "empty file", 0),
    "no date header": ("nodate.txt", b"India and France held talks.", "no date header", 0),
    "malformed date": ("baddate.txt", b" date 2025-13-45 India and France held talks.", "not a calendar date", 0),
    "not a date": ("word.txt", b" date yesterday India and France held talks.", "is not YYYY-MM-DD", 0),
    "future date": ("future.txt", b" date 2999-01-01 India and France held talks.", "in the future", 0),
    "date but no text": ("notext.txt", b" date 2025-03-03   ", "no text", 0),
    "binary PDF": ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF", 0),
    "binary PNG": ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image", 0),
    "zip archive": ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "a zip archive", 0),
    "NUL bytes": ("nul.txt", b"\x00\x01\x00\x02" * 100, "binary data", 0),
    "broken JSON line": ("news.jsonl", jsonl(REC, b'{"id": "x2", "date": '), "not valid JSON", 1),
    "missing fields": ("fields.jsonl", jsonl(REC, {"id": "x3", "text": "No date here."}), "missing field(s) date", 1),
    "duplicate ids": ("dups.jsonl", jsonl(REC, dict(REC, text="Another text.")), "duplicate id 'x1'", 1),
    "not an object": ("list.jsonl", jsonl(REC, [1, 2, 3]), "expected a JSON object", 1),
    "bad date in JSON": ("date.jsonl", jsonl(REC, dict(REC, id="x4", date="2025-13-45")), "not a calendar date", 1),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_file_is_reported_and_the_rest_ingested(cmd, tmp_path, case):
    name, content, words, from_bad = CASES[case]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / name).write_bytes(content)
    result = cmd("ingest", folder)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert str(folder / name) in errors[0] and words in errors[0], errors[0]
    assert f"{1 + from_bad} added" in result.output
    listed = cmd("query", "articles", "--format", "csv").output
    assert "good.txt" in listed
    assert (name in listed) == bool(from_bad)


def test_missing_file(cmd, tmp_path):
    good = write_article(tmp_path / "good.txt", "India and France held talks.")
    result = cmd("ingest", tmp_path / "nope.txt", good)
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nope.txt'}: no such file or folder" in result.output.splitlines()
    assert "1 added" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(cmd, tmp_path):
    bad = write_article(tmp_path / "secret.txt", "India and France held talks.")
    bad.chmod(0)
    result = cmd("ingest", bad)
    assert result.exit_code == 1
    assert f"{bad}: cannot read" in result.output


def test_too_large(cmd, tmp_path):
    big = write_article(tmp_path / "big.txt", "India and France held talks. " * 100)
    result = cmd("ingest", "--max-bytes", "1000", big)
    assert result.exit_code == 1
    assert "larger than 1,000 bytes" in result.output


@pytest.mark.parametrize("encoding,warned", [("utf-16", False), ("latin-1", True), ("utf-8-sig", False)])
def test_other_encodings_are_read(cmd, tmp_path, encoding, warned):
    path = tmp_path / "enc.txt"
    path.write_bytes(" date 2025-03-03 Théo Francken met Rajnath Singh in New Delhi.".encode(encoding))
    result = cmd("ingest", path)
    assert result.exit_code == 0, result.output
    assert ("Warning:" in result.output) == warned
    assert "1 added" in result.output


def test_control_characters_are_cleaned(cmd, tmp_path):
    path = tmp_path / "ctl.txt"
    path.write_bytes(b" date 2025-03-03 India\x07 and France\x1b held talks.")
    result = cmd("ingest", path)
    assert result.exit_code == 0
    assert "control characters replaced" in result.output


def test_a_file_as_store_is_a_usage_error(cmd, tmp_path):
    afile = tmp_path / "store.txt"
    afile.write_text("mine")
    result = cmd("stats", "--store", afile, store=False)
    assert result.exit_code == 2
    assert afile.read_text() == "mine"


# -- a --store folder that is damaged or someone else's: a clear error, nothing overwritten --------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, but RocksDB's own LOG files, which any open attempt rotates."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith("LOG")}


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 4, len(data) // 4 + min(4096, len(data) // 2)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))


def halve(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


DAMAGE = {   # name -> (what is done to a real store, words the error must contain)
    "marker from a newer version": (lambda s: (s / "kg-store.json").write_text(
        '{"format": "defence-kg-store", "version": 99}'), "made by a newer defence-kg"),
    "garbled marker": (lambda s: (s / "kg-store.json").write_bytes(b"\x00{not json"), "is unreadable"),
    "someone else's marker": (lambda s: (s / "kg-store.json").write_text('{"format": "other-tool"}'),
                              "not a defence-kg store"),
    "marker deleted": (lambda s: (s / "kg-store.json").unlink(), "exists and is not a defence-kg store"),
    "database CURRENT lost": (lambda s: (s / "oxigraph" / "CURRENT").unlink(), "damaged"),
    "database files garbled": (lambda s: [garble(f) for f in (s / "oxigraph").glob("*.sst")], "damaged"),
    "database files truncated": (lambda s: [halve(f) for f in (s / "oxigraph").iterdir()
                                            if f.suffix == ".sst" or f.name.startswith("MANIFEST")], "damaged"),
}


@pytest.mark.parametrize("case", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_or_foreign_store_is_refused_untouched(seeded, case):
    damage, words = DAMAGE[case]
    damage(seeded.store)
    before = snapshot(seeded.store)
    for command in (("ingest", SEEDS_DIR), ("query", "articles"), ("stats",), ("export", "--format", "nquads")):
        result = seeded(*command)
        assert result.exit_code not in (0, None), result.output
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and words in errors[0], (command, result.output)
        assert snapshot(seeded.store) == before, f"{command[0]} changed the damaged store"


def test_oxigraph_database_of_someone_else_is_refused(cmd, tmp_path):
    import pyoxigraph
    theirs = tmp_path / "theirs"
    pyoxigraph.Store(str(theirs)).flush()
    before = snapshot(theirs)
    result = cmd("ingest", "--store", theirs, SEEDS_DIR, store=False)
    assert result.exit_code == 1 and "exists and is not a defence-kg store" in result.output
    assert snapshot(theirs) == before


# -- huge and odd inputs: bounded memory, no hang ---------------------------------------------------

RSS_PROBE = ("import resource, subprocess, sys, time; t = time.monotonic(); "
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=600); "
             "sys.stderr.write(r.stderr); sys.stdout.write(r.stdout); "
             "print(f'peak-rss-kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} "
             "seconds={time.monotonic() - t:.1f}'); sys.exit(r.returncode)")


def run_measured(*args):
    """`kg ...` in a fresh process, with its peak RSS (MB) and wall time measured alone."""
    import subprocess
    import sys

    from conftest import REPO
    result = subprocess.run([sys.executable, "-c", RSS_PROBE, sys.executable, "-m", "kg.cli", *map(str, args)],
                            cwd=REPO, capture_output=True, text=True, timeout=900)
    figures = dict(kv.split("=") for kv in result.stdout.splitlines()[-1].split())
    mb, seconds = int(figures["peak-rss-kb"]) // 1024, float(figures["seconds"])
    print(f"\n{' '.join(map(str, args[:1]))} {args[-1]}: exit {result.returncode}, peak RSS {mb} MB, {seconds} s")
    return result, mb, seconds


def test_50_mb_article_and_jsonl_line_are_refused_in_bounded_memory(tmp_path):
    chunk = b"India and France held defence talks in New Delhi on Monday. " * 1000
    big_txt, big_jsonl = tmp_path / "big.txt", tmp_path / "big.jsonl"
    with open(big_txt, "wb") as fh:
        fh.write(b" date 2025-03-03 ")
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    with open(big_jsonl, "wb") as fh:
        fh.write(b'{"id": "big", "date": "2025-03-03", "text": "')
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
        fh.write(b'"}\n' + jsonl(REC))
    result, mb, seconds = run_measured("ingest", "--store", tmp_path / "store", big_txt, big_jsonl)
    assert result.returncode == 1
    assert f"{big_txt}: larger than 1,000,000 bytes" in result.stderr
    assert f"{big_jsonl}:1: line longer than 1,000,000 bytes" in result.stderr
    assert "1 added" in result.stdout                   # the small record after the huge line
    assert mb < 400 and seconds < 120


def test_a_million_short_lines(tmp_path):
    lines_txt, lines_jsonl = tmp_path / "lines.txt", tmp_path / "lines.jsonl"
    lines_txt.write_bytes(b" date 2025-03-03 " + b"India.\n" * 1_000_000)
    lines_jsonl.write_bytes(jsonl(REC) + b"\n" * 1_000_000 + jsonl(dict(REC, id="x2")))
    result, mb, seconds = run_measured("ingest", "--store", tmp_path / "store", lines_txt, lines_jsonl)
    assert result.returncode == 1 and "larger than 1,000,000 bytes" in result.stderr
    assert "2 added" in result.stdout
    assert mb < 600 and seconds < 120


def test_very_long_sentence(tmp_path):
    words = "India France agreement signed defence minister met talks navy the of and in with".split()
    text = " ".join(words[(i * 7) % len(words)] for i in range(8000)) + "."
    article = write_article(tmp_path / "long.txt", text)
    result, mb, seconds = run_measured("ingest", "--store", tmp_path / "store", article)
    assert result.returncode == 0, result.stderr
    assert mb < 1000 and seconds < 120


def test_names_in_other_scripts(cmd, tmp_path):
    text = ("Ukrainian President Володимир Зеленський met French President Emmanuel Macron in Kyiv on Monday. "
            "وزير الدفاع الإماراتي محمد بن أحمد البواردي زار نيودلهي. 日本と韓国の防衛相が会談した。")
    write_article(tmp_path / "in" / "scripts.txt", text)
    result = cmd("ingest", tmp_path / "in")
    assert result.exit_code == 0 and "1 added" in result.output, result.output
    out = tmp_path / "graph.nq"
    assert cmd("export", "--format", "nquads", "-o", out).exit_code == 0
    dumped = out.read_text(encoding="utf-8")
    assert "Володимир Зеленський" in dumped and "البواردي" in dumped      # evidence kept, not mangled
    found = cmd("query", "-e", 'SELECT ?e WHERE { ?f dkg:evidence ?e FILTER(CONTAINS(?e, "Зеленський")) }',
                "--format", "csv")
    assert found.exit_code == 0 and "Зеленський" in found.output


def test_future_date_in_json_lines(cmd, tmp_path):
    path = tmp_path / "future.jsonl"
    path.write_bytes(jsonl(REC, dict(REC, id="x9", date="2999-12-31")))
    result = cmd("ingest", path)
    assert result.exit_code == 1 and "date 2999-12-31 is in the future" in result.output
    assert "1 added" in result.output


def test_duplicate_ids_across_json_lines_files(cmd, tmp_path):
    (tmp_path / "a.jsonl").write_bytes(jsonl(REC))
    (tmp_path / "b.jsonl").write_bytes(jsonl(dict(REC, text="A different text.")))
    (tmp_path / "c.jsonl").write_bytes(jsonl(REC))
    result = cmd("ingest", tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl")
    assert result.exit_code == 1
    assert "same article id as" in result.output and "the first one was kept" in result.output
    assert "1 added, 1 unchanged" in result.output
    texts = cmd("query", "-e", "SELECT ?t WHERE { ?a a dkg:Article ; dkg:contentHash ?t }", "--format", "csv")
    assert len(texts.output.splitlines()) == 2


def test_lone_surrogate_escape_in_json_lines(cmd, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"id": "s\\udc80", "date": "2025-03-03", "text": "India and France \\ud800 held talks."}\n')
    result = cmd("ingest", path)
    assert result.exit_code == 0 and "1 added" in result.output
    assert "lone surrogates" in result.output


def test_named_pipe_and_dangling_link_in_a_folder_do_not_hang(cmd, tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "good.txt", "India and France held talks.")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = cmd("ingest", folder)
    assert result.exit_code == 1 and "1 added" in result.output
    assert f"{folder / 'pipe.txt'}: a named pipe, not a regular file" in result.output
    assert f"{folder / 'gone.txt'}: cannot read" in result.output


def can_drop_root() -> bool:
    import shutil
    import subprocess
    return os.geteuid() == 0 and bool(shutil.which("setpriv")) and subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not can_drop_root(), reason="needs root and setpriv to run kg as an unprivileged user")
def test_unreadable_file_and_folder_as_another_user():
    """Root reads every file, so kg runs as 'nobody' here, on a file and a folder it may not read."""
    import shutil
    import subprocess
    import sys
    import tempfile

    from conftest import REPO
    work = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    try:
        work.chmod(0o777)
        folder = work / "in"
        write_article(folder / "good.txt", "India and France held talks.")
        write_article(folder / "secret.txt", "India and Japan held talks.").chmod(0)
        write_article(folder / "locked" / "inner.txt", "India and Italy held talks.")
        (folder / "locked").chmod(0)
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                                 "-m", "kg.cli", "ingest", "--store", str(work / "store"), str(folder)],
                                cwd=REPO, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        assert f"{folder / 'secret.txt'}: cannot read (Permission denied)" in result.stderr
        assert f"{folder / 'locked'}: cannot read folder (Permission denied)" in result.stderr
        assert "1 added" in result.stdout and "Traceback" not in result.stderr
    finally:
        (work / "in" / "locked").chmod(0o755)
        shutil.rmtree(work)
