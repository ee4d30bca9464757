"""Agreements: a kind noun (agreement, MoU, treaty, partnership, mechanism, ...) in a sentence
with a status cue (signed, agreed, agreed to explore, negotiating, in force). The name is the
noun phrase that ends in the kind noun; parties are the states acting in the sentence, or the
article's two sides when it says 'both sides'."""
from __future__ import annotations

from ..context import Context, Sentence
from ..model import Fact
from .common import people_in, states_in, tokens_sim

STATUS_ALIASES = {"ratified": "in-force", "renewed": "in-force"}
STOP = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "to", "on", "in",
        "with", "between", "for", "at", "by", "from", "after", "before", "signing", "signed", "sign", "inked", "termed", "called", "described", "welcomed", "hailed",
        "agreed", "agree", "explore", "exploring", "setting", "set", "up", "of", "under", "new", "as",
        "is", "was", "were", "are", "be", "been", "which", "who", "an", "any", "such", "proposed", "finalise",
        "finalize", "negotiate", "negotiating", "conclude", "concluded", "renewed", "renew", "extended", "two",
        "both", "landmark", "historic", "said", "says", "will", "would", "also", "into", "force", "first", "|"}


def agreement_name(ctx: Context, start: int, end: int, sent: Sentence) -> str:
    doc = ctx.doc
    b = start
    while b - 1 >= sent.start and start - (b - 1) <= 6:
        t = doc[b - 1]
        if t.lower_ in STOP or not (t.is_alpha or t.text in ("-", "–") or t.text[:1].isupper()) or t.text in ("'s", "’s"):
            break
        if t.text in ("-", "–") and (b - 2 < sent.start or not doc[b - 2].is_alpha):
            break
        b -= 1
    while b < start and doc[b].lower_ in ("and", "-", "–"):
        b += 1
    e = end
    if doc[end - 1].text[:1].isupper() and e + 1 < sent.end and doc[e].lower_ in ("on", "for", "of", "concerning") \
            and doc[e + 1].text[:1].isupper():
        e += 1
        while e < sent.end and (doc[e].text[:1].isupper() or doc[e].lower_ in ("and", "of", "-")) and e - end < 8:
            e += 1
        while doc[e - 1].lower_ in ("and", "of", "-"):
            e -= 1
    return doc[b:e].text


def find_agreements(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    for sent in ctx.sents:
        kinds = ctx.cues_in("agreement_kind", sent)
        if not kinds or sent.headline:
            continue
        statuses = ctx.cues_in("agreement_status", sent)
        systems = [e for e in ctx.ids(sent, {"WeaponSystem"}, with_refs=False)]
        for s, e, rec in kinds:
            if not isinstance(rec, dict):
                continue
            kind = rec.get("value", "agreement")
            if kind in ("deal", "contract") and systems:
                continue  # an arms deal: the transfer rule reads it
            name = agreement_name(ctx, s, e, sent)
            status = None
            if statuses:
                near = min(statuses, key=lambda c: min(abs(c[0] - e), abs(c[1] - s)))
                status = near[2].get("value") if isinstance(near[2], dict) else None
            known = next((f for f in facts if tokens_sim(f.name or "", name) >= 0.5 and f.agreement_kind == kind), None)
            if status is None and known is None and not (name[:1].isupper() and len(name.split()) > 1):
                continue
            parties = states_in(ctx, sent)
            if len(parties) < 2 and ctx.main_pair and (not parties or parties[0] in ctx.main_pair):
                parties = list(dict.fromkeys(parties + list(ctx.main_pair)))
            if len(parties) < 2 and known is None:
                continue
            signatories = people_in(ctx, sent) if status == "signed" else []
            if known is not None:
                known.sentences.append(sent.index)
                known.participants += [p for p in parties if p not in known.participants]
                known.signatories += [p for p in signatories if p not in known.signatories]
                known.status = known.status or status
                known.date = known.date or ctx.sentence_date(sent)
                if len(name) > len(known.name or ""):
                    known.name = name
                continue
            date = ctx.sentence_date(sent)
            if date is None and status in ("signed", "agreed") and not any(d.year for d in sent.dates):
                date = ctx.lead_date
            facts.append(Fact(kind="Agreement", rule=f"agreement:{rec.get('cue')}", sentences=[sent.index],
                              participants=parties, name=name, agreement_kind=kind, status=status,
                              signatories=signatories, date=date))
    for f in facts:
        f.status = STATUS_ALIASES.get(f.status, f.status) or "agreed"
        names = [ctx.entities[p].name for p in f.participants if p in ctx.entities][:3]
        f.label = f"{f.name} ({' – '.join(names)})" if names else f.name
        f.regions = [e for i in f.sentences for e in ctx.ids(ctx.sents[i], {"Region"}, with_refs=False)]
    return facts
