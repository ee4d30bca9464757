"""The spaCy pipeline: a blank English tokenizer, then small components that each do one thing.

    dkg_sentences  sentence boundaries (punctuation and line breaks; headlines stand alone)
    dkg_gazetteer  phrase matches against the data files (countries, organisations, places, ...)
    dkg_titles     role and rank phrases ("Defence Minister", "Lt Gen", "HR/VP")
    dkg_mentions   pattern mentions: people, organisations, acronyms, ships, datelines

Every component writes candidate mentions to `doc._.cands`; resolution (resolve.py) chooses among
them and builds the entities. No statistical model is needed or downloaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import resources
from .mentions import find_pattern_mentions, headline
from .tokens import cache_tokens

KIND_PRIORITY = {"Person": 7, "Organisation": 6, "Exercise": 5, "WeaponSystem": 4, "Region": 3, "Place": 2, "Country": 1}
ABBREVIATIONS = ["Gen.", "Lt.", "Adm.", "Col.", "Brig.", "Maj.", "Capt.", "Cdr.", "Cmdr.", "Sgt.", "Gov.", "Sen.",
                 "Rep.", "Rs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "No.", "Jr.", "Sr.", "Prof.", "Hon.", "Vice Adm.",
                 "Lt.Gen.", "Maj.Gen.", "Air Cdre.", "Cpl.", "Pvt.", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Oct.",
                 "Nov.", "Dec.", "Mt.", "Ft.", "Corp.", "Inc.", "Ltd.", "Co."]


@dataclass
class Cand:
    """A candidate mention: tokens [start, end) that may name an entity of `kind`."""
    start: int
    end: int
    kind: str
    key: str
    rule: str
    form: str = "name"
    info: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


if not Doc.has_extension("cands"):
    Doc.set_extension("cands", default=None)
    Doc.set_extension("titles", default=None)
    Doc.set_extension("article_date", default=None)


@Language.component("dkg_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after . ! ? (and a closing quote) before a capital, and after line breaks.

    Only a token that ends in . ! ?, closes a quote or holds a line break can end a sentence, so
    only those are examined (a few in a hundred); every other token leaves `ended` false."""
    cache_tokens(doc, doc.user_data.get("source_text"))
    words, spaces = doc.user_data["words"], doc.user_data["ws"]
    n = len(words)
    starts = [0] if n else []
    ended, last = False, -1           # did a sentence end at token `last`?
    for i in [i for i, (w, sp) in enumerate(zip(words, spaces))
              if w[-1:] in ENDS or w in CLOSERS or "\n" in sp or "\n" in w]:
        text = words[i]
        if text[-1:] == "." and (_initial(text) or (text == "." and i and _initial(words[i - 1] + "."))):
            ended_here = False  # 'Lloyd J. Austin', 'George H. W. Bush', 'P. K. Sharma'
        elif text in ENDS or (text[-1:] in ENDS and len(text) > 1 and text[:-1].isalpha()
                              and text.lower() not in ABBREV_LOWER):
            ended_here = True
        else:
            # a closer after a stop keeps the sentence ended; a straight quote after a space opens the next one
            ended_here = text in CLOSERS and ended and last == i - 1 \
                and not (text in STRAIGHT_QUOTES and spaces[i - 1])
        ended, last = ended_here, i
        nxt = i + 1
        if nxt >= n:
            continue
        if "\n" in spaces[i] or ("\n" in text and not text.strip()):
            starts.append(nxt)
        elif ended_here:
            t = words[nxt]
            if t in STRAIGHT_QUOTES and not spaces[i]:
                continue  # 'time."': a straight quote glued to the stop closes the sentence, opens none
            if t.strip() and (t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"“'‘(["):
                starts.append(nxt)
    cache_sentences(doc, starts)
    return doc


ENDS = {".", "!", "?"}
CLOSERS = {'"', "'", "”", "’", ")", "]"}
STRAIGHT_QUOTES = {'"', "'"}


def _initial(text: str) -> bool:
    """A name initial: one capital letter and a full stop."""
    return len(text) == 2 and text[1] == "." and text[0].isupper() and text[0].isalpha()


def cache_sentences(doc: Doc, starts: list[int]) -> None:
    """Sentence spans computed once: spaCy rebuilds doc.sents on every access, which is slow."""
    spans = [(s, e) for s, e in zip(starts, starts[1:] + [len(doc)])]
    end_of, start_of = [], []
    for s, e in spans:
        end_of += [e] * (e - s)
        start_of += [s] * (e - s)
    doc.user_data["sents"] = spans
    doc.user_data["sent_end"] = end_of
    doc.user_data["sent_start"] = start_of
    words = doc.user_data["words"]
    doc.user_data["headlines"] = [headline(words[s:e]) for s, e in spans]


def sent_spans(doc: Doc):
    return [doc[s:e] for s, e in doc.user_data["sents"]]


ABBREV_LOWER = {a.lower() for a in ABBREVIATIONS} | {"u.s.", "u.k.", "u.n.", "e.g.", "i.e.", "vs.", "etc."}


class Gazetteer:
    """Phrase matches for every surface form in the data files (case-sensitive; upper-case too,
    for datelines such as 'NEW DELHI')."""

    def __init__(self, nlp: Language):
        res = resources.load()
        self.entries = res.entries
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.forms: dict[int, str] = {}
        for text in res.entries:
            variants = {text}
            if len(text) >= 4 and any(e.kind in ("Place", "Country") for e in res.entries[text]):
                variants.add(text.upper())
            if text[-1:].isdigit() and any(e.kind == "WeaponSystem" for e in res.entries[text]):
                variants.add(text + "s")  # 'sold JF-17s to Myanmar': a designator's plural names the system
            for v in variants:
                key = nlp.vocab.strings.add("GAZ:" + text)
                self.forms[key] = text
                self.matcher.add("GAZ:" + text, [nlp.make_doc(v)])

    def __call__(self, doc: Doc) -> Doc:
        cands = doc._.cands if doc._.cands is not None else []
        for match_id, start, end in self.matcher(doc):
            text = self.forms[match_id]
            for e in self.entries[text]:
                cands.append(Cand(start, end, e.kind, e.key, "gazetteer", e.form, dict(e.info, surface=text)))
        doc._.cands = cands
        return doc


class Titles:
    """Role and rank phrases, matched case-insensitively (titles are written both ways)."""

    def __init__(self, nlp: Language):
        res = resources.load()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        titles = set(res.titles) | set(resources.lines("rules/titles_extra.txt"))
        self.honorifics = {h.lower().rstrip(".") for h in res.honorifics} | {"mr", "ms", "mrs", "dr", "sheikh"}
        for t in titles:
            if len(t) > 1:
                self.matcher.add("TITLE", [nlp.make_doc(t)])
        for h in res.honorifics:
            self.matcher.add("HONORIFIC", [nlp.make_doc(h)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "TITLE" and doc[start].text.lower().rstrip(".") in self.honorifics and end - start == 1:
                label = "HONORIFIC"
            spans.append((start, end, label))
        # keep the longest title at each position
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept, last_end = [], -1
        for s in spans:
            if s[0] >= last_end:
                kept.append(s)
                last_end = s[1]
        doc._.titles = kept
        return doc


@Language.factory("dkg_gazetteer")
def make_gazetteer(nlp: Language, name: str):
    return Gazetteer(nlp)


@Language.factory("dkg_titles")
def make_titles(nlp: Language, name: str):
    return Titles(nlp)


@Language.component("dkg_mentions")
def pattern_mentions(doc: Doc) -> Doc:
    doc._.cands = (doc._.cands or []) + find_pattern_mentions(doc)
    return doc


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline, built once per process."""
    nlp = spacy.blank("en")
    for abbr in ABBREVIATIONS:
        if " " not in abbr:
            nlp.tokenizer.add_special_case(abbr, [{"ORTH": abbr}])
    nlp.max_length = 6_000_000
    for name in ("dkg_sentences", "dkg_gazetteer", "dkg_titles", "dkg_mentions"):
        nlp.add_pipe(name)
    return nlp


def parse(text: str, article_date=None) -> Doc:
    nlp = build_nlp()
    doc = nlp.make_doc(text)
    doc.user_data["source_text"] = text      # spaCy keeps the text exactly: doc.text == text
    doc._.article_date = article_date
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
