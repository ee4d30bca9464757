"""Agreements: a kind noun (agreement, MoU, treaty, partnership, mechanism, ...) in a sentence
with a status cue (signed, agreed, agreed to explore, negotiating, in force). The name is the
noun phrase that ends in the kind noun; parties are the states acting in the sentence, or the
article's two sides when it says 'both sides'."""
from __future__ import annotations

import re

from .. import resources
from ..context import Context, Sentence
from ..model import Fact
from ..tokens import span_text
from .common import clause_of, people_in, states_in, tokens_sim

STATUS_ALIASES = {"ratified": "in-force", "renewed": "in-force"}
ENDED = {"terminated", "suspended"}
STOP = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "to", "on", "in",
        "with", "between", "for", "at", "by", "from", "after", "before", "signing", "signed", "sign", "inked", "termed", "called", "described", "welcomed", "hailed",
        "agreed", "agree", "explore", "exploring", "setting", "set", "up", "of", "under", "new", "as",
        "is", "was", "were", "are", "be", "been", "which", "who", "an", "any", "such", "proposed", "finalise",
        "finalize", "negotiate", "negotiating", "conclude", "concluded", "renewed", "renew", "extended", "two",
        "both", "landmark", "historic", "said", "says", "will", "would", "also", "into", "force", "first", "|",
        "has", "have", "had", "similar", "separate", "another"}


def name_span(ctx: Context, start: int, end: int, sent: Sentence) -> tuple[int, int]:
    W, L = ctx.words, ctx.lower
    b = start
    while b - 1 >= sent.start and start - (b - 1) <= 6:
        t = W[b - 1]
        if L[b - 1] in STOP or not (t.isalpha() or t in ("-", "–") or t[:1].isupper()) or t in ("'s", "’s"):
            break
        if t in ("-", "–") and (b - 2 < sent.start or not W[b - 2].isalpha()):
            break
        b -= 1
    while b < start and L[b] in ("and", "-", "–"):
        b += 1
    e = end
    if W[end - 1][:1].isupper() and e + 1 < sent.end and L[e] in ("on", "for", "of", "concerning") \
            and W[e + 1][:1].isupper():
        e += 1
        while e < sent.end and (W[e][:1].isupper() or L[e] in ("and", "of", "-")) and e - end < 8:
            e += 1
        while L[e - 1] in ("and", "of", "-"):
            e -= 1
    return b, e


OTHER = {"similar", "separate", "another", "new", "second", "further"}  # a different agreement from the one before
PRIOR = {"preliminary", "earlier", "previous", "interim", "prior"}  # 'a preliminary agreement signed in July'
ONE_IN_PLURAL = {"channels"}  # 'set up communication channels': one mechanism, named in the plural
DEFINITE = {"the", "this", "that", "these", "those", "such", "its", "their", "both"}


def _longest(cues: list) -> list:
    """Kind cues of a sentence with those inside a longer one dropped ('memorandum' in 'memorandum of understanding')."""
    cues = [c for c in cues if isinstance(c[2], dict)]
    return [c for c in cues if not any(o is not c and o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0]
                                       for o in cues)]


def _generic(ctx: Context, b: int, e: int) -> bool:
    """A name with no capitalised word after its first ('the deal', 'the largest defence sales agreement')."""
    words = ctx.words
    if e - b == 1:
        return True  # the kind word alone: 'the MoU', 'the pact'
    demonyms = resources.load().demonym_to_iso
    first_cap = words[b][:1].isupper() and b != ctx.sents[ctx.sent_of_tok[b]].start and words[b] not in demonyms
    return not any(w[:1].isupper() for w in words[b + 1:e]) and not first_cap \
        or all(w.lower() in DEFINITE or not w[:1].isupper() for w in words[b:e])


def _anaphor(ctx: Context, b: int, e: int, sent: Sentence) -> bool:
    """A generic name read as a reference back: 'the pact', 'The agreements were signed', 'such a deal', or a
    plural with no name ('foundational military agreements')."""
    L = ctx.lower
    if not _generic(ctx, b, e):
        return False
    first = L[b]
    before = L[b - 1] if b > sent.start else ""
    plural = (L[e - 1].endswith("s") and L[e - 1] not in ("mous",) or L[e - 1] == "mous") and L[e - 1] not in ONE_IN_PLURAL
    return first in DEFINITE or before in DEFINITE or plural


def _between(ctx: Context, sent: Sentence, e: int) -> list[str]:
    """'a pact between Morocco and Mauritania': exactly the states named after 'between' (not the host)."""
    if e >= sent.end or ctx.lower[e] != "between":
        return []
    k = e + 1
    while k < sent.end and k - e <= 12 and (ctx.words[k][:1].isupper() or ctx.lower[k] in ("and", "the", "-", ",", "'s")):
        k += 1
    states = states_in(ctx, sent, span=(e + 1, k))
    return states if len(states) >= 2 else []


def _two_or_none(states: list[str]) -> list[str]:
    return states if len(states) >= 2 else []


def _up_to_relative(ctx: Context, span: tuple[int, int], e: int) -> tuple[int, int]:
    """The clause cut at a relative clause after the name: '... ties with a former Soviet republic
    that has frozen its part in the Russian-led CSTO' names no party after 'that' (used when two
    parties are left: in 'the Nakamal Agreement that Vanuatu negotiated with Australia' they are in it)."""
    cut = next((k for k in range(e, span[1]) if ctx.lower[k] in ("which", "who", "that")
                and ctx.lower[k - 1] not in ("so", "such", "now")), span[1])
    return span[0], cut


def _it_with(ctx: Context, sent: Sentence, e: int) -> list[str]:
    """'It has ordered Israeli radars and signed a letter of intent with Ukraine': the partner after
    'with', and for 'It' the state acting in the sentence before (not the makers named on the way)."""
    if sent.index == 0 or ctx.lower[sent.start] not in ("it", "they") or "with" not in ctx.lower[e:e + 2]:
        return []
    k = e + ctx.lower[e:e + 2].index("with") + 1
    partners = states_in(ctx, sent, span=clause_of(ctx, sent, k, k + 1))
    partners = [p for p in partners if any(k <= t < k + 6 and x == p for t, x in sent.mentions)]
    before = states_in(ctx, ctx.sents[sent.index - 1])
    return [before[0]] + [p for p in partners if p != before[0]] if before and partners else []


def _organisation_name(ctx: Context, sent: Sentence, b: int, e: int) -> bool:
    """The name is that of an organisation the resolver found ('Multinational Joint Task Force'), or
    the start of one ('Collective Security Treaty Organization')."""
    last = ctx.lower[e - 1]
    if e < sent.end and ctx.lower[e] in ("organization", "organisation"):
        return True
    return any(b <= t < e and ctx.entities[x].kind == "Organisation" and ctx.entities[x].name.lower().endswith(last)
               for t, x in sent.mentions)


def _companies(ctx: Context, sent: Sentence) -> list[str]:
    """Companies named in the sentence: a party when the text names them as the counterparty."""
    return [e for e in ctx.ids(sent, {"Organisation"}, with_refs=False) if ctx.entities[e].org_kind == "company"]


def find_agreements(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    per_partner: list[Fact] = []
    for sent in ctx.sents:
        kinds = _longest(ctx.cues_in("agreement_kind", sent))
        if not kinds or sent.headline:
            continue
        statuses = _longest(ctx.cues_in("agreement_status", sent))  # 'entered into force', not 'entered into'
        strong = [c for c in statuses if not c[2].get("weak")]
        statuses = strong or statuses  # 'under an agreement signed with ...': the verb says more than 'under'
        systems = [e for e in ctx.ids(sent, {"WeaponSystem"}, with_refs=False)]
        signed_here = any(isinstance(c[2], dict) and c[2].get("value") == "signed" for c in statuses)
        spans = {(s, e): name_span(ctx, s, e, sent) for s, e, _ in kinds}
        for s, e, rec in kinds:
            if any(o[0] > s and spans[o][0] <= s for o in spans) or \
                    any(o[0] < s and spans[o][1] >= e for o in spans):
                continue  # one name holds both kind words ('strategic partnership treaty', 'Statement on ... Partnership')
            kind = rec.get("value", "agreement")
            if kind in ("deal", "contract") and systems and not signed_here:
                continue  # an arms deal not said to be signed: the transfer rule reads it
            b, e2 = name_span(ctx, s, e, sent)
            name = span_text(ctx.doc, b, e2)
            if _organisation_name(ctx, sent, b, e2):
                continue  # 'the Multinational Joint Task Force': a body, not an agreement
            if name.lower() == "alliance" and b > sent.start and ctx.lower[b - 1] == "the" and \
                    (e2 >= sent.end or ctx.lower[e2] not in ("between", "with", "of")):
                continue  # 'engagement between the alliance and Russia', 'the alliance's members': NATO
            status = None
            outside = [c for c in statuses if not (b <= c[0] and c[1] <= e2)]
            if outside:  # 'an implementing arrangement ... signed': a word of the name is not its status
                near = min(outside, key=lambda c: min(abs(c[0] - e), abs(c[1] - s)))
                status = near[2].get("value") if isinstance(near[2], dict) else None
            anaphor = _anaphor(ctx, b, e2, sent)
            other = any(w in OTHER for w in ctx.lower[max(sent.start, b - 5):b]) or \
                any(w in PRIOR for w in ctx.lower[max(sent.start, b - 5):e2])
            if other and doc_plural(ctx, e2):
                # 'Japan has similar agreements with Australia and Britain': one agreement per partner
                per_partner += _one_per_partner(ctx, sent, b, e2, name, kind, rec, status)
                continue  # kept apart: later references ('the agreement') are to the story's own agreement
            clause = clause_of(ctx, sent, b, e2)
            parties = _between(ctx, sent, e2) or _it_with(ctx, sent, e2) or \
                _two_or_none(states_in(ctx, sent, span=_up_to_relative(ctx, clause, e2))) or \
                states_in(ctx, sent, span=clause)
            if len(parties) < 2:
                parties = list(dict.fromkeys(parties + states_in(ctx, sent)))
            known = None if other else \
                next((f for f in facts if f.agreement_kind == kind and same_name(f.name or "", name)), None)
            if known is None and not other and not anaphor and b > sent.start and ctx.lower[b - 1] == "the":
                # 'signed a defence pact ... The Reciprocal Access Agreement was signed by ...': the name of it
                known = next((f for f in reversed(facts) if not (f.name or "")[:1].isupper()
                              and sent.index - max(f.sentences) <= 2
                              and (not parties or len(set(parties) & set(f.participants)) >= 2)), None)
                if known is not None:
                    known.name, known.agreement_kind = name, kind
            if known is None and anaphor and not other:
                fits = [f for f in reversed(facts) if not parties or
                        len(set(parties) & set(f.participants)) >= min(2, len(parties))]
                head = ctx.lower[e2 - 1].rstrip("s")
                known = next((f for f in fits if head in f"{f.name} {f.rule}".lower()), fits[0] if fits else None)
                if known is None and doc_plural(ctx, e2) and ctx.lower[e2 - 1] not in ONE_IN_PLURAL:
                    continue  # 'agreements' with nothing to refer to: a set, not one agreement
            if status is None and known is None and not (name[:1].isupper() and len(name.split()) > 1):
                continue
            if len(parties) < 2 and ctx.main_pair and (not parties or parties[0] in ctx.main_pair):
                parties = list(dict.fromkeys(parties + list(ctx.main_pair)))
            parties += [c for c in _companies(ctx, sent) if c not in parties]
            if len(parties) < 2 and known is None:
                continue
            signatories = people_in(ctx, sent) if status == "signed" else []
            if known is not None:
                known.sentences.append(sent.index)
                if not anaphor:
                    known.participants += [p for p in parties if p not in known.participants]
                known.signatories += [p for p in signatories if p not in known.signatories]
                known.status = known.status or status
                known.date = known.date or ctx.sentence_date(sent)
                if not anaphor and len(name) > len(known.name or ""):
                    known.name = name
                continue
            date = ctx.sentence_date(sent)
            if date is None and status in ("signed", "agreed") and not any(d.year for d in sent.dates):
                date = ctx.lead_date
            facts.append(Fact(kind="Agreement", rule=f"agreement:{rec.get('cue')}", sentences=[sent.index],
                              participants=parties, name=name, agreement_kind=kind, status=status,
                              signatories=signatories, date=date))
    # an agreement only said to be ended or put on hold has no status in the guideline's list: not one to record
    facts = [f for f in facts + per_partner if f.status not in ENDED]
    for f in facts:
        f.status = STATUS_ALIASES.get(f.status, f.status) or "signed"  # named with no verb: one that exists
        names = [ctx.entities[p].name for p in f.participants if p in ctx.entities][:3]
        f.label = f"{f.name} ({' – '.join(names)})" if names else f.name
        f.regions = [e for i in f.sentences for e in ctx.ids(ctx.sents[i], {"Region"}, with_refs=False)]
    return facts


CLAUSE_END = {";", "while", "but", "whereas", "which", "who", "although", "though"}
POSSESSION = {"has", "have", "had", "holds", "hold"}


def _one_per_partner(ctx: Context, sent: Sentence, b: int, e: int, name: str, kind: str, rec: dict,
                     status: str | None) -> list[Fact]:
    """A plural set of agreements of one state 'with A and B': an agreement between it and each partner.
    One it 'has' is in force."""
    before = states_in(ctx, sent, span=(sent.start, b))
    stop = next((k for k in range(e, sent.end) if ctx.lower[k] in CLAUSE_END), sent.end)
    after = [s for s in states_in(ctx, sent, span=(e, stop)) if s not in before]
    if len(before) != 1 or not after or e >= sent.end or ctx.lower[e] != "with":
        return []
    if status is None and POSSESSION & set(ctx.lower[max(sent.start, b - 4):b]):
        status = "in-force"
    words = name.split()
    words = [w for w in words if w.lower() not in OTHER]
    words[-1] = words[-1][:-1] if words[-1].endswith("s") else words[-1]
    single = " ".join(words)
    return [Fact(kind="Agreement", rule=f"agreement:{rec.get('cue')}:per-partner", sentences=[sent.index],
                 participants=[before[0], partner], name=single, agreement_kind=kind, status=status)
            for partner in after]


def doc_plural(ctx: Context, e: int) -> bool:
    w = ctx.lower[e - 1]
    return w.endswith("s") and not w.endswith("ss")


def same_name(a: str, b: str) -> bool:
    """Two names of one agreement: similar, or the shorter (two words or more) inside the longer."""
    if tokens_sim(a, b) >= 0.5:
        return True
    ta, tb = set(re.findall(r"[a-z0-9]+", a.lower())), set(re.findall(r"[a-z0-9]+", b.lower()))
    short, long_ = sorted((ta, tb), key=len)
    return len(short) >= 2 and short <= long_
