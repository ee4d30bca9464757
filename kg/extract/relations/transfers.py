"""Arms transfers: a weapon system (or a described piece of equipment) that is the object of a
transfer cue ('will supply', 'ordered', 'took delivery of', 'co-produce').

Suppliers and recipients are states (a firm stands for its home state). Who supplies and who receives is read the way a reader does it: prepositions first ('from X',
'by X', 'to X', 'for X', 'with X' in 'a deal with Russia to buy'), then the cue's subject (the
subject of 'sell' supplies, the subject of 'buy' receives), a recipient named right after a giving
verb ('offered Colombia jets'), a maker before the system ('Russian S-400', 'Israeli-made Kfir',
'Lockheed Martin's F-35'), and last the system's country of origin. A transfer needs both sides
(the shapes require a recipient; with no supplier it is as likely a state's own build), and a state
buying from its own industry is no transfer between states. The word lists are in
kg/data/rules/transfer_words.json."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .. import resources
from ..context import Context, Sentence
from ..model import Fact
from ..tokens import span_text
from .common import dateline_end

NUMBER = re.compile(r"^\d[\d,]*$")
PASSIVE_AUX = {"was", "were", "be", "been", "being", "is", "are", "will", "would"}
CLAUSE_BREAKS = {";", "while", "whereas", "but", "which", "who", "although"}
CONCLUDED = {"signed", "inked", "sealed", "agreed", "concluded"}  # 'signed a deal ... to buy' is an order
SUBJECT_GAP = 14          # tokens between a subject and its cue
OBJECT_GAP = 12           # tokens between a cue and the system it governs
PASSIVE_GAP = 6           # 'S-400 systems were delivered': system before the cue
LIST_GAP = 40             # '... bought equipment, including P-8I aircraft, ... and Chinook helicopters'
AFTER_GAP = 10            # tokens after the system where 'from X' / 'to X' still belong to it
LISTERS = {"including", "includes", "include", "such"}


@lru_cache(maxsize=1)
def words() -> dict:
    data = json.loads((resources.DATA / "rules/transfer_words.json").read_text())
    out = {k: set(v) for k, v in data.items() if k not in ("_doc", "equipment", "losing_bid_leads")}
    out["losing_bid_leads"] = {k: set(v) for k, v in data["losing_bid_leads"].items()}
    out["not_modifiers"] = out["supplier_verbs"] | out["recipient_verbs"] | out["give_verbs"] | \
        set(resources.load().cardinals) | {"will", "would", "to", "more", "its", "their", "his", "her", "our", "some"}
    out["platform_heads"] = {w for line in (resources.DATA / "rules/platform_nouns.txt").read_text().splitlines()
                             if line and not line.startswith("#") for n in line.split("|") for w in n.split()}
    out["equipment_by_first"] = {}
    for phrase in sorted((tuple(e.lower().split()) for e in data["equipment"]), key=len, reverse=True):
        out["equipment_by_first"].setdefault(phrase[0], []).append(phrase)
    return out


def quantity_before(ctx: Context, start: int) -> int | None:
    res = resources.load()
    for k in range(start - 1, start - 6, -1):  # over modifiers: '12 high-speed guard boats'
        if k < 0:
            break
        t, low = ctx.words[k], ctx.lower[k]
        if NUMBER.match(t):
            try:
                n = int(t.replace(",", ""))
            except ValueError:
                return None
            return n if 0 < n < 100000 and not (1900 <= n <= 2100) else None
        if low in res.cardinals:
            return res.cardinals[low]
        if t != "-" and (not t.replace("-", "").isalpha() or low in ("the", "of", "and", "with", "for") or not t.islower()):
            break
    return None


def _cues(ctx: Context, sent: Sentence) -> list:
    """Transfer cues of a sentence, a cue inside a longer one dropped ('delivery' in 'took delivery')."""
    cues = [c for c in ctx.cues_in("transfer_status", sent) if isinstance(c[2], dict) and not _adjective(ctx, c, sent)]
    return [c for c in cues if not any(o is not c and o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0]
                                       for o in cues)]


ADJECTIVE_ADVERBS = {"previously", "recently", "newly"}


def _adjective(ctx: Context, cue, sent: Sentence) -> bool:
    """'in previously approved weapons': a participle describing a noun, not the sentence's transfer."""
    k = cue[0]
    return cue[1] - k == 1 and k - 2 >= sent.start and ctx.lower[k - 1] in ADJECTIVE_ADVERBS \
        and ctx.lower[k - 2] not in PASSIVE_AUX | {"has", "have", "had"}


def _participle(ctx: Context, cue) -> bool:
    """A cue with a participle in it ('delivered', 'being built for'), which can follow its system."""
    return any(w.endswith("ed") or w in words()["irregular_participles"] for w in ctx.lower[cue[0]:cue[1]])


def _direction(ctx: Context, cue, item=None) -> str:
    """'sup' when the cue's subject supplies, 'rec' when it receives. A transfer noun between the cue
    and the system decides ('is considering the transfer of', 'approved the sale of')."""
    w = words()
    if item is not None:
        L = ctx.lower
        for k in range(item[0] - 2, cue[1] - 1, -1):
            if L[k + 1] == "of" and L[k] in w["supplier_verbs"]:
                return "sup"
            if L[k + 1] == "of" and L[k] in w["recipient_verbs"]:
                return "rec"
    toks = span_text(ctx.doc, cue[0], cue[1]).lower().split()
    if any(t in w["recipient_verbs"] for t in toks) or \
            any(t in w["receive_leads"] for t in ctx.lower[max(0, cue[0] - 3):cue[0]]):
        return "rec"  # 'is awaiting (the) delivery of': the subject receives
    if any(t in w["supplier_verbs"] for t in toks):
        return "sup"
    return "sup" if cue[2].get("value") in ("delivered", "offered") else "rec"


def _passive(ctx: Context, cue, sent: Sentence) -> bool:
    low = ctx.lower[cue[0]]
    return cue[0] > sent.start and ctx.lower[cue[0] - 1] in PASSIVE_AUX and \
        (low.endswith("ed") or low in words()["irregular_participles"])


def _items(ctx: Context, sent: Sentence) -> list[tuple[int, int, str | None, str]]:
    """(start, end, system id or None, surface) for named systems, then described equipment."""
    out = []
    taken = set()
    for t, e in sent.mentions:
        ent = ctx.entities[e]
        if ent.kind == "WeaponSystem":
            end = t + 1
            out.append((t, end, e, ent.name))
            taken.update(range(t, end + 3))
    text = ctx.words
    low = ctx.lower[sent.start:sent.end]
    by_first = words()["equipment_by_first"]
    not_modifiers = words()["not_modifiers"]
    free = 0  # the first position not inside an equipment phrase already found
    for i in [i for i, w in enumerate(low) if w in by_first]:
        if i < free:
            continue
        for phrase in by_first[low[i]]:
            n = len(phrase)
            k = sent.start + i
            if k not in taken and tuple(low[i:i + n]) == phrase:
                b = k
                while b - 1 >= sent.start and b - 1 not in taken and k - (b - 1) <= 3 + text[b - 1:k].count("-") and \
                        (text[b - 1] == "-" or text[b - 1].replace("-", "").isalpha() and text[b - 1].islower()) \
                        and ctx.lower[b - 1] not in not_modifiers:
                    b -= 1  # modifiers of the equipment ('high-speed guard boats'), not 'will gift two'

                while b < k and low[b - sent.start] in ("the", "a", "an", "of", "and", "-"):
                    b += 1
                out.append((k, k + n, None, span_text(ctx.doc, b, k + n)))
                free = i + n
                break
    return out


def _cue_for(item_start: int, cues: list, ctx: Context):
    """The cue that governs an item: the nearest before it, or a passive cue right after it."""
    L = ctx.lower
    before = [c for c in cues if c[1] <= item_start and (item_start - c[1] <= OBJECT_GAP or (
        item_start - c[1] <= LIST_GAP and any(L[k] in LISTERS for k in range(c[1], item_start))))
        and (c[2].get("cue") not in words()["deal_nouns"] or "for" in L[c[1]:item_start])]
    if before:
        return max(before, key=lambda c: c[1])
    name_end = _name_end(ctx, item_start + 1, len(ctx.lower))
    after = [c for c in cues if c[0] > item_start and (c[0] - name_end <= PASSIVE_GAP and _participle(ctx, c) or
             c[0] - item_start <= OBJECT_GAP and (c[2].get("value") == "co-production" or
                                                  c[2].get("cue") in words()["after_system_cues"]))]
    # 'the K9, ... under a co-production arrangement with Hanwha': the arrangement is named after the
    # system; so are '25 F-16s on order from' and 'the C-390 has won orders from'
    return min(after, key=lambda c: c[0]) if after else None


def _blocked(ctx: Context, a: int, b: int) -> bool:
    w = words()["blockers"] | CLAUSE_BREAKS
    return any(low in w for low in ctx.lower[a:b])


def _actors(ctx: Context, sent: Sentence) -> list[tuple[int, str, str | None]]:
    """(token, entity id, state it stands for) for the states, bodies, people and companies of a
    sentence; a capital not used as a place ('accused Tehran of supplying') stands for its state."""
    out = []
    start = dateline_end(ctx, sent)
    res = resources.load()
    for t, e in sent.mentions:
        if t < start:
            continue
        ent = ctx.entities[e]
        if ent.kind == "Place":
            iso = ent.country
            if iso and res.countries.get(iso, {}).get("capital") == ent.name and f"Country:{iso}" in ctx.entities \
                    and _prev_word(ctx, t, sent.start) not in ("in", "at", "near", "into", "outside", "of"):
                out.append((t, f"Country:{iso}", f"Country:{iso}"))
        elif ent.kind == "Person":
            states = ctx.person_states(e)
            if states:
                out.append((t, states[0], states[0]))  # people act for their state
        elif ent.kind in ("Country", "Organisation"):
            state = ctx.state_actor(e)
            if ent.kind == "Organisation" and ent.org_kind == "company":
                home = f"Country:{ent.country}" if ent.country and f"Country:{ent.country}" in ctx.entities else None
                out.append((t, e, home))
            elif state:
                out.append((t, e, state))
    return out


def _prev_word(ctx: Context, t: int, floor: int) -> str:
    k = t - 1
    while k >= floor and ctx.lower[k] in ("the", "its", "their", "his", "her"):
        k -= 1
    return ctx.lower[k] if k >= floor else ""


def _is_demonym(ctx: Context, t: int) -> bool:
    """'Russian S-400', not the first word of 'the Czech Republic'."""
    return ctx.words[t] in resources.load().demonym_to_iso and \
        (t + 1 >= len(ctx.lower) or ctx.lower[t + 1] != "republic")


def _sides(ctx: Context, sent: Sentence, cue, item, starts: tuple[int, ...] = (),
           stop: int | None = None) -> tuple[list[str], list[str]]:
    """Supplier and recipient entity ids (companies with their home state) for one item; `starts` are
    the other items of the sentence, whose own 'from X' / 'to X' is not this item's."""
    w = words()
    direction = _direction(ctx, cue, item)
    passive = _passive(ctx, cue, sent)
    sup, rec = [], []
    actors = _actors(ctx, sent)

    def put(side, eid, state):
        side.append(state or eid)  # the guideline's sides are states: a seller firm stands for its home state

    subjects: list[tuple[int, str, str | None]] = []  # 'the United States and Canada have supplied'
    last = None  # (token, side) of the last actor given a side: 'from Qatar and Oman' gives Oman the same
    lo, hi = cue[0] - SUBJECT_GAP, max(item[1], cue[1]) + AFTER_GAP
    for t, eid, state in actors:
        if stop is not None and t > stop > item[1]:
            break  # the bids that lost are no side of the choice ('picked the ATMOS over bids from China')
        listed = last is not None and t - last[0] <= 4 and _prev_word(ctx, t, sent.start) in ("and", "or", ",")
        if not (lo <= t <= hi or listed) or _blocked_clause(ctx, t, cue, item):
            continue  # past the window only when the list the last side started goes on
        prev = _prev_word(ctx, t, sent.start)
        if prev in SIDE_PREPOSITIONS and (_other_items(ctx, t, cue, item, starts) or t < cue[0] <= item[0]):
            continue  # 'ordering Su-35 fighters from Russia and MEKO frigates from Germany'; 'bought TB2s
            # from Turkey and took delivery of Chinese-made Wing Loongs': a 'from X' before the cue is not its
        nxt = ctx.lower[t + 1:t + 3]
        maker = nxt[:1] == ["-"] and nxt[1:] and nxt[1] in w["origin_suffixes"]
        if last and prev in ("and", "or", ",") and t - last[0] <= 4 and not maker and not _is_demonym(ctx, t):
            put(last[1], eid, state)   # 'from Qatar and Oman', not 'from Kongsberg, German-made IRIS-T'
            last = (t, last[1])
            continue
        before = len(sup), len(rec)
        possessive = nxt[:1] in (["'s"], ["’s"])
        if nxt[:1] == ["-"] and nxt[1:] and nxt[1] in w["origin_suffixes"] \
                and (0 < item[0] - t <= 5 or cue[1] <= t < item[0]):
            put(sup, eid, state)                      # 'Israeli-made'
        elif _is_demonym(ctx, t) and (0 < item[0] - t <= 3 or ctx.lower[t + 1] in ("and", "or") and
                                      _is_demonym(ctx, t + 2) and 0 < item[0] - t - 2 <= 3):
            put(sup, eid, state)                      # 'Russian S-400', 'Israeli and British counter-drone systems'
        elif possessive and t + 2 == item[0] and ctx.entities[eid].org_kind == "company":
            put(sup, eid, state)                      # "Lockheed Martin's F-35"
        elif _is_demonym(ctx, t) and prev in ("to", "for") and t > cue[0]:
            put(rec, eid, state)                      # 'to the Philippine navy'
        elif _is_demonym(ctx, t) or (nxt[:1] == ["-"] and nxt[1:] and nxt[1] in w["origin_suffixes"]):
            continue                                  # an adjective elsewhere says nothing about sides
        elif prev == "from":
            k = t - 1
            while ctx.lower[k] != "from":
                k -= 1
            buyer = k > sent.start and ctx.lower[k - 1] in w["buyer_nouns"] and ctx.lower[k - 2] != "on"
            put(rec if buyer else sup, eid, state)  # 'orders from Poland', not 'on order from Lockheed'
        elif prev == "by" and t > cue[0] and t - cue[1] <= 3:  # 'ordered by X', not a later clause's 'made by X'
            put(sup if direction == "sup" or not passive else rec, eid, state)
        elif prev in ("to", "for") and t > cue[0]:
            put(rec, eid, state)
        elif prev in LISTERS and t > cue[0] and any(ctx.lower[k] in ("to", "for") for k in range(cue[1], t)):
            put(rec, eid, state)                      # 'to several countries, including Jordan, Bahrain and Morocco'
        elif possessive and t + 2 == cue[0]:
            put(sup if direction == "sup" else rec, eid, state)  # "the UAE's purchase of", "Russia's delivery of"
        elif prev == "with" and t < item[0]:
            put(sup if direction == "rec" else rec, eid, state)
        elif t > cue[0] and t - cue[1] <= 1 and ctx.lower[cue[1] - 1] in w["give_verbs"]:
            put(rec, eid, state)                      # 'offered Colombia used F-16s'
        elif t < cue[0] and not passive and not possessive and prev not in w["addressee_verbs"] \
                and prev not in NOT_SUBJECT and prev not in ("'s", "’s"):  # not 'from Turkey's Baykar'
            joined = subjects and prev == "and" and t - subjects[-1][0] <= 4
            subjects = subjects + [(t, eid, state)] if joined else [(t, eid, state)]  # not 'told Washington ...'

        if (len(sup), len(rec)) != before:
            last = (t, sup if len(sup) != before[0] else rec)
    for subject in subjects:
        if subject[2] not in sup + rec:
            put(sup if direction == "sup" else rec, subject[1], subject[2])
    return list(dict.fromkeys(sup)), list(dict.fromkeys(rec))


SIDE_PREPOSITIONS = {"from", "to", "for"}
NOT_SUBJECT = {"to", "for", "with", "from", "by", "in", "at", "of", "on", "against", "into", "over", "about"}


def _other_items(ctx: Context, t: int, cue, item, starts) -> bool:
    """An actor after a preposition belongs to another item: one between the cue and it (before this
    item), or one after this item when this item already has its own preposition first."""
    if cue[1] <= t < item[0]:
        return any(cue[1] <= s < t for s in starts)
    if t >= item[1]:
        nxt = [s for s in starts if item[1] <= s < t]
        return bool(nxt) and any(w in SIDE_PREPOSITIONS for w in ctx.lower[item[1]:min(nxt)])
    return False


def _blocked_clause(ctx: Context, t: int, cue, item) -> bool:
    """A clause break between an actor and the cue-and-system span: the actor belongs elsewhere."""
    a, b = min(cue[0], item[0]), max(cue[1], item[1])
    L = ctx.lower
    if t + 2 < a and L[t + 1] == "," and L[t + 2] in ("which", "who"):
        t += 2  # 'Croatia, which is buying Rafales from France': the actor is the relative clause's subject
    rng = range(t + 1, a) if t < a else range(b, t)
    return any(L[k] in CLAUSE_BREAKS or (L[k] == "as" and L[k - 1] == "and") for k in rng)


CARRY_BACK = 2  # sentences back where 'The package includes ...' finds its sale


def _carry_over(ctx: Context, sent: Sentence, facts: list[Fact]) -> None:
    """'... approved the possible sale of munitions to Nigeria. The package includes 5,000 Mk-82 bombs':
    systems listed as the contents of a deal named just before take that deal's sides and status."""
    w, L = words(), ctx.lower
    head = next((k for k in range(sent.start, min(sent.end, sent.start + 3)) if L[k] in w["package_nouns"]), None)
    if head is None or not any(L[k] in w["include_verbs"] for k in range(head + 1, min(sent.end, head + 3))):
        return
    for back in range(sent.index - 1, max(-1, sent.index - 1 - CARRY_BACK), -1):
        prev = ctx.sents[back]
        cues = _cues(ctx, prev)
        if cues:
            cue = cues[-1]
            sup, rec = _sides(ctx, prev, cue, (cue[1], cue[1], None, ""))
            break
    else:
        return
    sup, rec = _states(ctx, sup), [r for r in _states(ctx, rec) if r not in sup]
    if not sup or not rec or _negated(ctx, cue, prev):
        return
    tentative = any(x in TENTATIVE for x in L[max(prev.start, cue[0] - 2):cue[0] + 1])
    status = "planned" if tentative else cue[2].get("value")
    for item in _items(ctx, sent):
        if item[2] and item[0] > head and not any(f.systems[:1] == [item[2]] for f in facts):
            facts.append(Fact(kind="ArmsTransfer", rule="transfer:package", sentences=[prev.index, sent.index],
                              supplier=list(sup), recipient=list(rec), systems=[item[2]],
                              status=status, quantity=quantity_before(ctx, item[0]),
                              areas={"arms-transfer"}))


def _states(ctx: Context, ids: list[str]) -> list[str]:
    return [i for i in ids if ctx.entities[i].kind == "Country" or ctx.state_actor(i) == i]


def find_transfers(ctx: Context) -> list[Fact]:
    res = resources.load()
    facts: list[Fact] = []
    for sent in ctx.sents:
        if sent.headline:
            continue
        cues = _cues(ctx, sent)
        if not cues:
            _carry_over(ctx, sent, facts)
            continue
        items = [(item, _cue_for(item[0], cues, ctx)) for item in _items(ctx, sent)]
        stop = _losing_lead(ctx, sent) if items else None
        named_cues = {id(cue) for item, cue in items if item[2] and not _listed(ctx, item, items)}
        for item, cue in items:
            start, end, sys_id, surface = item
            if cue is None or _negated(ctx, cue, sent):
                continue
            if sys_id is None and (id(cue) in named_cues or cue[2].get("cue") in MARKET_CUES):
                continue  # described equipment only when no named system hangs on the same cue; 'the
                # largest buyer of Chinese weapons' is a market share, not a deal
            if (cue[1] <= start and _blocked(ctx, cue[1], start)) or \
                    (cue[0] > end and _blocked(ctx, end, cue[0]) and not _relative_passive(ctx, end, cue[0])):
                continue
            starts = tuple(i[0] for i, _ in items if i[0] != start)
            sup, rec = _sides(ctx, sent, cue, item, starts, stop)
            if sys_id:
                origin = res.weapons.get(ctx.entities[sys_id].key, {}).get("origin")
                if origin and not _states(ctx, sup) and f"Country:{origin}" in ctx.entities \
                        and f"Country:{origin}" not in rec:
                    sup.append(f"Country:{origin}")
                elif origin and f"Country:{origin}" in rec and _states(ctx, sup) and \
                        (_two_sided(cue) or _maker_subject(ctx, sent, cue, origin)):
                    sup, rec = rec, sup  # 'South Korea signed a contract with Poland for K2 tanks': the maker sells
                elif origin and f"Country:{origin}" in rec and len(_states(ctx, rec)) > 1:
                    rec.remove(f"Country:{origin}")  # 'orders from Poland for K2 tanks', said in Seoul: the maker sells
                    sup.append(f"Country:{origin}")
            if rec and all(r in sup for r in rec):
                continue  # a state buying from its own industry: not a transfer between states
            rec = [r for r in rec if r not in sup]
            if sys_id is None and _states(ctx, sup) and not rec:
                rec = [r for r in [_pronoun_subject(ctx, sent, sup)] if r]  # 'It has ordered Israeli radars'
            if sys_id is None and not (_states(ctx, sup) and _states(ctx, rec)):
                continue  # described equipment needs both sides stated
            if not rec and _states(ctx, sup):
                others = [s for t, _, s in _actors(ctx, sent) if s and s not in sup and not _blocked_clause(ctx, t, cue, item)
                          and (stop is None or t < stop)]
                before = _pronoun_subject(ctx, sent, sup) or _possessive_referent(ctx, sent, cue, sup)
                if before:
                    rec = [before]  # 'It ordered K9 howitzers from South Korea': the state of the sentence before
                elif others:
                    rec = others[:1]
                elif ctx.main_pair and _states(ctx, sup)[0] in ctx.main_pair:
                    rec = [p for p in ctx.main_pair if p not in sup][:1]
                elif sys_id and _home(ctx) and _home(ctx) not in sup:
                    rec = [_home(ctx)]  # 'BOGOTA - ... The Kfir jets, acquired from Israel, ...'

            if not rec or not sup:
                continue  # both sides or none: a recipient-less transfer breaks the shapes, and with no
                # supplier stated or known by origin it is as likely a state's own build ('commissioned')
            if not _states(ctx, sup) and not _states(ctx, rec):
                continue
            status = cue[2].get("value")
            if any(w in TENTATIVE for w in ctx.lower[max(sent.start, cue[0] - 2):cue[0] + 1]):
                status = "planned"  # 'possible exports', 'the proposed sale': not yet agreed
            if status == "planned" and ctx.lower[cue[0]] == "to" and \
                    any(w in CONCLUDED for w in ctx.lower[sent.start:cue[0]]):
                status = "ordered"
            key = sys_id or surface.lower()
            known = next((f for f in facts if (f.systems[:1] == [sys_id] if sys_id else f.name == key)
                          and (set(f.recipient) & set(rec) or not rec or not f.recipient)
                          and _compatible(f.status, status)), None)
            qty = quantity_before(ctx, start)
            if known:
                if sent.index not in known.sentences:
                    known.sentences.append(sent.index)
                known.supplier += [s for s in sup if s not in known.supplier]
                known.recipient += [r for r in rec if r not in known.recipient and r not in known.supplier]
                known.quantity = known.quantity or qty
                continue
            facts.append(Fact(kind="ArmsTransfer", rule=f"transfer:{cue[2].get('cue')}" + ("" if sys_id else ":described"),
                              sentences=[sent.index], supplier=sup, recipient=rec,
                              systems=[sys_id] if sys_id else [], name=None if sys_id else key, status=status,
                              quantity=qty, areas={"arms-transfer"}))
    facts = [h for f in facts for g in _split_suppliers(ctx, f) for h in _split_recipients(ctx, g)]
    facts += _losing_bids(ctx, facts)
    for f in facts:
        names = lambda ids: ", ".join(ctx.entities[i].name for i in ids if i in ctx.entities) or "?"
        what = ctx.entities[f.systems[0]].name if f.systems else f.name
        f.label = f"{what}: {names(f.supplier)} → {names(f.recipient)}"
        f.name = None
    return facts


def _losing_lead(ctx: Context, sent: Sentence) -> int | None:
    """Where the list of losing bids starts ('beating bids from', 'over bids from'), if anywhere."""
    leads, L = words()["losing_bid_leads"], ctx.lower
    if leads.keys().isdisjoint(L[sent.start:sent.end]):
        return None
    return next((k for k in range(sent.start, sent.end - 1) if L[k] in leads and
                 (not leads[L[k]] or L[k + 1] in leads[L[k]])), None)


def _losing_bids(ctx: Context, facts: list[Fact]) -> list[Fact]:
    """'... will receive Type 26 frigates, beating bids from the United States, France and Germany';
    'picked the ATMOS over bids from China's Norinco': each state (or maker's state) that lost is an
    offer to the buyer of the choice made in that sentence or the one before (guideline: offered)."""
    out: list[Fact] = []
    for sent in [ctx.sents[i] for i in sorted({i for f in facts for i in f.sentences})]:
        k = _losing_lead(ctx, sent)
        if k is None:
            continue
        won = [f for f in facts if f.recipient and f.status in ("planned", "ordered") and
               any(sent.index - 1 <= i <= sent.index for i in f.sentences)]
        if not won:
            continue
        chosen = won[-1]
        losers = []
        for t, _, state in _actors(ctx, sent):
            if t > k and state and state not in chosen.supplier + chosen.recipient + losers \
                    and ctx.entities[state].kind == "Country":
                losers.append(state)
        for state in losers:
            out.append(Fact(kind="ArmsTransfer", rule="transfer:losing bid", sentences=[sent.index],
                            supplier=[state], recipient=list(chosen.recipient), status="offered",
                            name="losing bid", areas={"arms-transfer"}))
    return out


def _listed(ctx: Context, item, items) -> bool:
    """A named system in a list with described equipment ('Shahed drones and ballistic missiles'):
    each is a transfer of its own."""
    return any(o[2] is None and 0 <= o[0] - item[1] <= 8 and "and" in ctx.lower[item[1]:o[0]] for o, _ in items)


def _negated(ctx: Context, cue, sent: Sentence) -> bool:
    """'Britain has blocked the sale of ...': a transfer said not to happen. An offer turned down was
    still made ('rejected an offer of used F-16s'): the guideline records it as offered. A capitalised
    word is part of a name ('F-16 Block 72 fighters on order'), not a negator."""
    if cue[2].get("value") == "offered":
        return False
    k0 = max(sent.start, cue[0] - 4)
    return any(w in words()["negators"] and ctx.words[k].islower() for k, w in enumerate(ctx.lower[k0:cue[0]], k0))


def _pronoun_subject(ctx: Context, sent: Sentence, sup: list[str], depth: int = 0) -> str | None:
    """The state a sentence-initial 'It' / 'They' stands for: the first state acting in the sentence before."""
    if sent.index == 0 or ctx.lower[sent.start] not in words()["subject_pronouns"]:
        return None
    prev = ctx.sents[sent.index - 1]
    if depth < 3:  # 'Jakarta has placed orders ... It bought Rafales ... It also ordered Anka drones'
        chained = _pronoun_subject(ctx, prev, sup, depth + 1)
        if chained:
            return chained
    return next((s for _, _, s in _actors(ctx, prev) if s and s not in sup and ctx.entities[s].kind == "Country"), None)


def _possessive_referent(ctx: Context, sent: Sentence, cue, sup: list[str]) -> str | None:
    """'Yerevan has changed its suppliers. India has become its biggest source of arms, delivering
    Pinaka launchers': an 'its' before the cue stands for the state acting in the sentence before."""
    if sent.index == 0 or not any(w in ("its", "their") for w in ctx.lower[sent.start:cue[0]]):
        return None
    prev = ctx.sents[sent.index - 1]
    return next((s for _, _, s in _actors(ctx, prev) if s and s not in sup and ctx.entities[s].kind == "Country"), None)


def _maker_subject(ctx: Context, sent: Sentence, cue, origin: str) -> bool:
    """'Tata was in talks with Ethiopia on possible orders for the WhAP': a firm of the system's own
    state before the cue is its seller, whatever the cue's voice."""
    return any(t < cue[0] and ctx.entities[e].org_kind == "company" and home == f"Country:{origin}"
               for t, e, home in _actors(ctx, sent))


TENTATIVE = {"possible", "potential", "proposed", "prospective"}
MARKET_CUES = {"buyer of", "buyers of", "customer for", "customer of"}
RELATIVE = {",", "which", "that", "has", "have", "had", "been", "was", "were", "is", "are", "being", "also",
            "already", "now", "since", "later"}


def _name_end(ctx: Context, a: int, b: int) -> int:
    """Past the rest of a multi-word system name ('Barak MX', 'Victoria-class boats')."""
    heads = words()["platform_heads"]
    while a < b and (ctx.words[a][:1].isupper() or ctx.lower[a] in heads or ctx.lower[a] in ("-", "class")):
        a += 1
    return a


def _relative_passive(ctx: Context, a: int, b: int) -> bool:
    """'The K9, which has also been bought by Chile and Peru': a relative clause whose cue is passive
    is about the system before it, not a clause break."""
    a = _name_end(ctx, a, b)
    gap = ctx.lower[a:b]
    return ("which" in gap or "that" in gap) and all(w in RELATIVE for w in gap) and ctx.lower[b - 1] in PASSIVE_AUX


def _two_sided(cue) -> bool:
    """A cue that names no direction ('signed a contract with', 'a deal with'): either side may be the buyer."""
    words = str(cue[2].get("cue", "")).split()
    return any(w in ("contract", "contracts", "deal", "deals", "agreement") for w in words)


def _split_suppliers(ctx: Context, f: Fact) -> list[Fact]:
    """'12 jets each from Qatar and Oman' is two transfers, one per supplying state."""
    states = [s for s in f.supplier if ctx.entities[s].kind == "Country"]
    if len(states) < 2:
        return [f]
    return [Fact(**{**f.__dict__, "supplier": [s], "areas": set(f.areas), "sentences": list(f.sentences)})
            for s in states]


def _split_recipients(ctx: Context, f: Fact) -> list[Fact]:
    """'bought by Chile, Peru and Egypt' is three transfers, one per receiving state (as with suppliers)."""
    states = [r for r in f.recipient if ctx.entities[r].kind == "Country"]
    if len(states) < 2:
        return [f]
    return [Fact(**{**f.__dict__, "recipient": [r], "supplier": list(f.supplier), "areas": set(f.areas),
                    "sentences": list(f.sentences)}) for r in states]


def _home(ctx: Context) -> str | None:
    """The state of the dateline place: the side a story takes when it leaves the buyer unnamed."""
    place = ctx.dateline_place()
    iso = ctx.entities[place].country if place else None
    return f"Country:{iso}" if iso and f"Country:{iso}" in ctx.entities else None


def _compatible(a: str | None, b: str | None) -> bool:
    """An order and a delivery of the same system are two records (guideline); other statuses merge."""
    return not ({a, b} >= {"ordered", "delivered"} or {a, b} >= {"planned", "delivered"})
