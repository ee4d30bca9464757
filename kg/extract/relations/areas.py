"""Cooperation areas and engagement pairs.

Area cues in a sentence go to the facts read from that sentence; area cues in sentences about
the article's two sides ('bilateral', 'both countries', both names) go to the first fact that
involves both. dkg:engagesWith links every pair of states acting together in a fact."""
from __future__ import annotations

import re
from functools import lru_cache

from .. import resources
from ..context import Context
from ..model import Fact
from .common import clause_of, states_in
from .events import NEGOTIATION_CUES

PAIRISH = re.compile(r"\bbilateral\b|\bboth (sides|countries|nations)\b|\btwo (sides|countries|nations)\b|\bties\b|\brelations\b", re.I)


def sentence_areas(ctx: Context) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for s, e, key in ctx.cues.get("area", []):
        code = key.split("|")[1] if isinstance(key, str) else None
        if code:
            out.setdefault(ctx.sent_of_tok.get(s, 0), set()).add(code)
    return out


def assign_areas(ctx: Context, facts: list[Fact]) -> None:
    by_sent = sentence_areas(ctx)
    for f in facts:
        if f.kind == "Figure" or f.polarity == "conflict":
            continue  # cooperation areas belong to cooperation, not to clashes and sanctions
        if _with_company(ctx, f):
            # areas are between states; a fact with a company party would pair the company with every
            # state, so its areas go to another fact of the same states, if there is one
            states = {s for p in f.actors() for s in _lift(ctx, p)}
            host = next((g for g in facts if g is not f and g.kind != "Figure" and g.polarity != "conflict"
                         and not _with_company(ctx, g) and len(states) >= 2
                         and states <= {s for p in g.actors() for s in _lift(ctx, p)}), None)
            if host is not None:
                for i in f.sentences:
                    host.areas |= by_sent.get(i, set())
            continue
        for i in f.sentences:
            f.areas |= by_sent.get(i, set())
        if f.kind == "Exercise":
            f.areas.add("military-exercises")
    _areas_of_following_sentences(ctx, facts, by_sent)
    if not ctx.main_pair:
        return
    pair = set(ctx.main_pair)
    main = next((f for f in facts if f.kind != "Figure" and f.polarity != "conflict" and not _with_company(ctx, f)
                 and pair <= {s for p in f.actors() for s in _lift(ctx, p)}), None)
    if main is None:
        return
    used = {i for f in facts if f.kind != "Figure" for i in f.sentences}
    for i, codes in by_sent.items():
        if i in used:
            continue
        sent = ctx.sents[i]
        here = set(states_in(ctx, sent))
        if pair <= here or (here & pair and PAIRISH.search(sent.text)) or (not here and PAIRISH.search(sent.text)):
            main.areas |= codes


def _areas_of_following_sentences(ctx: Context, facts: list[Fact], by_sent: dict[int, set[str]]) -> None:
    """A sentence that names no state and reads no fact ('"...maritime security in the region," he said')
    goes on about the fact just before it: its areas go to that fact."""
    coop = [f for f in facts if f.kind != "Figure" and f.polarity != "conflict" and not _with_company(ctx, f)]
    used = {i for f in facts if f.kind != "Figure" for i in f.sentences}
    for i, codes in by_sent.items():
        if i in used or ctx.sents[i].headline:
            continue
        before = [f for f in coop if any(i - 2 <= k < i for k in f.sentences)]
        if before and not states_in(ctx, ctx.sents[i]):
            max(before, key=lambda f: max(k for k in f.sentences if k < i)).areas |= codes


def _with_company(ctx: Context, f: Fact) -> bool:
    return any(ctx.entities[p].kind == "Organisation" and ctx.entities[p].org_kind == "company"
               for p in f.participants if p in ctx.entities)


def _lift(ctx: Context, eid: str) -> list[str]:
    if eid.startswith("Person:"):
        return ctx.person_states(eid)
    s = ctx.state_actor(eid)
    return [s] if s else []


@lru_cache(maxsize=1)
def relation_words() -> frozenset[str]:
    return frozenset(resources.lines("rules/relation_words.txt"))


def _ties_with(ctx: Context, sent, words: frozenset[str], every: bool = False) -> set[frozenset]:
    """In a sentence of many states, 'A has deepened military ties with B, which C and D accuse ...':
    the first state of the clause and the state right after '<word> with' (every state named right
    after it when every is set: 'A is in talks with B and C')."""
    out = set()
    L = ctx.lower
    for k in range(sent.start, sent.end - 2):
        if L[k] in words and L[k + 1] == "with":
            b, _ = clause_of(ctx, sent, k, k + 1)
            left = states_in(ctx, sent, with_refs=False, span=(b, k))
            right = states_in(ctx, sent, with_refs=False, span=(k + 2, min(sent.end, k + 6)))
            for r in right if every else right[:1]:
                if left and left[0] != r:
                    out.add(frozenset((left[0], r)))
    return out


def _in_talks_with(ctx: Context, sent) -> set[frozenset]:
    """'HAL is in talks with the Philippines and Nigeria': a negotiation (no meeting event, see
    events.real_cue) that still pairs the negotiating side with each state it negotiates with."""
    L = ctx.lower
    if NEGOTIATION_CUES.isdisjoint(L[sent.start:sent.end]) or \
            not any(L[k] == "in" and L[k + 1] in NEGOTIATION_CUES for k in range(sent.start, sent.end - 1)):
        return set()
    return _ties_with(ctx, sent, frozenset(NEGOTIATION_CUES), every=True)


def engagement_pairs(ctx: Context, facts: list[Fact]) -> set[frozenset]:
    """Pairs of states acting together in a fact, and the two or three states of a sentence that says
    they interact ('military ties between India and France', 'tensions between Manila and Beijing',
    'defence ties between Japan, Australia and the Philippines'); longer lists are mostly memberships."""
    pairs: set[frozenset] = set()
    words = relation_words()
    split = {i for f in facts if f.kind == "Event" and "sanction" in f.rule for i in f.sentences}
    for sent in ctx.sents:
        if not sent.headline:
            pairs.update(_in_talks_with(ctx, sent))
        if sent.headline or sent.index in split or words.isdisjoint(ctx.lower[sent.start:sent.end]):
            continue  # a sanctions sentence says who sanctions whom: its event pairs are the sentence's
        here = states_in(ctx, sent, with_refs=False)
        if 2 <= len(here) <= 3:
            pairs.update(frozenset((a, b)) for i, a in enumerate(here) for b in here[i + 1:])
        elif len(here) > 3:
            pairs.update(_ties_with(ctx, sent, words))
    for f in facts:
        if f.kind == "Figure":
            continue
        states = list(dict.fromkeys(s for p in f.actors() for s in _lift(ctx, p)))
        for i, a in enumerate(states):
            for b in states[i + 1:]:
                if a != b:
                    pairs.add(frozenset((a, b)))
    return pairs
