"""Trips to several places: one visit per destination that was reached.

'X travelled to Berlin on Tuesday, having visited Poland on Monday, and is due in Latvia on
Wednesday' reads as one Visit with every state of the sentence; it is two visits (Germany, Poland)
and no visit to Latvia, which is only planned. Talks held on the trip are with the host of the
place where they were held, not with the other stops. Planning words: kg/data/rules/trip_words.txt."""
from __future__ import annotations

from functools import lru_cache

from .. import resources
from ..context import Context, Sentence
from ..model import Fact
from .common import attribute_mentions
from .events import label

PLAN_REACH = 3   # tokens before a destination that may say it is still to come


@lru_cache(maxsize=1)
def plan_words() -> frozenset[str]:
    return frozenset(resources.lines("rules/trip_words.txt"))


@lru_cache(maxsize=1)
def host_cues() -> tuple[str, ...]:
    """Cues said by the host (rules/host_cues.txt): the first person is the host, not the traveller."""
    return tuple(resources.lines("rules/host_cues.txt"))


def split_trips(ctx: Context, facts: list[Fact]) -> None:
    for f in [f for f in facts if f.kind == "Visit" and len(f.sentences) == 1
              and not any(h in f.rule for h in host_cues())]:
        sent = ctx.sents[f.sentences[0]]
        people = [p for p in f.participants if p.startswith("Person:")]
        own = set(ctx.person_states(people[0])[:1]) if people else set()  # the traveller comes first
        stops = _stops(ctx, sent, own) if own else []
        if len(stops) < 2:
            continue
        reached = [s for s in stops if not s[3]]
        others = {s[0] for s in stops}
        i = facts.index(f)
        facts.remove(f)
        visitors = [p for p in people if set(ctx.person_states(p)[:1]) <= own]
        for host, place, tok, _ in reversed(reached):
            facts.insert(i, Fact(kind="Visit", rule=f.rule, sentences=list(f.sentences),
                                 participants=visitors + sorted(own) + [host],
                                 date=_date_after(ctx, sent, tok) or f.date,
                                 location=place or (f.location if _country(ctx, f.location) == host else None),
                                 polarity=f.polarity, areas=set(f.areas)))
            facts[i].label = label(ctx, facts[i])
        for g in facts:  # talks on the trip: with the host where they were held, not the other stops
            if g.kind == "Meeting" and f.sentences[0] in g.sentences and _country(ctx, g.location) in others:
                drop = others - {_country(ctx, g.location)}
                g.participants = [p for p in g.participants if p not in drop]
                g.label = label(ctx, g)


def _country(ctx: Context, place: str | None) -> str | None:
    ent = ctx.entities.get(place) if place else None
    return f"Country:{ent.country}" if ent is not None and ent.country else None


def _stops(ctx: Context, sent: Sentence, own: set[str]) -> list[tuple[str, str | None, int, bool]]:
    """(host state, place or None, token, planned) for each state the sentence's trip goes to."""
    skip = attribute_mentions(ctx, sent)
    out: dict[str, tuple] = {}
    for t, e in sent.mentions:
        ent = ctx.entities[e]
        if e in skip:
            continue
        if ent.kind == "Country":
            host, place = e, None
        elif ent.kind == "Place" and ent.country and f"Country:{ent.country}" in ctx.entities:
            host, place = f"Country:{ent.country}", e
        else:
            continue
        if host in own:
            continue
        planned = any(ctx.lower[k] in plan_words() for k in range(max(sent.start, t - PLAN_REACH), t))
        if host not in out:
            out[host] = (host, place, t, planned)
        elif place and not out[host][1]:
            out[host] = (host, place, out[host][2], out[host][3])
    return list(out.values())


def _date_after(ctx: Context, sent: Sentence, tok: int):
    """The day named right after a destination ('visited Poland on Monday'), within a few words."""
    idx = ctx.doc.user_data["idx"]
    at = idx[tok] - idx[sent.start]
    days = [d for d in sent.dates if d.date and 0 <= d.start - at <= 40]
    return min(days, key=lambda d: d.start).date if days else None
