"""Check the development-set gold files the three ways README.md describes.

Run: python tests/devset/check_gold.py [dNN ...]
1. every gold file parses as JSON and its id, source and date match its article;
2. every name used in events, agreements, transfers, pairs, areas, figures and affiliations is an
   entity name in the same file;
3. every entity name and alias occurs in the article text (ignoring case; datelines are in
   capitals). A Country whose name is absent is only noted: an adjective ("German") mentions it.
Exits 1 and lists the problems when a check fails.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s")


def referenced_names(gold: dict):
    """Yield (where, name) for every name the relations and affiliations use."""
    for e in gold["entities"]:
        for a in e.get("affiliation", []):
            yield "affiliation", a
    for ev in gold.get("events", []):
        yield from (("event", p) for p in ev.get("participants", []))
        if ev.get("location"):
            yield "event location", ev["location"]
    for ag in gold.get("agreements", []):
        yield from (("agreement", p) for p in ag.get("parties", []) + ag.get("signatories", []))
    for t in gold.get("arms_transfers", []):
        yield from (("transfer", t[k]) for k in ("supplier", "recipient", "system") if t.get(k))
    for pair in gold.get("actor_pairs", []):
        yield from (("pair", p) for p in pair)
    for ar in gold.get("areas", []):
        yield from (("areas", p) for p in ar["actors"])
    for f in gold.get("figures", []):
        yield from (("figure", p) for p in f.get("actors", []))


def check(stem: str, notes: list[str]) -> list[str]:
    problems = []
    text = (HERE / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
    try:
        gold = json.loads((HERE / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{stem}: not JSON: {exc}"]
    m = HEADER.match(text)
    if (gold.get("id"), gold.get("source"), gold.get("date")) != (stem, f"{stem}.txt", m and m.group(1)):
        problems.append(f"{stem}: id/source/date do not match the article")
    names = {e["name"] for e in gold["entities"]}
    actors = {e["name"] for e in gold["entities"] if e["type"] in ("Country", "Organisation")}
    for where, name in referenced_names(gold):
        if name not in names:
            problems.append(f"{stem}: {where} name {name!r} is not an entity")
    for pair in gold.get("actor_pairs", []):
        if len(pair) != 2 or not set(pair) <= actors:
            problems.append(f"{stem}: actor pair {pair} is not two states/organisations")
    lowered = text.casefold()
    for e in gold["entities"]:
        for form in [e["name"], *e.get("aliases", [])]:
            if form.casefold() not in lowered:
                if e["type"] == "Country" and form == e["name"]:
                    notes.append(f"{stem}: note: Country {form!r} is mentioned only by adjective or alias")
                else:
                    problems.append(f"{stem}: {e['type']} form {form!r} is not in the text")
    return problems


def main(argv: list[str]) -> int:
    stems = argv or sorted(p.stem for p in (HERE / "gold").glob("*.json"))
    notes: list[str] = []
    problems = [p for s in stems for p in check(s, notes)]
    print("\n".join(notes + problems))
    if not problems:
        print(f"{len(stems)} gold files pass the three checks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
