"""Arms transfers: a named weapon system in a sentence with a transfer cue. Who supplies and
who receives is read from the verb's side ('France will supply', 'India ordered', 'from Russia',
'to Ukraine'), then from the system's country of origin."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .. import resources
from ..context import Context
from ..model import Fact
from .common import states_in

NUMBER = re.compile(r"^\d[\d,]*$")


@lru_cache(maxsize=1)
def _verbs():
    data = json.loads((resources.DATA / "rules/transfer_verbs.json").read_text())
    return set(data["supplier_subject"]), set(data["recipient_subject"])


def quantity_before(ctx: Context, start: int) -> int | None:
    doc, res = ctx.doc, resources.load()
    for k in (start - 1, start - 2):
        if k < 0:
            break
        t = doc[k]
        if NUMBER.match(t.text):
            try:
                n = int(t.text.replace(",", ""))
            except ValueError:
                return None
            return n if 0 < n < 100000 and not (1900 <= n <= 2100) else None
        if t.lower_ in res.cardinals:
            return res.cardinals[t.lower_]
        if not t.is_alpha or t.lower_ in ("the", "of", "and", "with", "for"):
            break
    return None


def find_transfers(ctx: Context) -> list[Fact]:
    sup_verbs, rec_verbs = _verbs()
    res = resources.load()
    facts: list[Fact] = []
    doc = ctx.doc
    for sent in ctx.sents:
        cues = ctx.cues_in("transfer_status", sent)
        systems = [(t, e) for t, e in sent.mentions if ctx.entities[e].kind == "WeaponSystem"]
        if not cues or not systems:
            continue
        cue_s, cue_e, rec = cues[0]
        status = rec.get("value") if isinstance(rec, dict) else None
        cue_text = doc[cue_s:cue_e].text.lower()
        supplier_first = any(v in cue_text.split() or v == cue_text for v in sup_verbs)
        states = states_in(ctx, sent)
        companies = [e for _, e in sent.mentions if ctx.entities[e].kind == "Organisation"
                     and ctx.entities[e].org_kind == "company"]
        supplier, recipient = [], []
        positions = {e: t for t, e in sent.mentions}
        for st in states:
            t = positions.get(st)
            if t is None:
                # a state known through a person or a body: use that mention's position
                t = next((tt for tt, e in sent.mentions if ctx.state_actor(e) == st or st in ctx.person_states(e)), None)
            if t is None:
                continue
            prev = doc[t - 1].lower_ if t > 0 else ""
            if prev == "from":
                supplier.append(st)
            elif prev in ("to", "for") and not supplier_first or prev == "to":
                recipient.append(st)
            elif t < cue_s:
                (supplier if supplier_first else recipient).append(st)
            else:
                (recipient if supplier_first else supplier).append(st)
        for c in companies:
            supplier.append(c)
            country = ctx.entities[c].country
            if country and f"Country:{country}" in ctx.entities:
                supplier.append(f"Country:{country}")
        for t, sys_id in systems:
            origin = res.weapons.get(ctx.entities[sys_id].key, {}).get("origin")
            sup, rec_ = list(dict.fromkeys(supplier)), [r for r in dict.fromkeys(recipient) if r not in supplier]
            if origin and f"Country:{origin}" in ctx.entities and not sup and f"Country:{origin}" not in rec_:
                sup = [f"Country:{origin}"]
            if not rec_:
                others = [s for s in states if s not in sup]
                rec_ = others[:1]
            if not sup and not rec_:
                continue
            known = next((f for f in facts if f.systems == [sys_id] and (f.recipient == rec_ or not rec_)), None)
            if known:
                known.sentences.append(sent.index)
                known.supplier += [s for s in sup if s not in known.supplier]
                known.quantity = known.quantity or quantity_before(ctx, t)
                continue
            facts.append(Fact(kind="ArmsTransfer", rule=f"transfer:{rec.get('cue') if isinstance(rec, dict) else ''}",
                              sentences=[sent.index], supplier=sup, recipient=rec_, systems=[sys_id], status=status,
                              quantity=quantity_before(ctx, t), areas={"arms-transfer"}))
    for f in facts:
        names = lambda ids: ", ".join(ctx.entities[i].name for i in ids if i in ctx.entities) or "?"
        f.label = f"{ctx.entities[f.systems[0]].name}: {names(f.supplier)} → {names(f.recipient)}"
    return facts
