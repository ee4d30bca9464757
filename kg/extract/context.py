"""A sentence-by-sentence view of a resolved article, shared by the relation rules: who is
mentioned where, who 'he', 'the minister' and 'the two sides' refer to, and which dates apply."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import resources
from .dates import DateMention, find_dates
from .model import Extraction

PRONOUNS = {"he", "she", "him", "his", "her"}
PAIR_WORDS = {("both", "sides"), ("both", "countries"), ("both", "nations"), ("two", "sides"), ("two", "countries"),
              ("two", "nations"), ("two", "governments"), ("both", "governments"), ("two", "militaries"),
              ("both", "militaries"), ("two", "navies"), ("both", "navies"), ("two", "neighbours"), ("two", "neighbors"),
              ("two", "allies"), ("both", "parties"), ("two", "partners")}
TITLE_REFS = ("minister", "secretary", "president", "premier", "chancellor", "admiral", "general")
LEADER_WORDS = {("two", "leaders"), ("two", "ministers"), ("both", "leaders"), ("both", "ministers"),
                ("two", "officials"), ("two", "chiefs")}
REF_WORDS = PRONOUNS | {w for _, w in PAIR_WORDS | LEADER_WORDS} | set(TITLE_REFS)


@dataclass
class Sentence:
    index: int
    start: int          # token range
    end: int
    text: str
    mentions: list = field(default_factory=list)      # (token start, entity id)
    dates: list[DateMention] = field(default_factory=list)
    refs: list = field(default_factory=list)          # (token index, [entity ids]) pronoun / pair references
    headline: bool = False
    modifiers: set[str] | None = None                 # entities used only as modifiers (relations.common)
    states: dict = field(default_factory=dict)        # states_in's answers (relations.common)


@lru_cache(maxsize=1)
def org_parents() -> dict[str, str]:
    rows = [line.split("\t") for line in resources.lines("rules/org_parents.tsv")]
    return {r[0].strip(): r[1].strip() for r in rows if len(r) == 2}


@lru_cache(maxsize=1)
def cue_matcher():
    """One PhraseMatcher (case-insensitive) for every cue family in the data files and the area
    cues; each match key starts with its family ('event|met', 'area|maritime-security|navy'), and
    one pass over the article finds them all."""
    from .pipeline import build_nlp
    nlp = build_nlp()
    res = resources.load()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    info: dict[str, dict] = {}
    for rec in res.cues:
        fam = rec.get("family", "event")
        key = f"{fam}|{rec['cue']}"
        info[key] = rec
        matcher.add(key, [nlp.make_doc(rec["cue"])])
    for rec in res.areas:
        for cue in rec.get("cues", []):
            matcher.add(f"area|{rec['code']}|{cue}", [nlp.make_doc(cue)])
    return matcher, info, {}      # the last: each match id's (family, record), filled as matches come


class Context:
    def __init__(self, doc: Doc, ex: Extraction, date: dt.date):
        self.doc, self.ex, self.date = doc, ex, date
        self.entities = ex.entities
        self.sents: list[Sentence] = []
        self.words, self.lower = doc.user_data["words"], doc.user_data["lower"]
        starts = {m.start for m in ex.mentions}
        tok_of_char = {a: i for i, a in enumerate(doc.user_data["idx"]) if a in starts}
        heads = doc.user_data["headlines"]
        for n, (s, e) in enumerate(doc.user_data["sents"]):
            a, b = ex.sentences[n]
            self.sents.append(Sentence(n, s, e, ex.text[a:b], headline=heads[n]))
        self.sent_of_tok = {i: n for n, (s, e) in enumerate(doc.user_data["sents"]) for i in range(s, e)}
        for m in ex.mentions:
            ti = tok_of_char.get(m.start)
            if ti is not None:
                self.sents[m.sentence].mentions.append((ti, m.entity))
        for s in self.sents:
            s.mentions.sort()
            for d in find_dates(s.text, date):
                s.dates.append(d)
        self.cues = self._match_cues()
        self.main_pair = self._main_pair()
        self._resolve_refs()
        self.lead_date = self._lead_date()

    # -- actors ---------------------------------------------------------------------------------
    def state_actor(self, eid: str) -> str | None:
        """Countries and international organisations stand for themselves; national bodies and
        people stand for the state they belong to (engagesWith links states and IOs)."""
        ent = self.entities.get(eid)
        if ent is None:
            return None
        if ent.kind == "Country":
            return eid
        if ent.kind == "Organisation":
            parent = org_parents().get(ent.name)
            if parent and f"Organisation:{parent}" in self.entities:
                return f"Organisation:{parent}"
            if ent.org_kind == "international":
                return eid
            if ent.country and f"Country:{ent.country}" in self.entities:
                return f"Country:{ent.country}"
        return None

    def person_states(self, eid: str) -> list[str]:
        ent = self.entities.get(eid)
        if ent is None or ent.kind != "Person":
            return []
        out = []
        for a in ent.affiliations:
            s = self.state_actor(a)
            if s and s not in out:
                out.append(s)
        return out[:1] if len(out) > 1 and any(o.startswith("Country:") for o in out) and \
            any(not o.startswith("Country:") for o in out) else out

    def ids(self, sent: Sentence, kinds=None, with_refs=True) -> list[str]:
        out = [e for _, e in sent.mentions]
        if with_refs:
            out += [e for _, es in sent.refs for e in es]
        if kinds:
            out = [e for e in out if self.entities[e].kind in kinds]
        return list(dict.fromkeys(out))

    # -- cues -----------------------------------------------------------------------------------
    def _match_cues(self):
        matcher, info, meanings = cue_matcher()
        found: dict[str, list] = {}
        strings = self.doc.vocab.strings
        for match_id, s, e in matcher(self.doc):
            meaning = meanings.get(match_id)
            if meaning is None:     # (family, record) of a match key, worked out once per process
                key = strings[match_id]
                meaning = meanings[match_id] = (key.split("|", 1)[0], info.get(key) or key)
            found.setdefault(meaning[0], []).append((s, e, meaning[1]))
        for cues in found.values():
            cues.sort(key=lambda c: c[:2])
        self.cues_by_sent: dict[tuple[str, int], list] = {}
        for fam, cues in found.items():
            for c in cues:
                self.cues_by_sent.setdefault((fam, self.sent_of_tok.get(c[0], -1)), []).append(c)
        return found

    def cues_in(self, fam: str, sent: Sentence) -> list:
        return list(self.cues_by_sent.get((fam, sent.index), ()))

    # -- references -----------------------------------------------------------------------------
    def _main_pair(self) -> tuple[str, str] | None:
        counts: Counter = Counter()
        for s in self.sents:
            actors = []
            for _, e in s.mentions:
                st = self.state_actor(e) or (self.person_states(e) or [None])[0]
                if st and st not in actors:
                    actors.append(st)
            for i, a in enumerate(actors):
                for b in actors[i + 1:]:
                    counts[tuple(sorted((a, b)))] += 1
        if not counts:
            return None
        return counts.most_common(1)[0][0]

    def _resolve_refs(self) -> None:
        words, lower = self.words, self.lower
        people = [(t, e) for s in self.sents for t, e in s.mentions if self.entities[e].kind == "Person"]
        # only the tokens a reference can end on are looked at, in text order
        for i in (i for i, w in enumerate(lower) if w in REF_WORDS):
            s = self.sents[self.sent_of_tok[i]]
            w = lower[i]
            prev = lower[i - 1] if i > s.start else ""
            if w in PRONOUNS and words[i][:1] in "HhSs":
                before = [e for t, e in people if t < i]
                if before:
                    s.refs.append((i, [before[-1]]))
            elif (prev, w) in PAIR_WORDS and self.main_pair:
                s.refs.append((i, list(self.main_pair)))
            elif (prev, w) in LEADER_WORDS:
                before = list(dict.fromkeys(e for t, e in reversed(people) if t < i))[:2]
                if len(before) == 2:
                    s.refs.append((i, before))
            elif prev == "the" and w in TITLE_REFS:
                before = [e for t, e in people if t < i and any(w in x.lower() for x in self.entities[e].titles)]
                if before:
                    s.refs.append((i, [before[-1]]))

    # -- dates ----------------------------------------------------------------------------------
    def _lead_date(self) -> dt.date | None:
        for s in self.sents[:3]:
            for d in s.dates:
                if d.date and dt.timedelta(0) <= self.date - d.date <= dt.timedelta(days=31):
                    return d.date
        return None

    def sentence_date(self, sent: Sentence) -> dt.date | None:
        days = [d.date for d in sent.dates if d.date]
        return days[0] if days else None

    def sentence_year(self, sent: Sentence) -> int | None:
        years = [d.year for d in sent.dates if d.year]
        return years[0] if years else None

    def dateline_place(self) -> str | None:
        if not self.sents:
            return None
        first = self.sents[0]
        for t, e in first.mentions:
            if self.doc.user_data["idx"][t] > 60:
                break
            if self.entities[e].kind == "Place":
                return e
        return None
