"""Small helpers the relation families share."""
from __future__ import annotations

import re
from functools import lru_cache

from .. import resources
from ..context import Context, Sentence

CLAUSE_BREAKS = {";", "while", "whereas", "but"}
ATTRIBUTE_NOUNS = {"ally", "allies", "member", "members", "partner", "partners", "country", "countries", "state",
                   "states", "nation", "nations", "headquarters"}
ORIGIN = {"made", "built", "origin", "designed", "manufactured"}


def attribute_mentions(ctx: Context, sent: Sentence) -> set[str]:
    """Entities used only as a modifier ('a key NATO ally', 'EU member states'): not actors of the
    sentence. Worked out once per sentence (every relation family asks)."""
    if sent.modifiers is None:
        sent.modifiers = _modifiers(ctx, sent)
    return sent.modifiers


def _modifiers(ctx: Context, sent: Sentence) -> set[str]:
    W, L = ctx.words, ctx.lower
    out, used = set(), set()
    start = dateline_end(ctx, sent)
    for t, e in sent.mentions:
        if t < start:
            out.add(e)  # 'QINGDAO (China), Jun 27 (PTI) -': where the story was filed
            continue
        if t - 2 >= sent.start and L[t - 1] == "in" and L[t - 2] in topic_nouns():
            out.add(e)  # 'the war in Ukraine looming over the talks': a topic, not an actor
            continue
        if t - 2 >= sent.start and L[t - 1] == "the" and L[t - 2] in ("in", "at", "near", "off") \
                and t + 1 < sent.end and L[t + 1] in place_nouns():
            out.add(e)  # 'talks in the Chinese port city': where, not who
            continue
        if t + 2 < sent.end and W[t + 1] == "-" and L[t + 2] in ORIGIN:
            out.add(e)  # 'Israeli-made jets'
            continue
        k = t + 1
        while k < sent.end and k - t < 6 and W[k][:1].isupper() and L[k] not in ATTRIBUTE_NOUNS:
            k += 1
        if ctx.entities[e].kind == "Organisation" and k < sent.end and L[k] in ATTRIBUTE_NOUNS:
            out.add(e)
        else:
            used.add(e)
    return out - used


@lru_cache(maxsize=1)
def topic_nouns() -> frozenset[str]:
    return frozenset(resources.lines("rules/topic_nouns.txt"))


@lru_cache(maxsize=1)
def place_nouns() -> frozenset[str]:
    return frozenset(resources.lines("rules/place_nouns.txt"))


def dateline_end(ctx: Context, sent: Sentence) -> int:
    """Token index where the dateline ('QINGDAO (China), Jun 27 (PTI) -') ends, or sent.start."""
    if sent.index != 0:
        return sent.start
    W, WS = ctx.words, ctx.doc.user_data["ws"]
    for k in range(sent.start + 1, min(sent.end, sent.start + 16)):
        if W[k] in ("-", "—", "–") and WS[k] and WS[k - 1]:
            return k + 1
    return sent.start


TIME_UNITS = {"day", "days", "week", "weeks", "month", "months", "hours", "shortly"}


def _breaks(L: list[str], k: int) -> bool:
    """A clause break at token k: ';', 'while', 'whereas', 'but', or a time clause ('a week after')."""
    return L[k] in CLAUSE_BREAKS or L[k] in ("after", "before") and k > 0 and L[k - 1] in TIME_UNITS


def clause_of(ctx: Context, sent: Sentence, start: int, end: int) -> tuple[int, int]:
    """Token range of the clause around [start, end): split at ';', 'while', 'whereas', 'but' and
    'a week after' (the pact signed 'a week after Israel struck Qatar' is not Israel's)."""
    L = ctx.lower
    b = start
    while b > sent.start and not _breaks(L, b - 1):
        b -= 1
    e = end
    while e < sent.end and not _breaks(L, e):
        e += 1
    return b, e


def states_in(ctx: Context, sent: Sentence, with_refs: bool = True, span: tuple[int, int] | None = None) -> list[str]:
    """Countries and international organisations acting in a sentence (or in one clause of it), people
    lifted to theirs. Every relation family asks about every sentence, so the whole-sentence answer
    is kept (keyed by the entity count too: a rule that adds an entity can change it)."""
    if span is None:
        key = (with_refs, len(ctx.entities))
        if key not in sent.states:
            sent.states[key] = _states_in(ctx, sent, with_refs, None)
        return list(sent.states[key])
    return _states_in(ctx, sent, with_refs, span)


def _states_in(ctx: Context, sent: Sentence, with_refs: bool, span: tuple[int, int] | None) -> list[str]:
    out = []
    skip = attribute_mentions(ctx, sent)
    ids = ctx.ids(sent, with_refs=with_refs)
    if span is not None:
        inside = {e for t, e in sent.mentions if span[0] <= t < span[1]} | \
            {e for t, es in sent.refs if span[0] <= t < span[1] for e in es}
        ids = [e for e in ids if e in inside]
    for e in ids:
        if e in skip:
            continue
        for s in ([ctx.state_actor(e)] if ctx.entities[e].kind != "Person" else ctx.person_states(e)):
            if s and s not in out:
                out.append(s)
    return out


def people_in(ctx: Context, sent: Sentence) -> list[str]:
    return ctx.ids(sent, {"Person"})


def tokens_sim(a: str, b: str) -> float:
    ta, tb = set(re.findall(r"[a-z0-9]+", a.lower())), set(re.findall(r"[a-z0-9]+", b.lower()))
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def location_in(ctx: Context, sent: Sentence) -> str | None:
    for t, e in sent.mentions:
        if ctx.entities[e].kind == "Place" and t > 0 and ctx.lower[t - 1] in ("in", "at", "to", "near", "from", "off"):
            return e
    return None
