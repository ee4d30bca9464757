"""Property tests: hostile text never crashes the readers or the extractor.

Any text (every Unicode category, control characters and NULs, lone surrogates from JSON escapes,
right-to-left scripts, huge tokens, HTML) gives either a clean InputError or an article whose graph
is valid RDF, whose every dkg:evidence string is a piece of the article text, and whose every fact
has prov:wasDerivedFrom its article. JSON Lines round-trips any id, title and text.

The default settings keep the suite fast; KG_PROPERTY_EXAMPLES=2000 runs a bigger search.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.articles import CONTROL, SURROGATE, Article, read_articles, read_jsonl
from kg.errors import InputError, KGError
from kg.ingest import extract_triples
from kg.store import to_ox
from kg.vocab import DKG, PROV, RDF, article_iri

EXAMPLES = int(os.environ.get("KG_PROPERTY_EXAMPLES", "40"))
CHECKED = settings(max_examples=EXAMPLES, deadline=None,
                          derandomize="KG_PROPERTY_EXAMPLES" not in os.environ,   # the default run is repeatable
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])

FACT_CLASSES = {DKG.Event, DKG.Meeting, DKG.Visit, DKG.Exercise, DKG.Agreement, DKG.ArmsTransfer, DKG.Figure}
NEWS = ["India and France signed a defence cooperation agreement in New Delhi on Monday.",
        "Defence Minister Rajnath Singh met Kaja Kallas.", "The Indian Navy ordered 26 Rafale-M jets",
        "worth Rs 63,000 crore.", "Володимир Зеленський met Emmanuel Macron in Kyiv.",
        "وقعت الإمارات العربية المتحدة اتفاقية دفاعية مع الهند", "Japan and the Philippines held an exercise",
        "in the South China Sea last week.", "<script>alert(1)</script>", "<b>India</b> &amp; <i>USA</i>",
        "Mr.", "U.S.", "...", "\u202eRTL override\u202c", "\u200b\u200d\ufeff", "NATO", "EU", "12 per cent"]
any_char = st.characters(codec=None)                      # every category, control characters and NULs
hostile = st.one_of(
    st.sampled_from(NEWS),
    st.text(any_char, max_size=60),
    st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), min_size=1, max_size=40),   # RTL
    st.builds(lambda c, n: c * n, st.sampled_from(["A", "x", "9", "-", "\u0634", "😀"]), st.integers(500, 20_000)),
    st.builds(lambda tag, body: f"<{tag}>{body}</{tag}>", st.sampled_from(["p", "div", "a href='x'"]),
              st.text(any_char, max_size=30)),
)
surrogates = st.characters(categories=["Cs"])   # a lone "\ud800" escape in JSON
article_text = st.lists(hostile, min_size=1, max_size=12).map(" ".join)


def check_graph(article: Article, triples: list[tuple]) -> None:
    art = article_iri(article.key)
    by_subject: dict = {}
    for s, p, o in triples:
        to_ox(s), to_ox(p), to_ox(o)               # valid RDF: oxigraph accepts every term
        by_subject.setdefault(s, []).append((p, o))
        if p == DKG.evidence:
            assert str(o) in article.text, f"evidence not in the text: {str(o)[:80]!r}"
    for s, pos in by_subject.items():
        if any(p == RDF.type and o in FACT_CLASSES for p, o in pos):
            assert (PROV.wasDerivedFrom, art) in pos, f"fact without provenance: {s}"


def read_one(data: bytes, tmp_path, name="a.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    items = list(read_articles([str(path)]))
    assert len(items) == 1
    return items[0]


@CHECKED
@given(text=article_text)
def test_any_text_gives_a_clean_error_or_a_valid_graph(text, tmp_path):
    item = read_one(f" date 2025-03-03 {text}".encode("utf-8", "surrogatepass"), tmp_path)
    if isinstance(item, InputError):
        return
    assert not CONTROL.search(item.text)
    item.text.encode("utf-8")                      # storable: no lone surrogates
    try:
        triples = extract_triples(item)
    except KGError:
        return
    check_graph(item, triples)


@CHECKED
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_an_article_or_an_input_error(data, tmp_path):
    for prefix in (b"", b" date 2025-03-03 "):
        item = read_one(prefix + data, tmp_path)
        assert isinstance(item, (Article, InputError))
        if isinstance(item, Article):
            item.text.encode("utf-8")


records = st.lists(st.fixed_dictionaries({
    "id": st.one_of(st.text(any_char, min_size=1, max_size=40), st.integers(1, 10**12)),
    "date": st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 1, 1)).map(str),
    "text": st.lists(st.one_of(st.sampled_from(NEWS), st.text(any_char, max_size=30), surrogates),
                     min_size=1, max_size=6).map(" ".join).filter(lambda t: CONTROL.sub(" ", t).strip()),
    "title": st.one_of(st.none(), st.text(any_char, max_size=40), surrogates),
}), max_size=8)


@CHECKED
@given(recs=records, ascii_only=st.booleans())
def test_json_lines_round_trip(recs, ascii_only):
    raw = b"".join(json.dumps(r, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") + b"\n" for r in recs)
    items = list(read_jsonl(io.BytesIO(raw), "news.jsonl"))
    assert len(items) == len(recs)
    seen = set()
    for rec, item in zip(recs, items):
        if not ascii_only and any(SURROGATE.search(str(v)) for v in rec.values()):
            assert isinstance(item, InputError) and "not valid JSON" in str(item)   # raw surrogates: not UTF-8
            continue
        clean = lambda v: v if v is None else SURROGATE.sub("\ufffd", str(v))
        key = f"jsonl:{clean(rec['id'])}"
        if key in seen:
            assert isinstance(item, InputError) and "duplicate id" in str(item)
            continue
        assert isinstance(item, Article), str(item)
        seen.add(key)
        assert item.key == key and item.source == f"news.jsonl#{clean(rec['id'])}"
        assert item.text == clean(CONTROL.sub(" ", rec["text"])).strip()
        assert item.title == clean(rec["title"])
        item.text.encode("utf-8"), item.key.encode("utf-8"), (item.title or "").encode("utf-8")
