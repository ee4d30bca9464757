"""Answers about one entity or the actor network: profiles, connecting chains, centrality.

Profiles read the store with SPARQL (the entity bound as a term); chains and centrality use the
networkx projection in kg.network, the same one the network page draws.
"""
from __future__ import annotations

import datetime as dt

import networkx as nx

from .errors import QueryError
from .network import actor_weights, project
from .params import resolve_entity
from .store import Store

PREFIXES = """PREFIX dkg: <https://w3id.org/dkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_FACTS = PREFIXES + """
SELECT ?fact ?kind ?role ?date (SAMPLE(?l) AS ?label) (SAMPLE(?ev) AS ?evidence) (SAMPLE(?src) AS ?source) ?entity
WHERE {
  VALUES (?p ?role) { (dkg:participant "participant") (dkg:party "party") (dkg:signatory "signatory")
                      (dkg:supplier "supplier") (dkg:recipient "recipient") (dkg:concerns "concerns")
                      (dkg:system "system") (dkg:location "location") (dkg:region "region") }
  ?fact ?p ?entity .
  OPTIONAL { ?fact a ?t VALUES (?t ?k) { (dkg:Meeting "Meeting") (dkg:Visit "Visit") (dkg:Exercise "Exercise")
             (dkg:Agreement "Agreement") (dkg:ArmsTransfer "ArmsTransfer") (dkg:Figure "Figure") } }
  BIND(COALESCE(?k, "Event") AS ?kind)
  OPTIONAL { ?fact dkg:date ?date }
  OPTIONAL { ?fact rdfs:label ?l }
  OPTIONAL { ?fact dkg:evidence ?ev }
  OPTIONAL { ?fact prov:wasDerivedFrom/dcterms:source ?src }
}
GROUP BY ?fact ?kind ?role ?date ?entity
ORDER BY ?date ?kind
"""
_PROPS = PREFIXES + """
SELECT DISTINCT ?p ?v (SAMPLE(?vl) AS ?vlabel) ?entity WHERE {
  ?entity ?p ?v .
  VALUES ?p { rdf:type rdfs:label skos:altLabel dkg:title dkg:isoCode dkg:orgKind dkg:affiliatedWith dkg:locatedIn
              dkg:engagesWith }
  OPTIONAL { ?v rdfs:label ?vl }
} GROUP BY ?p ?v ?entity
""".replace("SELECT DISTINCT", "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nSELECT DISTINCT")
_ARTICLES = PREFIXES + """
SELECT DISTINCT ?article ?date ?source ?entity WHERE {
  GRAPH ?article { { ?article dkg:mentions ?entity } UNION { ?f prov:wasDerivedFrom ?article ; ?p ?entity } }
  OPTIONAL { ?article dcterms:date ?date }
  OPTIONAL { ?article dcterms:source ?source }
} ORDER BY ?date ?source
"""
KEYS = {"label": "labels", "altLabel": "aliases", "title": "roles", "isoCode": "iso_code", "orgKind": "org_kind",
        "type": "types", "affiliatedWith": "affiliated_with", "locatedIn": "located_in", "engagesWith": "engages_with"}


def profile(store: Store, name: str) -> dict:
    """Everything the graph says about the entity called `name` (label, alias, ISO code or <IRI>)."""
    iri = resolve_entity(store, name, "entity") if not name.startswith("http") else _iri(name)
    out = {"iri": str(iri), **{k: [] for k in KEYS.values()}, "relations": [], "articles": []}
    for p, v, vlabel, _ in store.query(_PROPS, bindings={"entity": iri}):
        key = KEYS[str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]]
        text = str(v).rsplit("#", 1)[-1] if key == "types" else str(v)
        item = {"iri": text, "label": str(vlabel)} if vlabel is not None and key != "types" else text
        if item not in out[key]:
            out[key].append(item)
    for key in ("labels", "aliases", "roles", "types", "iso_code", "org_kind"):
        out[key] = sorted(out[key])
    for fact, kind, role, date, label, evidence, source, _ in store.query(_FACTS, bindings={"entity": iri}):
        out["relations"].append({"fact": str(fact), "kind": str(kind), "role": str(role),
                                 "date": str(date) if date is not None else None,
                                 "label": str(label) if label is not None else None,
                                 "evidence": str(evidence) if evidence is not None else None,
                                 "source": str(source) if source is not None else None})
    for article, date, source, _ in store.query(_ARTICLES, bindings={"entity": iri}):
        out["articles"].append({"article": str(article), "date": str(date) if date is not None else None,
                                "source": str(source) if source is not None else None})
    return out


def _iri(text: str):
    from rdflib import URIRef
    return URIRef(text)


def actor_network(store: Store, since: dt.date | None = None, until: dt.date | None = None) -> nx.Graph:
    """Countries and organisations, one weighted edge per engaging pair (weight = articles)."""
    return actor_weights(store, since=since, until=until)


def centrality(store: Store, since: dt.date | None = None, until: dt.date | None = None) -> list[dict]:
    """Degree, betweenness, PageRank and community per actor, most central first."""
    H = actor_network(store, since, until)
    if not len(H):
        return []
    betweenness = nx.betweenness_centrality(H, normalized=True)
    pagerank = weighted_pagerank(H)
    communities = nx.community.greedy_modularity_communities(H, weight="weight") if H.number_of_edges() else [set(H)]
    community = {n: i + 1 for i, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))))
                 for n in members}
    rows = [{"actor": n, "label": H.nodes[n]["label"], "kind": H.nodes[n]["kind"], "degree": H.degree(n),
             "articles": int(H.degree(n, weight="weight")), "betweenness": round(betweenness[n], 4),
             "pagerank": round(pagerank[n], 4), "community": community[n]} for n in H]
    return sorted(rows, key=lambda r: (-r["pagerank"], -r["degree"], r["label"]))


def weighted_pagerank(H: nx.Graph, alpha: float = 0.85, rounds: int = 200, tol: float = 1e-10) -> dict:
    """PageRank by power iteration (networkx's own needs scipy, which we do not ship)."""
    n = len(H)
    rank = dict.fromkeys(H, 1.0 / n)
    strength = {u: sum(d.get("weight", 1) for _, _, d in H.edges(u, data=True)) for u in H}
    for _ in range(rounds):
        dangling = alpha * sum(rank[u] for u in H if not strength[u]) / n
        new = dict.fromkeys(H, (1.0 - alpha) / n + dangling)
        for u in H:
            for _, v, d in H.edges(u, data=True):
                new[v] += alpha * rank[u] * d.get("weight", 1) / strength[u]
        if sum(abs(new[u] - rank[u]) for u in H) < n * tol:
            return new
        rank = new
    return rank


def paths(store: Store, a: str, b: str, max_paths: int = 5) -> list[list[dict]]:
    """The shortest chains between two actors (people, countries, organisations); each hop names
    the relation and carries its first evidence sentence and article."""
    G = project(store)
    ends = [str(resolve_entity(store, name, "actor")) for name in (a, b)]
    actors = [n for n, d in G.nodes(data=True) if d["kind"] in ("Country", "Organisation", "Person")]
    H = nx.Graph()
    H.add_nodes_from(actors)
    for u, v, k, data in G.edges(keys=True, data=True):
        if k in ("engages", "affiliated") and u in H and v in H and not H.has_edge(u, v):
            H.add_edge(u, v, relation=k, data=data)
    for u, v, edge in _shared_events(G):
        if u in H and v in H and not H.has_edge(u, v):
            H.add_edge(u, v, relation="same event", data=edge)
    if any(e not in H for e in ends):
        return []
    try:
        found = []
        for p in nx.all_shortest_paths(H, ends[0], ends[1]):
            found.append([_hop(G, H, u, v) for u, v in zip(p, p[1:])])
            if len(found) >= max_paths:
                break
        return found
    except nx.NetworkXNoPath:
        return []


def _shared_events(G: nx.MultiGraph):
    """People (or states) who took part in the same event, with that event's support."""
    for n, d in G.nodes(data=True):
        if d["kind"] != "Event":
            continue
        people = [m for m in G.neighbors(n) if G.has_edge(n, m, "participant")]
        for i, u in enumerate(people):
            for v in people[i + 1:]:
                yield u, v, G.edges[n, u, "participant"]


def _hop(G, H, u, v) -> dict:
    edge = H.edges[u, v]
    data = edge["data"]
    evidence = data["evidence"][0] if data.get("evidence") else None
    article = evidence[1] if evidence else (sorted(data["articles"])[0] if data.get("articles") else None)
    return {"from": G.nodes[u]["label"], "to": G.nodes[v]["label"], "relation": edge["relation"],
            "evidence": evidence[0] if evidence else None, "fact": evidence[2] if evidence else None,
            "article": article, "source": G.graph["articles"].get(article, {}).get("source") if article else None,
            "date": G.graph["articles"].get(article, {}).get("date") if article else None}


def require_two_names(a: str, b: str) -> None:
    if a.strip().casefold() == b.strip().casefold():
        raise QueryError("give two different actors")
