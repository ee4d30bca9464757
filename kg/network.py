"""The RDF -> networkx projection that the network page and the analyses share.

`project(store)` reads the store once and returns a `networkx.MultiGraph`: one node per entity
(countries, organisations, people, places, regions, weapon systems, agreements, events) and one edge
per (pair, relation), keyed by relation. Every edge keeps what supports it: the articles (named
graphs) it was read from, their dates, the evidence sentences of the facts behind it, their polarity
and cooperation areas, so any view of the graph can explain itself. Views (`actor_graph`, `ego`,
`keep_most_important`) are plain subgraph selections on top.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import networkx as nx

from .store import Store
from .vocab import DKG, RDF, RDFS, SKOS

NODE_KINDS = ["Country", "Organisation", "Person", "Place", "Region", "WeaponSystem", "Agreement", "Event"]
ACTOR_KINDS = ("Country", "Organisation")
EVENT_SUBTYPES = ("Meeting", "Visit", "Exercise")
RELATIONS = ["engages", "affiliated", "party", "signatory", "participant", "supplies", "location", "located in"]
ACTOR_ROLES = (DKG.participant, DKG.party, DKG.supplier, DKG.recipient)

_NODE_QUERY = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
SELECT ?e ?kind WHERE { ?e a ?kind .
  VALUES ?kind { %s } }
""" % " ".join(f"dkg:{k}" for k in NODE_KINDS + list(EVENT_SUBTYPES))
_NODE_PROPS = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e ?p ?v WHERE { ?e ?p ?v .
  VALUES ?p { rdfs:label skos:altLabel dkg:title dkg:isoCode dkg:orgKind } }
"""
_ARTICLES = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?date ?source ?title WHERE { GRAPH ?g { ?g a dkg:Article ; dcterms:date ?date ; dcterms:source ?source .
  OPTIONAL { ?g dcterms:title ?title } } }
"""
_MENTIONS = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?e WHERE { GRAPH ?g { { ?g dkg:mentions ?e } UNION { ?e prov:wasDerivedFrom ?g } } }
"""
_FACTS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?f ?p ?o WHERE { GRAPH ?g { ?f prov:wasDerivedFrom ?g ; ?p ?o } }
"""
_ENTITY_LINKS = """
PREFIX dkg: <https://w3id.org/dkg/ontology#>
SELECT ?g ?a ?p ?b WHERE { GRAPH ?g { ?a ?p ?b . VALUES ?p { dkg:affiliatedWith dkg:locatedIn dkg:engagesWith } } }
"""


def project(store: Store, *, since: dt.date | None = None, until: dt.date | None = None,
            area: str | None = None) -> nx.MultiGraph:
    """The whole graph, read from articles dated within [since, until]; with `area`, only the
    relations supported by a fact in that cooperation area (and the entities they join)."""
    G = nx.MultiGraph()
    G.graph.update(articles={}, filters={"since": since, "until": until, "area": area})
    for g, date, source, title in store.query(_ARTICLES):
        day = _as_date(date)
        if (since and (day is None or day < since)) or (until and (day is None or day > until)):
            continue
        G.graph["articles"][str(g)] = {"date": day.isoformat() if day else None, "source": str(source),
                                       "title": str(title) if title is not None else None}
    _add_nodes(G, store)
    facts = _read_facts(G, store)
    _add_fact_edges(G, facts, area)
    _add_entity_edges(G, store, facts, area)
    if area:
        G.remove_nodes_from([n for n, d in G.degree() if d == 0])
    return G


def _as_date(term) -> dt.date | None:
    value = term.toPython() if term is not None else None
    return value if isinstance(value, dt.date) else None


def _add_nodes(G: nx.MultiGraph, store: Store) -> None:
    kinds: dict[str, set] = defaultdict(set)
    for e, kind in store.query(_NODE_QUERY):
        kinds[str(e)].add(str(kind)[len(str(DKG)):])
    mentioned: dict[str, set] = defaultdict(set)
    for g, e in store.query(_MENTIONS):
        if str(g) in G.graph["articles"]:
            mentioned[str(e)].add(str(g))
    for iri, types in kinds.items():
        if iri not in mentioned:
            continue                       # outside the date range, or not from any article
        kind = next(k for k in NODE_KINDS if k in types or (k == "Event" and types & set(EVENT_SUBTYPES)))
        sub = next((s for s in EVENT_SUBTYPES if s in types), None)
        G.add_node(iri, kind=kind, subtype=sub, label=None, aliases=set(), roles=set(), iso=None,
                   org_kind=None, articles=mentioned[iri])
    props = {RDFS.label: "label", SKOS.altLabel: "aliases", DKG.title: "roles", DKG.isoCode: "iso",
             DKG.orgKind: "org_kind"}
    for e, p, v in store.query(_NODE_PROPS):
        node = G.nodes.get(str(e))
        if node is None:
            continue
        key = props[p]
        if key in ("aliases", "roles"):
            node[key].add(str(v))
        elif node[key] is None or str(v) < node[key]:   # deterministic when sources disagree
            node[key] = str(v)
    for iri, node in G.nodes(data=True):
        node["label"] = node["label"] or iri.rsplit("/", 1)[-1]
        node["aliases"].discard(node["label"])


def _read_facts(G: nx.MultiGraph, store: Store) -> dict[str, dict]:
    """Every fact (event, agreement, arms transfer) of an article in range: its properties by predicate."""
    facts: dict[str, dict] = {}
    for g, f, p, o in store.query(_FACTS):
        if str(g) not in G.graph["articles"]:
            continue
        fact = facts.setdefault(str(f), {"article": str(g), "props": defaultdict(list)})
        fact["props"][p].append(o)
    for iri, fact in facts.items():
        props = fact["props"]
        fact["types"] = {str(t)[len(str(DKG)):] for t in props.get(RDF.type, [])}
        fact["evidence"] = sorted(str(s) for s in props.get(DKG.evidence, []))
        fact["polarity"] = str(props[DKG.polarity][0]) if props.get(DKG.polarity) else None
        fact["areas"] = {str(a).rsplit("/", 1)[-1] for a in props.get(DKG.cooperationArea, [])}
        fact["label"] = str(props[RDFS.label][0]) if props.get(RDFS.label) else None
        fact["actors"] = {str(o) for p in ACTOR_ROLES for o in props.get(p, [])}
        if iri in G:                       # events and agreements are nodes too
            G.nodes[iri].update(polarity=fact["polarity"], areas=fact["areas"],
                                status=str(props[DKG.status][0]) if props.get(DKG.status) else None)
    return facts


def _support(G: nx.MultiGraph, u: str, v: str, relation: str, article: str, fact: dict | None,
             direction: tuple[str, str] | None = None) -> None:
    """Add (or strengthen) the edge u-v of this relation with one supporting article and fact."""
    if u not in G or v not in G or u == v:
        return
    if not G.has_edge(u, v, key=relation):
        src, dst = direction or (u, v)
        G.add_edge(u, v, key=relation, relation=relation, source=src, target=dst, articles=set(),
                   evidence=[], polarity=Counter(), areas=set())
    edge = G.edges[u, v, relation]
    edge["articles"].add(article)
    if fact is not None:
        for text in fact["evidence"]:
            item = (text, article, fact["label"])
            if item not in edge["evidence"]:
                edge["evidence"].append(item)
        if fact["polarity"]:
            edge["polarity"][fact["polarity"]] += 1
        edge["areas"] |= fact["areas"]


def _add_fact_edges(G: nx.MultiGraph, facts: dict[str, dict], area: str | None) -> None:
    for iri, fact in facts.items():
        if area and area not in fact["areas"]:
            continue
        props, art = fact["props"], fact["article"]
        if iri in G and G.nodes[iri]["kind"] == "Event":
            for o in props.get(DKG.participant, []):
                _support(G, iri, str(o), "participant", art, fact)
            for o in props.get(DKG.location, []):
                _support(G, iri, str(o), "location", art, fact)
        if iri in G and G.nodes[iri]["kind"] == "Agreement":
            for o in props.get(DKG.party, []):
                _support(G, iri, str(o), "party", art, fact)
            for o in props.get(DKG.signatory, []):
                _support(G, iri, str(o), "signatory", art, fact)
        suppliers = [str(o) for o in props.get(DKG.supplier, [])]
        targets = [str(o) for o in props.get(DKG.recipient, []) + props.get(DKG.system, [])]
        if not suppliers:       # a purchase without a named seller still ties the buyer to the system
            suppliers = [str(o) for o in props.get(DKG.recipient, [])]
            targets = [str(o) for o in props.get(DKG.system, [])]
        for s in suppliers:
            for t in targets:
                _support(G, s, t, "supplies", art, fact, direction=(s, t))


def _add_entity_edges(G: nx.MultiGraph, store: Store, facts: dict[str, dict], area: str | None) -> None:
    by_article: dict[str, list[dict]] = defaultdict(list)
    for fact in facts.values():
        if fact["actors"]:
            by_article[fact["article"]].append(fact)
    names = {DKG.affiliatedWith: "affiliated", DKG.locatedIn: "located in"}
    for g, a, p, b in store.query(_ENTITY_LINKS):
        g, a, b = str(g), str(a), str(b)
        if g not in G.graph["articles"]:
            continue
        if p != DKG.engagesWith:
            if not area:
                _support(G, a, b, names[p], g, None, direction=(a, b))
            continue
        if a > b:
            continue                       # materialised both ways: take each pair once
        behind = [f for f in by_article[g] if a in f["actors"] and b in f["actors"]
                  and (not area or area in f["areas"])]
        if area and not behind:
            continue
        for fact in behind or [None]:
            _support(G, a, b, "engages", g, fact)


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
