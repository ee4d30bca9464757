"""Tallies: the counts behind the aggregate queries, kept by the writer so they never scan every fact.

`kg query most-connected` counts, for every actor, its partners and articles; at 100,000 articles
that is millions of rows to group on every call. The store keeps the answer instead, one node per
key in graph TALLIES_GRAPH, and the tallied forms of the aggregate queries (kg/tallied/*.rq) read
those nodes: the same rows as the canned query, from a few thousand nodes. Every kind of tally is an
exact function of the article graphs:

- person (p): facts naming p as participant or signatory;
- engage (a, b): articles stating `a dkg:engagesWith b`, and the dates of those articles;
- actor (a): articles where a engages with someone other than itself, and its partners (the
  engagement pairs it has with others, counted from the pair tallies whenever it changes);
- class (c): things typed c that are derived from an article, and articles (entities are counted
  from the entity graph when asked).

A key's state is what the queries read: a count (and for an engagement pair, how many of its
articles are dated, and the first date). Counts add up and can be taken away exactly; a first date
cannot, so a pair some article stops stating is counted again from the store, through the index
(its articles and their dates), when the run counts in.

Only kinds with few keys are kept: counting in rewrites every key a run touched. Pairs of actors
with their facts (partners, cooperation-areas) were tried and left out: at 10,000 generated articles
they held 230,000 keys, and rewriting them made the ingest slower by half and its memory double
(their canned queries run whole; the next step for them is an index that takes upserts cheaply).

Counting as the writer goes would rewrite the same popular keys batch after batch, so the writer
(kg.store) adds the contributions up in memory and counts them in at the end of a run (or when
they grow large). To stay exact across a crash, every article graph written and not yet counted is
marked uncounted in the same transaction as its write, with the contribution of the version the
tallies do count (none for a new article); counting in removes the marks in the same transaction as
it changes the tallies. A writer opening the store counts in whatever marks a killed run left:
the graph as it is now, less what the mark says is counted. Readers meeting marks do without the
tallies (the aggregates run whole) until a writer has done so.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from hashlib import blake2b
from sys import intern
from typing import Iterable

import pyoxigraph as ox

from . import ntriples as nt
from .vocab import DCTERMS, DKG, PROV, RDF, TALLIES_GRAPH, TALLY, XSD

HELD = 500_000       # keys summed in memory before they are counted in (~150 MB)
CHUNK = 20_000       # engagement pairs per update when counting in: an update takes ~12 KB a key
Key = tuple  # (kind, iri, ...): the kind names the tally, the IRIs its subject
Tallies = dict  # Key -> state: {"n": count, "g": dated articles, "first": day, "last": day}

GRAPH = ox.NamedNode(TALLIES_GRAPH)
_N = lambda term: ox.NamedNode(str(term))
_T = lambda term: f"<{term}>"          # IRI text, as kg.rdfbuild writes it
_TYPE, _DERIVED_FROM, _ADATE = _T(RDF.type), _T(PROV.wasDerivedFrom), _T(DCTERMS.date)
_ENGAGES = _T(DKG.engagesWith)
PERSON_ROLES = (_T(DKG.participant), _T(DKG.signatory))
_WANTED = frozenset((_TYPE, _DERIVED_FROM, _ADATE, _ENGAGES, *PERSON_ROLES))
_WANTED_TERMS = [ox.NamedNode(p[1:-1]) for p in sorted(_WANTED)]
_ARTICLE = _T(DKG.Article)
_DATE_SUFFIX = f'"^^<{XSD.date}>'

# what each kind's key terms are called, and its node class, in the tally vocabulary
KEY_PROPERTIES = {"person": ("person",), "engage": ("engager", "engaged"), "actor": ("actor",), "class": ("class",)}
_UNCOUNTED = _N(TALLY.uncounted)
_COUNT_TEXT, _DATED_TEXT, _FIRST_TEXT, _PARTNERS_TEXT = (_T(TALLY[p]) for p in ("count", "dated", "first", "partners"))
_STATE_OF = {str(TALLY[p]): name for p, name in (("count", "n"), ("dated", "g"), ("first", "first"), ("partners", "p"))}
_ENGAGER, _ENGAGED = _N(TALLY.engager), _N(TALLY.engaged)
_ENGAGES_TERM, _ADATE_TERM, _XSD_DATE = _N(DKG.engagesWith), _N(DCTERMS.date), _N(XSD.date)
_KEY_TEXT = {kind: [_T(TALLY[p]) for p in props] for kind, props in KEY_PROPERTIES.items()}
_DATE_TEXT = _T(XSD.date)


def of_article(triples: Iterable[tuple[str, str, str]], graph: str) -> Tallies:
    """The tallies of one article graph, from its triples as N-Triples term text (kg.rdfbuild's
    form: the ingest workers run this for every article, and text costs a fraction of terms)."""
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if p in _WANTED:
            by_subject[s][p].append(o)
    out: Tallies = defaultdict(_zero)
    graph_days = _days(by_subject.get(f"<{graph}>", {}).get(_ADATE, ()))
    things: set = set()
    for s, props in by_subject.items():
        types = props.get(_TYPE, ())
        if _ARTICLE in types:
            things.add((s, _ARTICLE))
        if _DERIVED_FROM in props:
            things.update((s, c) for c in types)
        for person in {o for p in PERSON_ROLES for o in props.get(p, ())}:
            out[("person", intern(person[1:-1]))]["n"] += 1
        others = set(props.get(_ENGAGES, ()))
        for o in others:
            out[("engage", intern(s[1:-1]), intern(o[1:-1]))] = _engaged(graph_days)
        if others - {s}:
            out[("actor", s[1:-1])]["n"] += 1
    for _, c in things:
        out[("class", c[1:-1])]["n"] += 1
    return dict(out)


def of_terms(quads: Iterable, graph: str) -> Tallies:
    """of_article of pyoxigraph quads or triples (what the store reads back)."""
    return of_article(((str(q[0]), str(q[1]), str(q[2])) if isinstance(q, tuple) else
                       (str(q.subject), str(q.predicate), str(q.object)) for q in quads), graph)


def _days(literals) -> list[str]:
    return sorted({intern(o[1:-len(_DATE_SUFFIX)]) for o in literals if o.endswith(_DATE_SUFFIX) and o[0] == '"'})


def _zero() -> dict:
    return {"n": 0}


def _engaged(days: list[str]) -> dict:
    """An article's share of an engagement pair: one article, dated or not, and its dates."""
    return {"n": 1, "g": 1, "first": days[0]} if days else {"n": 1, "g": 0}


def add(total: Tallies, part: Tallies, sign: int = 1) -> int:
    """Add `part` (times `sign`) into `total`: counts add up, a first date keeps the smallest
    (a date cannot be taken away: see recounted). Returns the keys `total` gained."""
    grown = 0
    for key, state in part.items():
        mine = total.get(key)
        if mine is None:
            mine = total[key] = {"n": 0}
            grown += 1
        for k, v in state.items():
            if k == "first":
                mine[k] = min(mine.get(k) or v, v)
            else:
                mine[k] = mine.get(k, 0) + sign * v
    return grown


def recounted(part: Tallies) -> set:
    """The keys of `part` that taking it away leaves to be counted again from the store: an
    engagement pair's first date (which other articles hold is only in the store). Counting one
    again is exact whatever was counted before, which also makes a killed count_in safe."""
    return {key for key in part if key[0] == "engage"}


def complete(total: Tallies) -> Tallies:
    """`total`, the sum of every article's share, with each actor's partners counted from its pairs
    (what the store holds once everything is counted in)."""
    held = Counter(k[1] for k, st in total.items() if k[0] == "engage" and k[1] != k[2] and st["n"] > 0)
    return {k: {**st, "p": held[k[1]]} if k[0] == "actor" else st for k, st in total.items()}


def negated(part: Tallies) -> Tallies:
    return {key: {k: -v for k, v in state.items() if k in ("n", "g")} for key, state in part.items()}


def engagement(db: ox.Store, key: Key, without: frozenset = frozenset()) -> dict:
    """An engagement pair's state counted from the store: the article graphs stating it (but those
    `without`), and their dates."""
    state: dict = {"n": 0, "g": 0}
    days: list[str] = []
    for q in db.quads_for_pattern(ox.NamedNode(key[1]), _ENGAGES_TERM, ox.NamedNode(key[2]), None):
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value in without:
            continue
        dated = [d.object.value for d in db.quads_for_pattern(g, _ADATE_TERM, None, g)
                 if isinstance(d.object, ox.Literal) and d.object.datatype == _XSD_DATE]
        state["n"] += 1
        state["g"] += bool(dated)
        days += dated
    if days:
        state["first"] = min(days)
    return state


def node(key: Key) -> ox.NamedNode:
    """A key's node: a digest of the key, so the same key always meets the same node."""
    return ox.NamedNode(_node_text(key)[1:-1])


def _node_text(key: Key) -> str:
    digest = blake2b("\x00".join(key).encode(), digest_size=16).hexdigest()
    return f"<{TALLIES_GRAPH}/{key[0]}/{digest}>"


def _view(key: Key, state: dict) -> list[str]:
    """The triples (N-Triples text) a key's node holds: its key terms (a property per kind) and its
    state, the values the queries read (count, dated articles, first date). Few, as every one
    costs the writer (about 3 KB of memory each in an Oxigraph update). Text, not
    terms: the end of a large ingest writes hundreds of thousands of nodes. The key's IRIs were
    read from N-Triples text or the store; the literals are escaped by kg.ntriples."""
    s, kind = _node_text(key), key[0]
    out = [f"{s} {p} <{iri}>" for p, iri in zip(_KEY_TEXT[kind], key[1:])]
    out.append(f'{s} {_COUNT_TEXT} "{int(state["n"])}"^^<{XSD.integer}>')
    if "g" in state:
        out.append(f'{s} {_DATED_TEXT} "{int(state["g"])}"^^<{XSD.integer}>')
    if state.get("first"):
        out.append(f"{s} {_FIRST_TEXT} {nt.literal(state['first'], _DATE_TEXT)}")
    if "p" in state:
        out.append(f'{s} {_PARTNERS_TEXT} "{int(state["p"])}"^^<{XSD.integer}>')
    return out


def stored(db: ox.Store, key: Key) -> tuple[list[str], dict]:
    """(the node's triples as N-Triples text, its state) as the store holds them."""
    lines, state = [], {"n": 0}
    for q in db.quads_for_pattern(node(key), None, None, GRAPH):
        lines.append(f"{q.subject} {q.predicate} {q.object}")
        name = _STATE_OF.get(q.predicate.value)
        if name:
            state[name] = q.object.value if name == "first" else int(q.object.value)
    return lines, state


def changes(db: ox.Store, delta: Tallies, recount: set = frozenset(),
            without: frozenset = frozenset()) -> tuple[list[str], list[str]]:
    """(triples to delete, triples to insert) in TALLIES_GRAPH, as N-Triples text, that apply
    `delta` to the stored tallies, and count the keys in `recount` again from the store (less the
    graphs `without`, about to go): each touched node is rewritten whole, and goes when its count
    reaches zero."""
    deletes, inserts = [], []
    pairs = Counter()           # engager -> engagement pairs with another actor gained (lost: negative)
    # the pairs first: an actor's partners are counted from them
    for key in sorted({*delta, *recount}, key=lambda k: k[0] != "engage"):
        lines, state = stored(db, key)
        if key in recount:
            state = engagement(db, key, without)
        else:
            add({key: state}, {key: delta[key]})
        if key[0] == "engage" and key[1] != key[2]:
            pairs[key[1]] += (state["n"] > 0) - bool(lines)
        if key[0] == "actor":
            state["p"] = partners(db, key[1]) + pairs[key[1]]
        new = _view(key, state) if state["n"] > 0 else []
        if sorted(new) != sorted(lines):
            deletes += lines
            inserts += new
    return deletes, inserts


def partners(db: ox.Store, actor: str) -> int:
    """The engagement pairs the store holds with `actor` engaging another actor: its partners."""
    a = ox.NamedNode(actor)
    return sum(1 for q in db.quads_for_pattern(None, _ENGAGER, a, GRAPH)
               if all(o.object != a for o in db.quads_for_pattern(q.subject, _ENGAGED, None, GRAPH)))


def update_text(deletes: list, inserts: list, graph: ox.NamedNode = GRAPH) -> str:
    """A SPARQL update (DELETE DATA then INSERT DATA in `graph`), '' when there is nothing to do:
    triples as N-Triples text or pyoxigraph triples (written by its own str())."""
    line = lambda t: t if isinstance(t, str) else f"{t.subject} {t.predicate} {t.object}"
    parts = []
    if deletes:
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{ " + " .\n".join(map(line, deletes)) + " } }")
    if inserts:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{ " + " .\n".join(map(line, inserts)) + " } }")
    return " ;\n".join(parts)


def to_json(t: Tallies) -> str:
    return json.dumps([[list(k), v] for k, v in t.items()], separators=(",", ":"))


def from_json(text: str) -> Tallies:
    return {tuple(k): v for k, v in json.loads(text)}


def mark(graph: str, counted: Tallies) -> ox.Triple:
    """The mark of an article graph written and not yet counted in: `counted` is the contribution
    of the version the tallies count (empty for an article they have never seen)."""
    return ox.Triple(ox.NamedNode(graph), _UNCOUNTED, ox.Literal(to_json(counted)))


def is_marked(db: ox.Store, graph: str) -> bool:
    return next(iter(db.quads_for_pattern(ox.NamedNode(graph), _UNCOUNTED, None, GRAPH)), None) is not None


def marks(db: ox.Store) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, _UNCOUNTED, None, GRAPH)]


def count_in(db: ox.Store, delta: Tallies, recount: set = frozenset()) -> None:
    """Count `delta` into the tallies, count the keys in `recount` again from the store, and remove
    every mark (the writer's sum covers everything it marked; a new writer first counts in what a
    killed one left). The engagement pairs go first, CHUNK at a time (one transaction for all would
    take gigabytes); the counts that only add up, with the marks' removal, last, in one
    transaction. Killed in between, the next writer counts the marked graphs' pairs again from the
    store (see left_uncounted), so a pair is never counted twice."""
    pairs = sorted({k for k in (*delta, *recount) if k[0] == "engage"})
    for at in range(0, len(pairs), CHUNK):
        chunk = pairs[at:at + CHUNK]
        text = update_text(*changes(db, {k: delta[k] for k in chunk if k in delta}, recount & set(chunk)))
        if text:
            db.update(text)
    deletes, inserts = changes(db, {k: v for k, v in delta.items() if k[0] != "engage"})
    text = update_text(deletes + marks(db), inserts)
    if text:
        db.update(text)


def left_uncounted(db: ox.Store) -> tuple[Tallies, set]:
    """What the marks a killed run left still owe the tallies, as (delta, keys to recount): each
    graph as stored now, less the version the tallies count."""
    delta: Tallies = {}
    recount: set = set()
    for m in marks(db):
        old, new = from_json(m.object.value), of_graph(db, m.subject.value)
        add(delta, new)
        add(delta, negated(old))
        # pairs are counted again, not added to: a killed count_in may have counted some already
        recount |= recounted(old) | recounted(new)
    return delta, recount


def of_graph(db: ox.Store, graph: str) -> Tallies:
    """The tallies of an article graph as stored (what replacing or removing it takes away)."""
    g = ox.NamedNode(graph)
    return of_terms((q for p in _WANTED_TERMS for q in db.quads_for_pattern(None, p, None, g)), graph)


def rebuild(db: ox.Store, graphs: Iterable[str], held: int = HELD) -> None:
    """The tallies from the article graphs, from scratch (an older store's upgrade), counted in
    every `held` keys so memory stays bounded however large the store."""
    db.update(f"DROP SILENT GRAPH {GRAPH}")
    total: Tallies = {}
    summed = 0
    for g in graphs:
        summed += add(total, of_graph(db, g))
        if summed > held:
            count_in(db, total)
            total, summed = {}, 0
    count_in(db, total)
