# ruff: noqa: E702 -- vendored copy of ../shared/eval/score.py (the shared scorer, /work/shared/eval/score.py) for clean clones; keep identical below this line (tests/test_extraction_quality.py checks).
#!/usr/bin/env python3
"""Score an exported knowledge graph against gold annotations.

    python score.py --gold GOLD_DIR --graph EXPORT.trig [--json] [--per-article]

GOLD_DIR holds one <id>.json per article (format: GUIDELINE in this folder's README.md).
EXPORT is the project's export of the whole dataset with its named graphs (TriG or N-Quads).
An article graph is paired with the gold file whose id equals the file stem of the
Article's dcterms:source (".../h01.txt" -> "h01").

The graph is read through the data model in ../DATA-MODEL.md. Prints precision, recall
and F1 per facet, and KG-F1: the mean F1 of the core facets.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

DKG = Namespace("https://w3id.org/dkg/ontology#")
ENTITY_TYPES = ["Person", "Country", "Organisation", "Place", "Region", "WeaponSystem"]
CORE = ["Person", "Country", "Organisation", "affiliation", "actor_pairs", "events", "agreements", "arms_transfers"]
EVENT_TYPES = {DKG.Event: "Other", DKG.Meeting: "Meeting", DKG.Visit: "Visit", DKG.Exercise: "Exercise"}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("'s ", " "))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def tokens(text: str) -> set[str]:
    return set(norm(text).split())


class Tally:
    def __init__(self):
        self.tp_p = self.n_sys = self.tp_r = self.n_gold = 0

    def add(self, tp_p, n_sys, tp_r, n_gold):
        self.tp_p += tp_p; self.n_sys += n_sys; self.tp_r += tp_r; self.n_gold += n_gold

    def prf(self):
        p = self.tp_p / self.n_sys if self.n_sys else (1.0 if not self.n_gold else 0.0)
        r = self.tp_r / self.n_gold if self.n_gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


class ArticleGraph:
    """The facts of one article graph, read through the data model."""

    def __init__(self, g):
        self.g = g
        self.names: dict[URIRef, set[str]] = defaultdict(set)
        self.types: dict[URIRef, set[str]] = defaultdict(set)
        for t in ENTITY_TYPES:
            for s in g.subjects(RDF.type, DKG[t]):
                self.types[s].add(t)
        for s in list(self.types):
            for p in (RDFS.label, SKOS.altLabel):
                for o in g.objects(s, p):
                    self.names[s].add(norm(o))
            for o in g.objects(s, DKG.isoCode):
                self.names[s].add("iso:" + str(o).upper())

    def of_type(self, t):
        return [s for s, ts in self.types.items() if t in ts]

    def objs(self, s, p):
        return list(self.g.objects(s, p))

    def label(self, s):
        for o in self.g.objects(s, RDFS.label):
            return str(o)
        return ""


class Gold:
    def __init__(self, data):
        self.data = data
        self.entities = data.get("entities", [])
        self.by_name = {e["name"]: e for e in self.entities}

    def keys(self, e):
        ks = {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}
        if e.get("iso3"):
            ks.add("iso:" + e["iso3"].upper())
        return ks


def entity_map(art: ArticleGraph, gold: Gold):
    """system IRI -> set of gold entity names it denotes (same type, shared name or ISO code)."""
    m = defaultdict(set)
    for e in gold.entities:
        keys = gold.keys(e)
        for s in art.of_type(e["type"]):
            if art.names[s] & keys:
                m[s].add(e["name"])
    # an actor typed differently (e.g. an organisation typed Country) still maps for relations
    for e in gold.entities:
        keys = gold.keys(e)
        for s, ns in art.names.items():
            if s not in m and ns & keys:
                m[s].add(e["name"])
    return m


def score_entities(art, gold, tallies, dupes):
    for t in ENTITY_TYPES:
        g_ents = [e for e in gold.entities if e["type"] == t]
        s_ents = art.of_type(t)
        g_found = 0
        for e in g_ents:
            hits = [s for s in s_ents if art.names[s] & gold.keys(e)]
            g_found += bool(hits)
            if len(hits) > 1:
                dupes.append((e["name"], [art.label(h) for h in hits]))
        all_keys = set().union(*(gold.keys(e) for e in g_ents)) if g_ents else set()
        s_ok = sum(1 for s in s_ents if art.names[s] & all_keys)
        tallies[t].add(s_ok, len(s_ents), g_found, len(g_ents))


def score_pairs(name, sys_pairs, gold_pairs, tallies):
    s_ok = sum(1 for p in sys_pairs if p & gold_pairs)
    g_ok = sum(1 for p in gold_pairs if any(p in sp for sp in sys_pairs))
    tallies[name].add(s_ok, len(sys_pairs), g_ok, len(gold_pairs))


def mapped(emap, iris):
    out = set()
    for i in iris:
        out |= emap.get(i, set())
    return out


def greedy(sys_items, gold_items, score):
    """One-to-one matching, best pairs first; score() <= 0 means no match."""
    cands = sorted(((score(s, g), i, j) for i, s in enumerate(sys_items) for j, g in enumerate(gold_items)), reverse=True)
    used_s, used_g, pairs = set(), set(), []
    for sc, i, j in cands:
        if sc <= 0 or i in used_s or j in used_g:
            continue
        used_s.add(i); used_g.add(j); pairs.append((i, j))
    return pairs


def name_sim(a, b):
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def score_article(art: ArticleGraph, gold: Gold, tallies, extra, dupes):
    g = art.g
    emap = entity_map(art, gold)
    score_entities(art, gold, tallies, dupes)

    # person affiliations
    sys_aff = []
    for p in art.of_type("Person"):
        for a in art.objs(p, DKG.affiliatedWith):
            sys_aff.append({(x, y) for x in emap.get(p, ()) for y in emap.get(a, ())})
    gold_aff = {(e["name"], a) for e in gold.entities if e["type"] == "Person" for a in e.get("affiliation", [])}
    s_ok = sum(1 for s in sys_aff if s & gold_aff)
    g_ok = sum(1 for x in gold_aff if any(x in s for s in sys_aff))
    tallies["affiliation"].add(s_ok, len(sys_aff), g_ok, len(gold_aff))

    # actor pairs (unordered, states and international organisations)
    actors = set(art.of_type("Country")) | set(art.of_type("Organisation"))
    seen, sys_pairs = set(), []
    for x, _, y in g.triples((None, DKG.engagesWith, None)):
        if x in actors and y in actors and x != y and frozenset((x, y)) not in seen:
            seen.add(frozenset((x, y)))
            sys_pairs.append({frozenset((a, b)) for a in emap.get(x, ()) for b in emap.get(y, ()) if a != b})
    gold_pairs = {frozenset(p) for p in gold.data.get("actor_pairs", []) if len(set(p)) == 2}
    score_pairs("actor_pairs", sys_pairs, gold_pairs, tallies)

    # events
    sys_events = []
    for cls, kind in EVENT_TYPES.items():
        for e in g.subjects(RDF.type, cls):
            if any(x["iri"] == e for x in sys_events):
                if kind != "Other":
                    next(x for x in sys_events if x["iri"] == e)["kind"] = kind
                continue
            sys_events.append({"iri": e, "kind": kind,
                               "parts": mapped(emap, art.objs(e, DKG.participant)),
                               "dates": {str(d)[:10] for d in art.objs(e, DKG.date)}})
    gold_events = gold.data.get("events", [])

    def ev_score(s, ge):
        if (s["kind"] == "Exercise") != (ge.get("type") == "Exercise"):
            return 0
        need = min(2, len(ge.get("participants", [])))
        hit = len(s["parts"] & set(ge.get("participants", [])))
        if need == 0 or hit < need:
            return 0
        return hit + (0.5 if ge.get("date") in s["dates"] else 0)

    pairs = greedy(sys_events, gold_events, ev_score)
    tallies["events"].add(len(pairs), len(sys_events), len(pairs), len(gold_events))
    for i, j in pairs:
        if gold_events[j].get("date"):
            extra["event_date"].add(int(gold_events[j]["date"] in sys_events[i]["dates"]), 1, 0, 0)

    # agreements
    sys_agr = [{"iri": a, "parties": mapped(emap, art.objs(a, DKG.party)), "name": art.label(a),
                "status": {str(s) for s in art.objs(a, DKG.status)}}
               for a in g.subjects(RDF.type, DKG.Agreement)]
    gold_agr = gold.data.get("agreements", [])

    def ag_score(s, ga):
        gp = set(ga.get("parties", []))
        sim = name_sim(s["name"], ga.get("name", ""))
        if gp:
            need = min(2, len(gp))
            if len(s["parties"] & gp) < need:
                return 0
            return 1 + sim
        return sim if sim >= 0.5 else 0

    pairs = greedy(sys_agr, gold_agr, ag_score)
    tallies["agreements"].add(len(pairs), len(sys_agr), len(pairs), len(gold_agr))
    for i, j in pairs:
        extra["agreement_status"].add(int(gold_agr[j].get("status") in sys_agr[i]["status"]), 1, 0, 0)

    # arms transfers
    sys_arms = []
    for t in g.subjects(RDF.type, DKG.ArmsTransfer):
        systems = [art.label(x) or str(x) for x in art.objs(t, DKG.system)]
        sys_arms.append({"sup": mapped(emap, art.objs(t, DKG.supplier)), "rec": mapped(emap, art.objs(t, DKG.recipient)),
                         "systems": systems})
    gold_arms = gold.data.get("arms_transfers", [])

    def arm_score(s, ga):
        if ga.get("supplier") and ga["supplier"] not in s["sup"]:
            return 0
        if ga.get("recipient") and ga["recipient"] not in s["rec"]:
            return 0
        sim = max((name_sim(x, ga.get("system", "")) for x in s["systems"]), default=0)
        if ga.get("system") and sim == 0:
            return 0
        return 1 + sim

    pairs = greedy(sys_arms, gold_arms, arm_score)
    tallies["arms_transfers"].add(len(pairs), len(sys_arms), len(pairs), len(gold_arms))

    # cooperation areas per actor pair
    gold_areas = {(frozenset(a["actors"]), code) for a in gold.data.get("areas", []) for code in a.get("areas", [])}
    sys_areas = set()
    for s, p, o in g.triples((None, DKG.cooperationArea, None)):
        who = set()
        for prop in (DKG.participant, DKG.party, DKG.supplier, DKG.recipient):
            who |= set(art.objs(s, prop))
        who = [w for w in who if w in actors]
        codes = {str(c) for c in g.objects(o, SKOS.notation)} or {str(o).rsplit("/", 1)[-1].rsplit("#", 1)[-1]}
        for i, x in enumerate(who):
            for y in who[i + 1:]:
                for a in emap.get(x, ()):
                    for b in emap.get(y, ()):
                        if a != b:
                            for c in codes:
                                sys_areas.add((frozenset((a, b)), c))
    ok = len(sys_areas & gold_areas)
    extra["areas"].add(ok, len(sys_areas), ok, len(gold_areas))

    # figures
    sys_fig = []
    for f in g.subjects(RDF.type, DKG.Figure):
        try:
            vals = [float(v) for v in art.objs(f, DKG.value)]
        except ValueError:
            vals = []
        sys_fig.append({"vals": vals, "units": {str(u).lower() for u in art.objs(f, DKG.unit)}})
    gold_fig = gold.data.get("figures", [])

    def fig_score(s, gf):
        v = float(gf.get("value", 0))
        close = any(abs(x - v) <= max(abs(v) * 0.01, 1e-9) for x in s["vals"])
        unit_ok = not gf.get("unit") or str(gf["unit"]).lower() in s["units"]
        return 1 if close and unit_ok else 0

    pairs = greedy(sys_fig, gold_fig, fig_score)
    extra["figures"].add(len(pairs), len(sys_fig), len(pairs), len(gold_fig))


def load(path: Path) -> Dataset:
    ds = Dataset(default_union=True)
    fmt = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".jsonld": "json-ld"}.get(path.suffix)
    ds.parse(path, format=fmt)
    return ds


def article_graphs(ds: Dataset):
    """gold id (file stem of dcterms:source) -> the article's named graph."""
    out = {}
    for g in ds.graphs():
        for art in g.subjects(RDF.type, DKG.Article):
            for src in g.objects(art, DCTERMS.source):
                stem = Path(str(src).split("?")[0].rstrip("/")).stem
                out[stem] = ds.graph(art) if (art, None, None) in ds.graph(art) else g
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--graph", required=True, type=Path)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--per-article", action="store_true", help="also print KG-F1 per article")
    args = ap.parse_args(argv)

    graphs = article_graphs(load(args.graph))
    tallies = defaultdict(Tally); extra = defaultdict(Tally); dupes = []
    missing, per_article = [], {}
    for gp in sorted(args.gold.glob("*.json")):
        gold = Gold(json.loads(gp.read_text()))
        gid = gold.data.get("id", gp.stem)
        g = graphs.get(gid) or graphs.get(gp.stem)
        if g is None:
            missing.append(gid)
            g = Dataset().graph(URIRef("urn:empty"))
        local = defaultdict(Tally)
        score_article(ArticleGraph(g), gold, local, defaultdict(Tally), [])
        score_article(ArticleGraph(g), gold, tallies, extra, dupes)
        per_article[gid] = sum(local[k].prf()[2] for k in CORE) / len(CORE)

    result = {k: dict(zip(("p", "r", "f1"), tallies[k].prf())) | {"sys": tallies[k].n_sys, "gold": tallies[k].n_gold}
              for k in ENTITY_TYPES + CORE[3:]}
    for k in ("areas", "figures"):
        result[k] = dict(zip(("p", "r", "f1"), extra[k].prf())) | {"sys": extra[k].n_sys, "gold": extra[k].n_gold}
    ed, st = extra["event_date"], extra["agreement_status"]
    result["event_date_accuracy"] = ed.tp_p / ed.n_sys if ed.n_sys else None
    result["agreement_status_accuracy"] = st.tp_p / st.n_sys if st.n_sys else None
    result["duplicate_entities"] = len(dupes)
    result["missing_articles"] = missing
    result["kg_f1"] = sum(tallies[k].prf()[2] for k in CORE) / len(CORE)
    if args.per_article:
        result["per_article"] = per_article
    if args.json:
        print(json.dumps(result, indent=1, default=str))
        return 0
    print(f"{'facet':22} {'P':>6} {'R':>6} {'F1':>6} {'sys':>5} {'gold':>5}")
    for k in ENTITY_TYPES + CORE[3:] + ["areas", "figures"]:
        r = result[k]
        print(f"{k:22} {r['p']:6.2f} {r['r']:6.2f} {r['f1']:6.2f} {r.get('sys', ''):>5} {r.get('gold', ''):>5}")
    for k in ("event_date_accuracy", "agreement_status_accuracy"):
        v = result[k]
        print(f"{k:22} {'n/a' if v is None else f'{v:.2f}'}")
    print(f"duplicate entities     {len(dupes)}" + (f"  e.g. {dupes[:3]}" if dupes else ""))
    if missing:
        print(f"articles not found in the graph: {', '.join(missing)}")
    if args.per_article:
        for k, v in sorted(per_article.items()):
            print(f"  {k:24} KG-F1 {v:.2f}")
    print(f"KG-F1 {result['kg_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
