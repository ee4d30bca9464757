"""Build a TriG graph straight from the gold files, to check that the gold scores 1.000.

Run: .venv/bin/python tests/devset/gold_to_trig.py -o /tmp/gold.trig
     .venv/bin/python ../shared/eval/score.py --gold tests/devset/gold --graph /tmp/gold.trig
A perfect system would emit this graph, so any score below 1.000 points at a gold file the
scorer cannot match against itself (an event with too few participants, two entities sharing a
name, a relation naming something that is not an entity).
"""
import argparse
import json
from pathlib import Path

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

DKG = Namespace("https://w3id.org/dkg/ontology#")
EVENT_CLASS = {"Meeting": DKG.Meeting, "Visit": DKG.Visit, "Exercise": DKG.Exercise, "Other": DKG.Event}
HERE = Path(__file__).resolve().parent


def add_article(ds: Dataset, gold: dict) -> None:
    base = f"urn:gold:{gold['id']}:"
    g = ds.graph(URIRef(base + "article"))
    g.add((URIRef(base + "article"), RDF.type, DKG.Article))
    g.add((URIRef(base + "article"), DCTERMS.source, Literal(gold["source"])))
    iri = {}
    for i, e in enumerate(gold["entities"]):
        node = iri[e["name"]] = URIRef(f"{base}e{i}")
        g.add((node, RDF.type, DKG[e["type"]]))
        g.add((node, RDFS.label, Literal(e["name"])))
        for alias in e.get("aliases", []):
            g.add((node, SKOS.altLabel, Literal(alias)))
        if e.get("iso3"):
            g.add((node, DKG.isoCode, Literal(e["iso3"])))
    for e in gold["entities"]:
        for a in e.get("affiliation", []):
            g.add((iri[e["name"]], DKG.affiliatedWith, iri[a]))
    for a, b in gold.get("actor_pairs", []):
        g.add((iri[a], DKG.engagesWith, iri[b]))

    def node(kind: str, n: int, cls) -> URIRef:
        out = URIRef(f"{base}{kind}{n}")
        g.add((out, RDF.type, cls))
        return out

    for n, ev in enumerate(gold.get("events", [])):
        s = node("ev", n, EVENT_CLASS[ev["type"]])
        for p in ev.get("participants", []):
            g.add((s, DKG.participant, iri[p]))
        if ev.get("date"):
            g.add((s, DKG.date, Literal(ev["date"], datatype=XSD.date)))
    for n, ag in enumerate(gold.get("agreements", [])):
        s = node("ag", n, DKG.Agreement)
        g.add((s, RDFS.label, Literal(ag["name"])))
        g.add((s, DKG.status, Literal(ag["status"])))
        for p in ag.get("parties", []):
            g.add((s, DKG.party, iri[p]))
    for n, t in enumerate(gold.get("arms_transfers", [])):
        s = node("at", n, DKG.ArmsTransfer)
        for key, prop in (("supplier", DKG.supplier), ("recipient", DKG.recipient), ("system", DKG.system)):
            if t.get(key):
                g.add((s, prop, iri[t[key]]))
    for n, ar in enumerate(gold.get("areas", [])):
        s = URIRef(f"{base}ar{n}")  # untyped: a cooperation, not an extra event to score
        for a in ar["actors"]:
            g.add((s, DKG.participant, iri[a]))
        for code in ar["areas"]:
            area = URIRef(f"urn:gold:area:{code}")
            g.add((area, SKOS.notation, Literal(code)))
            g.add((s, DKG.cooperationArea, area))
    for n, f in enumerate(gold.get("figures", [])):
        s = node("fig", n, DKG.Figure)
        g.add((s, DKG.value, Literal(f["value"])))
        g.add((s, DKG.unit, Literal(f["unit"])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=HERE / "gold")
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    ds = Dataset()
    for path in sorted(args.gold.glob("*.json")):
        add_article(ds, json.loads(path.read_text(encoding="utf-8")))
    ds.serialize(args.output, format="trig")


if __name__ == "__main__":
    main()
