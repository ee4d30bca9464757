"""Small helpers the relation families share."""
from __future__ import annotations

import re

from ..context import Context, Sentence


def states_in(ctx: Context, sent: Sentence, with_refs: bool = True) -> list[str]:
    """Countries and international organisations acting in a sentence, people lifted to theirs."""
    out = []
    for e in ctx.ids(sent, with_refs=with_refs):
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
    doc = ctx.doc
    for t, e in sent.mentions:
        if ctx.entities[e].kind == "Place" and t > 0 and doc[t - 1].lower_ in ("in", "at", "to", "near", "from", "off"):
            return e
    return None
