"""Sanctions by several parties: one event per imposing party.

'The United States and the European Union imposed sanctions on Iran' is two measures (each party
sanctions Iran on its own authority) and says nothing about the United States and the EU
confronting each other: the one hostile event read from the sentence becomes one per imposer,
each with the targets named after the cue."""
from __future__ import annotations

from ..context import Context
from ..model import Fact
from .common import states_in
from .events import label

SANCTION_STEMS = ("sanction", "embargo")


def split_sanctions(ctx: Context, facts: list[Fact]) -> None:
    for f in [f for f in facts if f.kind == "Event" and f.polarity == "conflict" and len(f.sentences) == 1
              and any(s in f.rule for s in SANCTION_STEMS)]:
        sent = ctx.sents[f.sentences[0]]
        cue = next((k for k in range(sent.start, sent.end) if ctx.lower[k].startswith(SANCTION_STEMS)), None)
        if cue is None:
            continue
        imposers = [s for s in states_in(ctx, sent, span=(sent.start, cue)) if s in f.participants]
        targets = [s for s in states_in(ctx, sent, span=(cue, sent.end)) if s in f.participants and s not in imposers]
        if len(imposers) < 2 or not targets:
            continue
        i = facts.index(f)
        facts.remove(f)
        for imposer in reversed(imposers):
            g = Fact(kind="Event", rule=f.rule, sentences=list(f.sentences), participants=[imposer] + targets,
                     date=f.date, location=f.location, polarity=f.polarity)
            g.label = label(ctx, g)
            facts.insert(i, g)
