"""Events: meetings, calls, dialogues, visits, joint exercises and hostile interactions.

A sentence reports an event when it has an event cue and at least two sides (people or states).
Mentions of the same event across sentences (same class, a shared person or both states, no
conflicting date) are merged, so each real event is one node with all its evidence.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .. import resources
from ..context import Context
from ..model import Fact
from ..tokens import span_text
from .common import clause_of, location_in, people_in, states_in

HELD = re.compile(r"\b(held|holding|hold|conducted|conducting|conduct|began|begins|begin|kicked off|commenced|concluded|"
                  r"concludes|took part|taking part|participated|participating|participate|launched|staged|carried out|"
                  r"underway|under way|culminated|wrapped up)\b")
CLASS_RANK = {"Exercise": 4, "Visit": 3, "Meeting": 2, "Event": 1}
EXERCISE_NAME = re.compile(r"\b(?:[Ee]xercise|[Dd]rills?|[Ww]argames?)\s+['\"“‘]?([A-Z][\w-]+(?:\s+[A-Z0-9][\w-]*){0,2})"
                           r"|['\"“‘]?([A-Z][\w-]+(?:\s+[A-Z0-9][\w-]*){0,2})['\"”’]?\s+(?:joint\s+|naval\s+|military\s+|air\s+|bilateral\s+)*(?:exercise|drills?|wargames?)\b")


PLANNED = re.compile(r"\b(will|plans?|planned|planning|scheduled|due to|expected to|next (week|month|year)|later this)\b")
MODAL = {"to", "will", "would", "could", "should", "may", "might", "plan", "plans", "planned", "agreed"}
CONDITIONAL = {"if", "unless", "whether", "should"}
TOPIC_LEADS = {"covering", "covers", "cover", "including", "includes", "areas", "fields", "such"}
JOINT = re.compile(r"\b(joint|jointly|bilateral|trilateral|multilateral|combined|together|with|alongside|and the)\b")


@lru_cache(maxsize=1)
def joiner_phrases() -> list[str]:
    return resources.lines("rules/joiners.txt")


@lru_cache(maxsize=1)
def joiner_pattern() -> re.Pattern:
    """Any joiner phrase anywhere in a lower-case sentence (one regex pass instead of one search each)."""
    return re.compile("|".join(re.escape(j) for j in joiner_phrases()) or r"(?!)")


@lru_cache(maxsize=1)
def cue_objects() -> dict[str, set[str]]:
    data = json.loads((resources.DATA / "rules/event_cue_objects.json").read_text())
    return {k: set(v) for k, v in data.items() if not k.startswith("_")}


def held(low: str) -> bool:
    """An exercise said to take place ('began', 'held'), not one planned ('agreed to hold', 'will begin')."""
    for m in HELD.finditer(low):
        before = low[:m.start()].split()[-5:]
        if not set(before) & MODAL:
            return True
    return False


FUTURE_TO = {"plan", "plans", "planned", "planning", "expected", "scheduled", "due", "set", "going", "likely",
             "aim", "aims", "hope", "hopes", "intend", "intends", "agreed", "agree", "slated", "poised"}


def _future(L: list[str], s: int, start: int) -> bool:
    """A cue under 'will'/'would' or 'expected/scheduled/due to' within the three words before it."""
    before = L[max(start, s - 3):s]
    if "will" in before or "would" in before or "shall" in before:
        return True
    if before[-1:] in (["offered"], ["proposed"], ["offers"], ["proposes"]):
        return True  # 'offered consultations', which the other side rejected: talks not held
    return any(w == "to" and k > 0 and before[k - 1] in FUTURE_TO for k, w in enumerate(before)) or \
        (len(before) >= 1 and before[-1] == "to" and s - 2 >= start and L[s - 2] in FUTURE_TO)


NEGOTIATION_CUES = {"talks", "negotiations", "discussions"}
ONGOING = re.compile(r"\b(?:are|is|remain|remained|were) (?:still )?(?:under way|underway|ongoing|continuing|progressing)\b")


def _negotiating(ctx: Context, sent, s: int, e: int) -> bool:
    """'in talks with X' or 'talks ... are under way': talks as a running negotiation."""
    if s > sent.start and ctx.lower[s - 1] == "in":
        return True
    b, end = clause_of(ctx, sent, s, e)
    return ONGOING.search(" ".join(ctx.lower[e:end])) is not None


def real_cue(ctx: Context, sent, cue) -> bool:
    """Drops cue words used otherwise: 'meet the target', 'struck a deal', a 'Visiting Forces Agreement',
    and hostile words under a condition ('if either country is attacked')."""
    W, L = ctx.words, ctx.lower
    s, e, rec = cue
    word = L[s] if e - s == 1 else span_text(ctx.doc, s, e).lower()
    objects = cue_objects().get(word)
    if objects and not objects.isdisjoint(L[e:min(e + 5, sent.end)] + L[max(s - 4, sent.start):s]):
        return False  # 'meet the alliance's target', 'a move welcomed by', 'the deal the country has struck'

    if rec.get("class") == "Exercise" and not W[s - 1][:1].isupper() and \
            not TOPIC_LEADS.isdisjoint(L[max(sent.start, s - 6):s]):
        return False  # 'an MoU covering training, military exercises and cyber': a field, not a drill held
    if rec.get("class") in ("Visit", "Meeting") and _future(L, s, sent.start):
        return False  # 'will meet', 'plan to hold talks': a scheduled meeting is not one that took place
    if L[s] in NEGOTIATION_CUES and _negotiating(ctx, sent, s, e):
        return False  # 'is in talks with', 'talks on a pact are under way': a negotiation, not a meeting held
    if rec.get("class") in ("Visit", "Meeting") and s > sent.start and W[s][:1].isupper() \
            and e < sent.end and W[e][:1].isupper():
        return False  # part of a name
    if rec.get("polarity") == "conflict" and s > sent.start and W[s][:1].isupper() and W[s - 1] not in ('"', "“", "'", "‘"):
        return False  # 'since the Second World War', 'the Cold War': a name, not a clash of this sentence's states
    if rec.get("polarity") == "conflict":
        k = s - 1
        while k >= sent.start and k >= s - 8 and W[k] not in (",", ";"):
            if L[k] in CONDITIONAL:
                return False
            k -= 1
    return True


def find_events(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    dated: set[int] = set()  # facts whose own sentence gives their date (not the article's lead date)
    joiners = joiner_pattern()
    exercises = [c for c in ctx.doc._.cands or [] if c.kind == "Exercise"]
    for sent in ctx.sents:
        if sent.headline:
            continue
        cues = [c for c in ctx.cues_in("event", sent) if isinstance(c[2], dict) and real_cue(ctx, sent, c)]
        low = sent.text.lower()
        joins = bool(facts) and joiners.search(low) is not None
        if not cues and not joins and not any(sent.start <= c.start < sent.end for c in exercises):
            continue  # no cue, no exercise name, nothing to join: no event here (the actors are not looked up)
        people = people_in(ctx, sent)
        people += _counterparts(ctx, sent, people)
        states = states_in(ctx, sent)
        if joins and people:
            target = next((f for f in reversed(facts) if f.kind in ("Meeting", "Visit")), None)
            if target:
                target.participants += [p for p in people + states if p not in target.participants]
                target.sentences.append(sent.index)
                continue
        drill_cue = any(c[2].get("class") == "Exercise" for c in cues)
        ex_names = [span_text(ctx.doc, c.start, c.end) for c in exercises if sent.start <= c.start < sent.end
                    and (drill_cue or c.end - c.start > 1)]  # a bare 'Aurora' may be an aircraft
        ex_names = [n for n in dict.fromkeys(_exercise_key(ctx, n) for n in ex_names)]
        # the name pattern is slow: only searched for when an exercise cue calls for it
        m = None
        if not ex_names and any(c[2].get("class") == "Exercise" for c in cues if isinstance(c[2], dict)):
            m = EXERCISE_NAME.search(sent.text)
        if m:
            name = (m.group(1) or m.group(2)).strip()
            if name.split()[0] not in ("The", "A", "Joint", "This", "In", "During") and not name.isupper() or len(name) > 3:
                ex_names = [name] if name.split()[0] not in ("The", "A", "This", "In", "During") else []
        classes, starts, ends = {}, {}, {}
        for s, e, rec in cues:
            if not isinstance(rec, dict):
                continue
            cls = rec.get("class", "Event")
            if cls == "Visit" and s > sent.start and ctx.lower[s - 1] in BACK_REFERENCE:
                visitors = _visitors_before(ctx, sent, states, facts)
                if visitors is None:
                    continue  # 'during the visit' with no visitor in sight: no Visit to make
                people = list(dict.fromkeys(visitors + people))
            if cls not in CLASS_RANK or (cls == "Event" and rec.get("polarity") != "conflict"):
                continue  # plain events are the hostile ones; a test-firing is no interaction
            if cls == "Exercise" and not held(low) and (not ex_names or PLANNED.search(low)):
                continue  # "learn through joint exercises", "plan to hold Talisman Sabre": intentions, not exercises
            classes.setdefault(cls, rec)
            starts.setdefault(cls, s)
            ends.setdefault(cls, e)
        if ex_names and not (not held(low) and PLANNED.search(low)):
            classes.setdefault("Exercise", {"cue": ex_names[0], "class": "Exercise"})
        emitted = None
        if "Visit" in classes and "Meeting" not in classes and _two_sided(ctx, people):
            classes["Meeting"] = {"cue": "hosted visit", "class": "Meeting"}  # the visitor met the host named with them
        for cls, rec in sorted(classes.items(), key=lambda kv: -CLASS_RANK[kv[0]]):
            aside = emitted not in (None, "Event") and cls == "Event"
            if emitted and not (emitted == "Visit" and cls == "Meeting") and not aside:
                break  # one event per sentence, except talks held during a visit and a clash in passing
            if emitted == "Visit" and cls == "Meeting" and not _two_sided(ctx, people):
                continue
            parts = list(dict.fromkeys(people + states))
            sides = set(states) | {p for p in people if not ctx.person_states(p)}
            if aside:  # 'his first visit to China since the border clash between Indian and Chinese troops'
                parts = states_in(ctx, sent, span=(starts.get(cls, sent.start), sent.end))
                sides = set(parts)
                if len(parts) < 2:
                    continue
            elif cls == "Event":  # 'after Russia invaded Ukraine': the two sides are at the cue, not the whole sentence
                near = _near_cue(ctx, sent, starts.get(cls, sent.start), ends.get(cls, sent.end))
                if len(near) < 2:  # not at the cue: the states of its clause ('..., a week after Israel struck')
                    near = states_in(ctx, sent, span=clause_of(ctx, sent, starts.get(cls, sent.start),
                                                               ends.get(cls, sent.end)))
                if len(near) >= 2:
                    parts = list(dict.fromkeys(people + near))
                    sides = set(near) | {p for p in people if not ctx.person_states(p)}
            if cls == "Exercise" and len(states) < 2:
                parts += _known_participants(ctx, ex_names)
                sides = {p for p in parts if p.startswith("Country:")}
            if cls == "Visit" and len(sides) < 2:
                host = _host_state(ctx, sent, sides)  # 'travelled to Rabat': Morocco is the host side
                if host:
                    parts.append(host)
                    sides.add(host)
            if len(sides) < 2 and not (len(people) >= 2):
                continue
            if cls == "Event" and len(set(states) | {(ctx.person_states(p) or [p])[0] for p in people}) < 2:
                continue  # 'Kim Yo Jong, sister of leader Kim Jong Un, warned ...': one state's people are no clash
            hostile = cls == "Exercise" and "Event" in classes and not JOINT.search(_without(low, ex_names))
            if hostile:  # 'China staged drills around Taiwan ... a stern warning': a show of force, not an exercise
                cls, rec = "Event", {"cue": rec.get("cue", ""), "polarity": "conflict"}
            groups = _per_counterpart(ctx, sent, cues, people) if cls == "Meeting" else []
            for group in groups or [parts]:
                fact = Fact(kind=cls, rule=f"event:{cls.lower()}:{rec.get('cue', '')}", sentences=[sent.index],
                            participants=group,
                            polarity=rec.get("polarity") or ("conflict" if cls == "Event" else "cooperation"))
                if cls == "Exercise" and ex_names:
                    fact.name = ex_names[0]
                fact.date = ctx.sentence_date(sent)
                if fact.date is not None:
                    dated.add(id(fact))
                elif not any(d.year for d in sent.dates):
                    fact.date = ctx.lead_date
                fact.location = location_in(ctx, sent)
                facts.append(fact)
            emitted = cls
    facts = merge(facts, ctx, dated)
    dateline = ctx.dateline_place()
    for f in facts:
        if f.location is None and dateline and f.kind in ("Meeting", "Visit") and f.date == ctx.lead_date \
                and min(f.sentences) <= 2:
            f.location = dateline
    facts += _visits_of_meetings(ctx, facts)
    for f in facts:
        f.label = label(ctx, f)
    return facts


BACK_REFERENCE = {"the", "this", "that", "his", "her", "their", "its"}


def _counterparts(ctx: Context, sent, people: list[str]) -> list[str]:
    """'held a bilateral with his Polish counterpart' (no name after it): the one official of that
    state named in an earlier sentence is the counterpart met."""
    out = []
    for t, e in sent.mentions:
        if t + 1 >= sent.end or ctx.lower[t + 1] != "counterpart" or ctx.entities[e].kind != "Country" \
                or (t + 2 < sent.end and ctx.words[t + 2][:1].isupper()):
            continue
        earlier = {p for s in ctx.sents[:sent.index] for _, p in s.mentions if p.startswith("Person:")}
        found = [p for p in earlier if p not in people and ctx.person_states(p)[:1] == [e]]
        if len(found) > 1:  # several: the one in the same office as a person of the sentence ('Defence')
            office = {w for p in people for t in ctx.entities[p].titles for w in t.lower().split()} - GENERIC_TITLE
            found = [p for p in found if office & {w for t in ctx.entities[p].titles for w in t.lower().split()}]
        if len(found) == 1:
            out.append(found[0])
    return out


GENERIC_TITLE = {"minister", "secretary", "the", "of", "for", "and", "deputy", "state", "general"}


def _visitors_before(ctx: Context, sent, states: list[str], facts: list[Fact]) -> list[str] | None:
    """Who made 'the visit' a sentence refers back to: an earlier Visit's people, else a person of the
    sentence's states named in the sentence before; None when there is none."""
    earlier = next((f for f in reversed(facts) if f.kind == "Visit"), None)
    if earlier is not None:
        return [p for p in earlier.participants if p.startswith("Person:")]
    own = [p for p in people_in(ctx, sent) if set(ctx.person_states(p)) & set(states)]
    if own:
        return []
    if sent.index == 0:
        return None
    before = [p for p in people_in(ctx, ctx.sents[sent.index - 1]) if set(ctx.person_states(p)) & set(states)]
    return before or None


def _host_state(ctx: Context, sent, sides: set[str]) -> str | None:
    """The state of the place a visit goes to, when the article names that state somewhere."""
    loc = location_in(ctx, sent)
    iso = ctx.entities[loc].country if loc else None
    host = f"Country:{iso}" if iso else None
    own = {s for p in sides for s in ([p] if p.startswith("Country:") else ctx.person_states(p))}
    return host if host in ctx.entities and host not in own else None


def _exercise_key(ctx, surface: str) -> str:
    return exercise_names().get(surface, surface)


@lru_cache(maxsize=1)
def exercise_names() -> dict[str, str]:
    """Exercise name or alias -> name; the first record that lists a form wins, as a scan would."""
    out: dict[str, str] = {}
    for rec in resources.load().exercises.values():
        for form in [rec["name"]] + rec.get("aliases", []):
            out.setdefault(form, rec["name"])
    return out


def _known_participants(ctx: Context, names: list[str]) -> list[str]:
    res = resources.load()
    out = []
    for n in names:
        for iso in res.exercises.get(n, {}).get("participants", []):
            if iso in res.countries:
                from ..model import Entity
                eid = f"Country:{iso}"
                if eid not in ctx.entities:
                    ctx.entities[eid] = Entity("Country", iso, res.countries[iso]["name"], iso3=iso, source="exercise")
                out.append(eid)
    return out


CUE_REACH = 8


def _near_cue(ctx: Context, sent, s: int, e: int) -> list[str]:
    """States named within a few tokens of a hostile cue: 'the German fund set up after Russia invaded
    Ukraine' is a Russia-Ukraine event, not one of Germany's (people named are kept: they speak for a side)."""
    b, end = clause_of(ctx, sent, s, e)
    return states_in(ctx, sent, span=(max(b, s - CUE_REACH), min(end, e + CUE_REACH)))


def _without(low: str, names: list[str]) -> str:
    """The sentence with exercise names blanked: 'Joint Sword' says nothing about jointness."""
    for n in names:
        low = low.replace(n.lower(), " ")
    return low


def _per_counterpart(ctx: Context, sent, cues, people: list[str]) -> list[list[str]]:
    """'Rubio met Sheinbaum and held talks with Foreign Minister de la Fuente': one meeting per meeting
    verb and the people after it, each with the people before the first verb. Empty unless two verbs
    each have their own counterpart."""
    starts = sorted({s for s, _, rec in cues if rec.get("class") == "Meeting" or rec.get("meets")})
    if len(starts) < 2:
        return []
    at = [(t, e) for t, e in sent.mentions if e in people] + [(t, e) for t, es in sent.refs for e in es if e in people]
    subjects = [e for t, e in sorted(at) if t < starts[0]]
    segments = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else sent.end
        seg = [e for t, e in sorted(at) if s <= t < end and e not in subjects]
        if seg:
            segments.append(seg)
    if not subjects or len(segments) < 2:
        return []
    out = []
    for seg in segments:
        who = list(dict.fromkeys(subjects + seg))
        out.append(who + list(dict.fromkeys(s for p in who for s in ctx.person_states(p)[:1])))
    return out


def _two_sided(ctx: Context, people: list[str]) -> bool:
    """People of at least two different states: a visitor and a host."""
    return len({s for p in people for s in ctx.person_states(p)[:1]}) >= 2


def _visits_of_meetings(ctx: Context, facts: list[Fact]) -> list[Fact]:
    """A meeting held in one side's country means the other side's people travelled there: 'Rubio met
    Sheinbaum at the National Palace' filed from Mexico City is also Rubio's visit to Mexico. Only for
    two-sided meetings (a summit's guests are not each on a visit) without a Visit of that person."""
    out = []
    visiting = {p for f in facts if f.kind == "Visit" for p in f.participants}
    for f in facts:
        if f.kind != "Meeting" or f.location is None or f.location not in ctx.entities:
            continue
        iso = ctx.entities[f.location].country
        host = f"Country:{iso}" if iso else None
        people = [p for p in f.participants if p.startswith("Person:")]
        states = {s for p in people for s in ctx.person_states(p)[:1]}
        if host is None or host not in ctx.entities or host not in states or len(states) != 2:
            continue
        guests = [p for p in people if ctx.person_states(p)[:1] and ctx.person_states(p)[0] != host]
        if not guests or set(guests) & visiting:
            continue
        sides = list(dict.fromkeys(ctx.person_states(p)[0] for p in guests))   # the guests' states visit too
        out.append(Fact(kind="Visit", rule="event:visit:meeting abroad", sentences=list(f.sentences[:1]),
                        participants=guests + sides + [host], date=f.date, location=f.location, polarity="cooperation"))
        visiting |= set(guests)
    return out


def merge(facts: list[Fact], ctx: Context, dated: set[int] = frozenset()) -> list[Fact]:
    out: list[Fact] = []
    for f in facts:
        target = None
        for g in out:
            if g.kind != f.kind or (f.date and g.date and f.date != g.date):
                continue
            if f.kind == "Exercise" and f.name and g.name and f.name != g.name:
                continue
            if f.kind == "Event" and f.rule != g.rule and not (f.date and f.date == g.date and {id(f), id(g)} <= dated):
                continue  # sanctions and a war, or two undated incidents of different kinds, are different events
            shared_people = {p for p in f.participants if p.startswith("Person:")} & set(g.participants)
            if shared_people and _other_counterpart(ctx, f, g, shared_people):
                continue
            shared_states = {p for p in f.participants if not p.startswith("Person:")} & set(g.participants)
            if f.kind == "Meeting" and set(f.sentences) & set(g.sentences):
                continue  # split on purpose: one meeting per counterpart
            if not shared_people and f.kind == "Meeting" and _n_people(f) >= 2 and _n_people(g) >= 1:
                continue  # 'Teodoro met Koizumi' is not the summit of other ministers named before
            if shared_people or len(shared_states) >= 2 or (f.kind == "Exercise" and f.name and f.name == g.name):
                target = g
                break
        if target is None:
            out.append(f)
            continue
        target.participants += [p for p in f.participants if p not in target.participants]
        target.sentences += [s for s in f.sentences if s not in target.sentences]
        target.date = target.date or f.date
        target.location = target.location or f.location
        target.name = target.name or f.name
    return out


def _n_people(f: Fact) -> int:
    return sum(p.startswith("Person:") for p in f.participants)


def _other_counterpart(ctx: Context, f: Fact, g: Fact, shared: set) -> bool:
    """Two talks of one person with different people ('Singh met Belousov ... Singh also held talks with
    Dong Jun', 'Pistorius met his counterpart ... he called on the President') are two meetings."""
    if f.kind != "Meeting":
        return False
    side = lambda x: {p for p in x.participants if p.startswith("Person:") and p not in shared}
    a, b = side(f), side(g)
    return bool(a) and bool(b) and not (a & b)


def label(ctx: Context, f: Fact) -> str:
    names = [ctx.entities[p].name for p in f.participants if p.startswith("Person:")][:2] or \
        [ctx.entities[p].name for p in f.participants if p in ctx.entities][:2]
    what = {"Meeting": "meeting", "Visit": "visit", "Exercise": f"exercise {f.name}" if f.name else "exercise",
            "Event": "incident" if f.polarity == "conflict" else "event"}[f.kind]
    return f"{' – '.join(names)} {what}" + (f", {f.date.isoformat()}" if f.date else "")
