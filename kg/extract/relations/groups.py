"""Group action: several states acting together, read from the two kinds of sentence that say so.

A list of states is not by itself a joint action (the exhibitors of an arms expo, the countries a
report ranks), so only two shapes are read, with their words in kg/data/rules/group_words.json:
- members of a forum whose meeting the article reports ('defence ministers met for the X ...
  X groups A, B and C ... D attended'): they are the meeting's participants, in place of the forum;
- a counted group that acts jointly ('... Nigeria, Niger, Chad and Cameroon. The four countries
  contribute troops to a joint task force'): every pair of the group, counted back in the sentences
  just before (all the states of one sentence, or one 'A, B and C' list, of exactly that number)."""
from __future__ import annotations

import json
from functools import lru_cache

from .. import resources
from ..context import Context, Sentence
from ..model import Fact
from .common import attribute_mentions, location_in
from .events import label, real_cue

LOOK_BACK = 3          # sentences a counted group may reach back
LIST_GLUE = {",", "and", "the"}


@lru_cache(maxsize=1)
def words() -> dict:
    data = json.loads((resources.DATA / "rules/group_words.json").read_text(encoding="utf-8"))
    split = lambda key: [tuple(p.split()) for p in data[key]]  # noqa: E731
    return {"nouns": set(data["counted_nouns"]), "numbers": data["numbers"], "joint": split("joint_cues"),
            "member": split("member_verbs"), "attend": split("attend_verbs")}


def _find(ctx: Context, sent: Sentence, phrases: list[tuple[str, ...]]) -> int | None:
    """Token index of the first of the phrases in the sentence, or None (a set test first: most
    sentences have none of the first words, and a token scan costs more)."""
    L = ctx.lower
    firsts = _first_words(tuple(phrases))
    if firsts.keys().isdisjoint(L[sent.start:sent.end]):
        return None
    for i in range(sent.start, sent.end):
        for p in firsts.get(L[i], ()):
            if i + len(p) <= sent.end and tuple(L[i:i + len(p)]) == p:
                return i
    return None


@lru_cache(maxsize=8)
def _first_words(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return out


def _countries(ctx: Context, sent: Sentence, after: int = -1) -> list[tuple[int, str]]:
    skip = attribute_mentions(ctx, sent)
    out, seen = [], set()
    for t, e in sent.mentions:
        if t > after and e not in skip and ctx.entities[e].kind == "Country" and e not in seen:
            seen.add(e)
            out.append((t, e))
    return out


# -- members of a forum that met --------------------------------------------------------------------
def join_forum_members(ctx: Context, facts: list[Fact]) -> None:
    """'X groups A, B and C': the states listed become participants of the reported meeting of X (or
    of its parent forum), which no longer counts the forum itself as a party; a state or person that
    'attended' or 'chaired' it in another sentence joins too."""
    w = words()
    for sent in ctx.sents:
        k = None if sent.headline else _find(ctx, sent, w["member"])
        if k is None:
            continue
        named = [e for t, e in sent.mentions if t < k and ctx.entities[e].kind == "Organisation"]
        forums = {x for e in named for x in (e, ctx.state_actor(e)) if x}
        members = [e for _, e in _countries(ctx, sent, after=k)]
        meeting = _forum_meeting(ctx, facts, sent, named, forums) if len(members) >= 2 else None
        if meeting is None:
            continue
        meeting.participants += [m for m in members if m not in meeting.participants]
        _attendance(ctx, facts, meeting, skip={sent.index})
        meeting.participants = [p for p in meeting.participants if p not in forums]
        meeting.label = label(ctx, meeting)
        return  # one forum meeting per article


def _attendance(ctx: Context, facts: list[Fact], meeting: Fact, skip: set[int]) -> None:
    """Sentences after the meeting's own that say who attended or chaired it: the meeting fact read
    from such a sentence is the forum meeting itself, and the states or people before the verb join."""
    for sent in ctx.sents[min(meeting.sentences) + 1:]:
        if sent.index in skip or sent.index in meeting.sentences:
            continue
        a = _find(ctx, sent, words()["attend"])
        if a is None or (a + 1 < sent.end and ctx.lower[a + 1] == "by"):
            continue  # 'a retreat attended by ASEAN ministers' names another gathering
        same = [f for f in facts if f is not meeting and f.kind == "Meeting" and f.sentences == [sent.index]]
        before = [e for t, e in sent.mentions if t < a and ctx.entities[e].kind in ("Country", "Person")]
        for f in same:
            facts.remove(f)
            before += f.participants
        joined = [p for p in dict.fromkeys(before + [s for p in before for s in ctx.person_states(p)])
                  if p not in meeting.participants]
        if joined:
            meeting.participants += joined
            meeting.sentences.append(sent.index)


def _forum_meeting(ctx: Context, facts: list[Fact], sent: Sentence, named: list[str], forums: set[str]) -> Fact | None:
    """The meeting of the forum reported before the membership sentence: the fact read from the first
    sentence that names the forum at a meeting cue (made here if the forum alone was one side too few
    for the events rule), else an earlier meeting with the forum as a party."""
    for j in range(sent.index):
        earlier = ctx.sents[j]
        if earlier.headline or not any(e in named for _, e in earlier.mentions):
            continue
        if not any(isinstance(c[2], dict) and c[2].get("class") == "Meeting" and real_cue(ctx, earlier, c)
                   for c in ctx.cues_in("event", earlier)):
            continue
        found = next((f for f in facts if f.kind == "Meeting" and j in f.sentences), None)
        if found is None:
            found = Fact(kind="Meeting", rule="event:meeting:forum members", sentences=[j], polarity="cooperation",
                         date=ctx.sentence_date(earlier) or ctx.lead_date, location=location_in(ctx, earlier))
            facts.append(found)
        return found
    return next((f for f in facts if f.kind == "Meeting" and forums & set(f.participants)
                 and min(f.sentences, default=sent.index) < sent.index), None)


def join_sideline_talkers(ctx: Context, facts: list[Fact]) -> None:
    """'The talks took place on the sidelines of the SCO defence ministers' meeting': the people of
    those talks attended the forum's meeting, so they are its participants (the meeting is made
    here when the forum alone was one side too few for the events rule)."""
    L = ctx.lower
    for sent in ctx.sents:
        if "sidelines" not in L[sent.start:sent.end]:
            continue
        at = next((k for k in range(sent.start, sent.end - 1) if L[k] == "sidelines" and L[k + 1] == "of"), None)
        if at is None or sent.headline or any(t < at and ctx.entities[e].kind == "Person" for t, e in sent.mentions):
            continue  # people named before 'sidelines' are the sideline talks themselves
        forum = [e for t, e in sent.mentions if t > at and ctx.entities[e].kind == "Organisation"
                 and ctx.entities[e].org_kind == "international"][:1]
        talks = next((g for g in reversed(facts) if g.kind == "Meeting" and min(g.sentences) < sent.index), None)
        if not forum or talks is None:
            continue
        people = [p for p in talks.participants if p.startswith("Person:")]
        f = next((g for g in facts if g.kind == "Meeting" and sent.index in g.sentences and g is not talks), None)
        if f is None:
            f = Fact(kind="Meeting", rule="event:meeting:sidelines of", sentences=[sent.index], polarity="cooperation",
                     participants=list(forum), date=ctx.sentence_date(sent) or ctx.lead_date,
                     location=location_in(ctx, sent))
            facts.append(f)
        f.participants += [p for p in forum + people if p not in f.participants]
        f.label = label(ctx, f)


# -- counted groups ---------------------------------------------------------------------------------
def group_pairs(ctx: Context) -> set[frozenset]:
    """Every pair of a counted group ('the three countries', 'the four nations') in a sentence that
    says the group acts jointly."""
    w = words()
    pairs: set[frozenset] = set()
    for sent in ctx.sents:
        n = None if w["numbers"].keys().isdisjoint(ctx.lower[sent.start:sent.end]) else _counted(ctx, sent)
        if n is None or _find(ctx, sent, w["joint"]) is None:
            continue
        group = _count_back(ctx, sent, n)
        pairs.update(frozenset((a, b)) for i, a in enumerate(group) for b in group[i + 1:])
    return pairs


def _counted(ctx: Context, sent: Sentence) -> int | None:
    w, L = words(), ctx.lower
    for i in range(sent.start, sent.end - 2):
        if L[i] == "the" and L[i + 1] in w["numbers"]:
            if any(L[j] in w["nouns"] for j in range(i + 2, min(i + 4, sent.end))):
                return w["numbers"][L[i + 1]]
    return None


def _count_back(ctx: Context, sent: Sentence, n: int) -> list[str]:
    """The n states the counted group names: the nearest earlier sentence whose states, or one of
    whose 'A, B and C' lists, number exactly n."""
    for j in range(sent.index - 1, max(-1, sent.index - 1 - LOOK_BACK), -1):
        here = _countries(ctx, ctx.sents[j])
        if len(here) == n:
            return [e for _, e in here]
        for run in _lists(ctx, here):
            if len(run) == n:
                return run
    return []


def _lists(ctx: Context, mentions: list[tuple[int, str]]) -> list[list[str]]:
    """Runs of country mentions joined only by commas, 'and', 'the' and the words of the names."""
    W, L = ctx.words, ctx.lower
    runs: list[list[str]] = []
    prev = None
    for t, e in mentions:
        if prev is not None and all(L[k] in LIST_GLUE or W[k][:1].isupper() for k in range(prev + 1, t)):
            runs[-1].append(e)
        else:
            runs.append([e])
        prev = t
    return runs
