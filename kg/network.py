"""The RDF -> networkx projection that the network page and the analyses share.

`project(store)` reads the store once and returns a `networkx.MultiGraph`: one node per entity
(countries, organisations, people, places, regions, weapon systems, agreements, events) and one edge
per (pair, relation), keyed by relation. Every edge keeps what supports it: the articles (named
graphs) it was read from, their dates, the evidence sentences of the facts behind it, their polarity
and cooperation areas, so any view of the graph can explain itself. Views (`actor_graph`, `ego`,
`keep_most_important`) are plain subgraph selections on top.

Reading is the cost at scale, so the store is asked only for what a view needs, as plain strings
(`Store.values`): node cards from the entity graph, fact properties by predicate, mentions and
engaging pairs aggregated per entity and pair. `project(view="actors")` skips everything the actors
view drops, and `actor_weights` gives network analytics their weighted actor graph from one
aggregate query.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import chain

import networkx as nx

from .store import Store
from .vocab import DKG, ENTITY_GRAPH, RDF, RDFS, SKOS

NODE_KINDS = ["Country", "Organisation", "Person", "Place", "Region", "WeaponSystem", "Agreement", "Event"]
ACTOR_KINDS = ("Country", "Organisation")
EVENT_SUBTYPES = ("Meeting", "Visit", "Exercise")
RELATIONS = ["engages", "affiliated", "party", "signatory", "participant", "supplies", "location", "located in"]

_PREFIXES = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_ENTITY_KINDS = _PREFIXES + """
SELECT ?e ?kind WHERE { GRAPH <%s> { ?e a ?kind . VALUES ?kind { %%s } } }
""" % ENTITY_GRAPH
_ENTITY_PROPS = _PREFIXES + """
SELECT ?e ?p ?v WHERE { GRAPH <%s> { ?e a ?kind ; ?p ?v .
  VALUES ?kind { %%s } VALUES ?p { rdfs:label skos:altLabel dkg:title dkg:isoCode dkg:orgKind } } }
""" % ENTITY_GRAPH
_ARTICLES = _PREFIXES + """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?date ?source ?title WHERE { GRAPH ?g { ?g a dkg:Article ; dcterms:date ?date ; dcterms:source ?source .
  OPTIONAL { ?g dcterms:title ?title } } }
"""
_MENTIONS = _PREFIXES + """
SELECT ?g ?e WHERE { GRAPH ?g { { ?g dkg:mentions ?e } UNION { ?e prov:wasDerivedFrom ?g } } }
"""
# one row per actor: the articles that mention it, as one space-separated list (IRIs hold no spaces)
_ACTOR_MENTIONS = _PREFIXES + """
SELECT ?e (GROUP_CONCAT(STR(?g); separator=" ") AS ?articles) WHERE {
  GRAPH <%s> { ?e a ?kind . VALUES ?kind { dkg:Country dkg:Organisation } }
  GRAPH ?g { ?g dkg:mentions ?e } } GROUP BY ?e
""" % ENTITY_GRAPH
# facts are what an article derives (prov:wasDerivedFrom): their types and names (one predicate a
# query: a VALUES list here makes Oxigraph's plan several times slower)...
_FACT_TYPES = _PREFIXES + """
SELECT ?g ?f ?o WHERE { GRAPH ?g { ?f prov:wasDerivedFrom ?g ; a ?o } }
"""
_FACT_LABELS = _PREFIXES + """
SELECT ?g ?f ?o WHERE { GRAPH ?g { ?f prov:wasDerivedFrom ?g ; rdfs:label ?o } }
"""
# ...and their other properties, which only facts have: no join needed to find them
_FACT_PROPS = _PREFIXES + """
SELECT ?g ?f ?p ?o WHERE { GRAPH ?g { ?f ?p ?o . VALUES ?p { %s } } }
"""
_ROLES = "dkg:participant dkg:party dkg:supplier dkg:recipient"
_DETAILS = "dkg:evidence dkg:polarity dkg:cooperationArea"
_FULL_ONLY = "dkg:system dkg:location dkg:signatory dkg:status"
_ENTITY_LINKS = _PREFIXES + """
SELECT ?g ?a ?p ?b WHERE { GRAPH ?g { ?a ?p ?b . VALUES ?p { %s } } }
"""
# one row per engaging pair: the articles that say so, as one space-separated list
_ENGAGING_PAIRS = _PREFIXES + """
SELECT ?a ?b (GROUP_CONCAT(STR(?g); separator=" ") AS ?articles) WHERE {
  GRAPH ?g { ?a dkg:engagesWith ?b FILTER(STR(?a) < STR(?b)) } } GROUP BY ?a ?b
"""
_ENGAGEMENTS = _PREFIXES + """
SELECT ?g ?a ?b WHERE { GRAPH ?g { ?a dkg:engagesWith ?b FILTER(STR(?a) < STR(?b)) } }
"""

# predicate IRIs as plain strings: rows are strings (Store.values), much cheaper than rdflib terms
_D = str(DKG)
TYPE, LABEL = str(RDF.type), str(RDFS.label)
PARTICIPANT, PARTY, SUPPLIER, RECIPIENT = (_D + p for p in ("participant", "party", "supplier", "recipient"))
SYSTEM, LOCATION, SIGNATORY, STATUS = (_D + p for p in ("system", "location", "signatory", "status"))
EVIDENCE, POLARITY, AREA = (_D + p for p in ("evidence", "polarity", "cooperationArea"))
ROLES = (PARTICIPANT, PARTY, SUPPLIER, RECIPIENT)
_NODE_PROP_KEYS = {LABEL: "label", str(SKOS.altLabel): "aliases", _D + "title": "roles", _D + "isoCode": "iso",
                   _D + "orgKind": "org_kind"}


def project(store: Store, *, since: dt.date | None = None, until: dt.date | None = None,
            area: str | None = None, view: str = "full") -> nx.MultiGraph:
    """The whole graph, read from articles dated within [since, until]; with `area`, only the
    relations supported by a fact in that cooperation area (and the entities they join).

    view="actors" reads only what `actor_graph` keeps (countries, organisations, their
    engagements), so `actor_graph(project(s, view="actors"))` equals `actor_graph(project(s))`
    at a fraction of the cost. Rows are read as plain strings, a handful of queries in all."""
    if view not in ("full", "actors"):
        raise ValueError(f"unknown view {view!r}")
    actors = view == "actors"
    G = _empty(store, since, until, area)
    facts = _read_facts(store, G.graph["articles"], actors)
    _add_nodes(G, store, facts, actors)
    edges = _Edges(G)
    if not actors:
        _add_fact_edges(G, facts, area, edges)
    _add_entity_edges(G, store, facts, area, actors, edges)
    if area:
        G.remove_nodes_from([n for n, d in G.degree() if d == 0])
    return G


def actor_weights(store: Store, *, since: dt.date | None = None, until: dt.date | None = None) -> nx.Graph:
    """What network analytics need of the actors view, straight from one aggregate query:
    equal to `weighted_graph(actor_graph(project(store, view="actors")))` (nodes and their
    attributes, weight = articles behind the engagement) without reading any fact."""
    G = _empty(store, since, until, None)
    _add_nodes(G, store, {}, True)
    articles = G.graph["articles"]
    H = nx.Graph()
    for a, b, listed in store.values(_ENGAGING_PAIRS):
        if a in G and b in G:
            weight = len({g for g in listed.split() if g in articles})
            if weight:
                H.add_edge(a, b, weight=weight)
    for n in H:
        H.nodes[n].update(G.nodes[n])
    return H


def _empty(store: Store, since: dt.date | None, until: dt.date | None, area: str | None) -> nx.MultiGraph:
    """A graph holding only the articles dated within [since, until] (graph attribute `articles`)."""
    G = nx.MultiGraph()
    G.graph.update(articles={}, filters={"since": since, "until": until, "area": area})
    for g, date, source, title in store.query(_ARTICLES):
        day = _as_date(date)
        if (since and (day is None or day < since)) or (until and (day is None or day > until)):
            continue
        G.graph["articles"][str(g)] = {"date": day.isoformat() if day else None, "source": str(source),
                                       "title": str(title) if title is not None else None}
    return G


def _as_date(term) -> dt.date | None:
    value = term.toPython() if term is not None else None
    return value if isinstance(value, dt.date) else None


def _kinds(names) -> str:
    return " ".join(f"dkg:{k}" for k in names)


def _add_nodes(G: nx.MultiGraph, store: Store, facts: dict[str, dict], actors: bool) -> None:
    """Entities (types and names from the entity graph) and, in the full view, events and
    agreements (from their facts), each with the articles in range that mention it."""
    wanted = _kinds(ACTOR_KINDS if actors else NODE_KINDS + list(EVENT_SUBTYPES))
    kinds: dict[str, set] = defaultdict(set)
    for e, kind in store.values(_ENTITY_KINDS % wanted):
        kinds[e].add(kind[len(_D):])
    if not actors:
        for iri, fact in facts.items():
            kinds[iri] |= fact["types"]
    mentioned: dict[str, set] = defaultdict(set)
    articles = G.graph["articles"]
    if actors:
        for e, listed in store.values(_ACTOR_MENTIONS):
            if e in kinds:
                mentioned[e].update(g for g in listed.split() if g in articles)
    else:
        for g, e in store.values(_MENTIONS):
            if g in articles and e in kinds:
                mentioned[e].add(g)
    subtypes = set(EVENT_SUBTYPES)
    for iri, types in kinds.items():
        if iri not in mentioned:
            continue                       # outside the date range, or not from any article
        kind = next((k for k in NODE_KINDS if k in types or (k == "Event" and types & subtypes)), None)
        if kind is None:
            continue
        sub = next((s for s in EVENT_SUBTYPES if s in types), None)
        G.add_node(iri, kind=kind, subtype=sub, label=None, aliases=set(), roles=set(), iso=None,
                   org_kind=None, articles=mentioned[iri])
    fact_labels = ((f, LABEL, v) for f, fact in facts.items() for v in fact["labels"])
    for e, p, v in chain(store.values(_ENTITY_PROPS % wanted), fact_labels):
        node = G.nodes.get(e)
        if node is None:
            continue
        key = _NODE_PROP_KEYS[p]
        if key in ("aliases", "roles"):
            node[key].add(v)
        elif node[key] is None or v < node[key]:   # deterministic when sources disagree
            node[key] = v
    for iri, node in G.nodes(data=True):
        node["label"] = node["label"] or iri.rsplit("/", 1)[-1]
        node["aliases"].discard(node["label"])
        fact = facts.get(iri)
        if fact is not None and not actors:   # events and agreements are nodes too
            node.update(polarity=fact["polarity"], areas=fact["areas"], status=fact["status"])


def _read_facts(store: Store, articles: dict, actors: bool) -> dict[str, dict]:
    """Every fact (event, agreement, arms transfer) of an article in range, with the properties
    the view needs: in the actors view only facts naming two actors or more."""
    facts: dict[str, dict] = {}

    def rows(sparql: str, new: bool, predicate: str | None = None):
        for row in store.values(sparql):
            g, f, p, o = row if predicate is None else (row[0], row[1], predicate, row[2])
            if g not in articles:
                continue
            fact = facts.get(f)
            if fact is None:
                if not new:
                    continue
                fact = facts[f] = {"article": g, "props": defaultdict(list)}
            fact["props"][p].append(o)

    if actors:
        rows(_FACT_PROPS % _ROLES, True)
        for iri in [f for f, fact in facts.items() if len({a for p in ROLES for a in fact["props"][p]}) < 2]:
            del facts[iri]                 # a fact with one actor ties no pair
        rows(_FACT_LABELS, False, LABEL)
        rows(_FACT_PROPS % _DETAILS, False)
    else:
        rows(_FACT_TYPES, True, TYPE)
        rows(_FACT_LABELS, False, LABEL)
        rows(_FACT_PROPS % f"{_ROLES} {_DETAILS} {_FULL_ONLY}", False)
    for fact in facts.values():
        props = fact["props"]
        fact["actors"] = {a for p in ROLES for a in props.get(p, ())}
        fact["types"] = {t[len(_D):] for t in props.get(TYPE, ()) if t.startswith(_D)}
        fact["evidence"] = sorted(props.get(EVIDENCE, ()))
        fact["polarity"] = props[POLARITY][0] if props.get(POLARITY) else None
        fact["areas"] = {a.rsplit("/", 1)[-1] for a in props.get(AREA, ())}
        fact["labels"] = props.get(LABEL, [])
        fact["label"] = fact["labels"][0] if fact["labels"] else None
        fact["status"] = props[STATUS][0] if props.get(STATUS) else None
    return facts


class _Edges:
    """Adds (or strengthens) edges; keeps each edge's evidence free of repeats in constant time."""

    def __init__(self, G: nx.MultiGraph):
        self.G = G
        self.seen: dict[tuple, set] = defaultdict(set)

    def support(self, u: str, v: str, relation: str, article: str, fact: dict | None,
                direction: tuple[str, str] | None = None) -> None:
        """The edge u-v of this relation gains one supporting article and fact."""
        G = self.G
        if u not in G or v not in G or u == v:
            return
        if not G.has_edge(u, v, key=relation):
            src, dst = direction or (u, v)
            G.add_edge(u, v, key=relation, relation=relation, source=src, target=dst, articles=set(),
                       evidence=[], polarity=Counter(), areas=set())
        edge = G.edges[u, v, relation]
        edge["articles"].add(article)
        if fact is not None:
            seen = self.seen[(u, v, relation) if u < v else (v, u, relation)]
            for text in fact["evidence"]:
                item = (text, article, fact["label"])
                if item not in seen:
                    seen.add(item)
                    edge["evidence"].append(item)
            if fact["polarity"]:
                edge["polarity"][fact["polarity"]] += 1
            edge["areas"] |= fact["areas"]


def _add_fact_edges(G: nx.MultiGraph, facts: dict[str, dict], area: str | None, edges: _Edges) -> None:
    """Events to participants and places, agreements to parties and signatories, suppliers to
    recipients and systems; facts in article order, so a pair's direction is the first seen."""
    for iri, fact in sorted(facts.items(), key=lambda item: (item[1]["article"], item[0])):
        if area and area not in fact["areas"]:
            continue
        props, art = fact["props"], fact["article"]
        if iri in G and G.nodes[iri]["kind"] == "Event":
            for o in props.get(PARTICIPANT, []):
                edges.support(iri, o, "participant", art, fact)
            for o in props.get(LOCATION, []):
                edges.support(iri, o, "location", art, fact)
        if iri in G and G.nodes[iri]["kind"] == "Agreement":
            for o in props.get(PARTY, []):
                edges.support(iri, o, "party", art, fact)
            for o in props.get(SIGNATORY, []):
                edges.support(iri, o, "signatory", art, fact)
        suppliers = props.get(SUPPLIER, [])
        targets = props.get(RECIPIENT, []) + props.get(SYSTEM, [])
        if not suppliers:       # a purchase without a named seller still ties the buyer to the system
            suppliers = props.get(RECIPIENT, [])
            targets = props.get(SYSTEM, [])
        for s in suppliers:
            for t in targets:
                edges.support(s, t, "supplies", art, fact, direction=(s, t))


def _add_entity_edges(G: nx.MultiGraph, store: Store, facts: dict[str, dict], area: str | None,
                      actors: bool, edges: _Edges) -> None:
    """Engagements (with the facts of the same article behind them), affiliations, locations."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for fact in facts.values():
        if len(fact["actors"]) > 1:
            by_article[fact["article"]].append(fact)
    articles = G.graph["articles"]
    if not actors:
        names = {_D + "affiliatedWith": "affiliated", _D + "locatedIn": "located in"}
        for g, a, p, b in store.values(_ENTITY_LINKS % "dkg:affiliatedWith dkg:locatedIn"):
            if g in articles and not area:
                edges.support(a, b, names[p], g, None, direction=(a, b))
    for g, a, b in store.values(_ENGAGEMENTS):   # materialised both ways: each pair once
        if g not in articles or a not in G or b not in G:
            continue
        behind = [f for f in by_article[g] if a in f["actors"] and b in f["actors"]
                  and (not area or area in f["areas"])]
        if area and not behind:
            continue
        for fact in behind or [None]:
            edges.support(a, b, "engages", g, fact)


# -- views -------------------------------------------------------------------------------------
def actor_graph(G: nx.MultiGraph) -> nx.MultiGraph:
    """Countries and organisations that engage with one another, and those engagements."""
    H = nx.MultiGraph(**G.graph)
    for u, v, k, data in G.edges(keys=True, data=True):
        if k == "engages" and G.nodes[u]["kind"] in ACTOR_KINDS and G.nodes[v]["kind"] in ACTOR_KINDS:
            H.add_node(u, **G.nodes[u])
            H.add_node(v, **G.nodes[v])
            H.add_edge(u, v, key=k, **data)
    return H


def find_node(G: nx.MultiGraph, name: str) -> str | None:
    """The node whose IRI, label, alias or ISO code is `name` (case-insensitive), else the best
    label containing it; None when nothing matches."""
    wanted = name.casefold().strip()
    contains = []
    for n, d in G.nodes(data=True):
        names = {n.casefold(), d["label"].casefold(), *(a.casefold() for a in d["aliases"])}
        if d.get("iso"):
            names.add(d["iso"].casefold())
        if wanted in names:
            return n
        if any(wanted in x for x in names):
            contains.append(n)
    return max(contains, key=lambda n: (len(G.nodes[n]["articles"]), n)) if contains else None


def ego(G: nx.MultiGraph, center: str, depth: int = 1) -> nx.MultiGraph:
    return G.subgraph(nx.ego_graph(G, center, radius=depth).nodes).copy()


def importance(G: nx.MultiGraph) -> dict[str, float]:
    """How much the graph says about a node: its articles plus the support of its edges."""
    score = {n: float(len(d.get("articles", ()))) for n, d in G.nodes(data=True)}
    for u, v, data in G.edges(data=True):
        w = len(data.get("articles", ())) or 1
        score[u] += w
        score[v] += w
    return score


def keep_most_important(G: nx.MultiGraph, max_nodes: int) -> tuple[nx.MultiGraph, int]:
    """(the subgraph of the `max_nodes` most important nodes, how many were left out)."""
    if len(G) <= max_nodes:
        return G, 0
    score = importance(G)
    keep = sorted(G.nodes, key=lambda n: (-score[n], n))[:max_nodes]
    return G.subgraph(keep).copy(), len(G) - max_nodes


def weighted_graph(G: nx.MultiGraph, relations: set[str] | None = None) -> nx.Graph:
    """A simple graph for analysis: one edge per pair, weight = articles supporting it."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, k, data in G.edges(keys=True, data=True):
        if relations is None or k in relations:
            w = len(data["articles"])
            if H.has_edge(u, v):
                H.edges[u, v]["weight"] += w
            else:
                H.add_edge(u, v, weight=w)
    return H
