"""The data files behind extraction (kg/data), loaded once per process.

Everything language- or world-specific lives in those files: gazetteers, titles, cue words,
currencies. Code here only reads and indexes them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent.parent / "data"


def jsonl(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def lines(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        return []
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip() and not s.startswith("#")]


@dataclass
class GazEntry:
    """One surface form in a gazetteer: what it names and how."""
    kind: str                 # Country | Organisation | Place | Region | WeaponSystem | Exercise | Person
    key: str                  # ISO3 for countries, canonical name otherwise
    form: str                 # "name", "alias", "demonym", "capital"
    info: dict = field(default_factory=dict)


@dataclass
class Resources:
    entries: dict[str, list[GazEntry]]           # surface text -> entries
    countries: dict[str, dict]                   # ISO3 -> record
    orgs: dict[str, dict]
    places: dict[str, dict]
    weapons: dict[str, dict]
    exercises: dict[str, dict]
    titles: list[str]
    honorifics: list[str]
    officeholders: list[dict]
    areas: list[dict]
    cues: list[dict]
    currencies: dict[str, str]                   # surface form -> ISO 4217
    scales: dict[str, float]
    cardinals: dict[str, int]
    ordinals: dict[str, int]
    ambiguous: dict[str, dict]
    us_state_context: list[str]
    name_stopwords: set[str]
    speech_verbs: set[str]
    demonym_to_iso: dict[str, str]


def _valid_iso3(code: str) -> bool:
    return bool(code) and (pycountry.countries.get(alpha_3=code) is not None or code in {"XKX", "TWN", "PSE", "VAT"})


@lru_cache(maxsize=1)
def load() -> Resources:
    entries: dict[str, list[GazEntry]] = {}

    def add(text: str, entry: GazEntry):
        text = (text or "").strip()
        if len(text) < 2:
            return
        bucket = entries.setdefault(text, [])
        if not any(e.kind == entry.kind and e.key == entry.key for e in bucket):
            bucket.append(entry)

    countries, demonyms = {}, {}
    for rec in jsonl("countries.jsonl"):
        iso = rec.get("iso3", "").upper()
        if not _valid_iso3(iso):
            continue
        countries[iso] = rec
        add(rec["name"], GazEntry("Country", iso, "name"))
        for a in rec.get("aliases", []):
            add(a, GazEntry("Country", iso, "alias"))
        for d in rec.get("demonyms", []):
            add(d, GazEntry("Country", iso, "demonym"))
            demonyms[d] = iso
        for c in [rec.get("capital")] + rec.get("capital_aliases", []):
            if c:
                add(c, GazEntry("Place", c if c == rec.get("capital") else rec.get("capital"), "capital", {"country": iso}))
    orgs = {}
    for rec in jsonl("organisations.jsonl"):
        orgs[rec["name"]] = rec
        add(rec["name"], GazEntry("Organisation", rec["name"], "name", rec))
        for a in rec.get("aliases", []):
            add(a, GazEntry("Organisation", rec["name"], "alias", rec))
    places = {}
    for rec in jsonl("places.jsonl"):
        places[rec["name"]] = rec
        add(rec["name"], GazEntry("Place", rec["name"], "name", rec))
        for a in rec.get("aliases", []):
            add(a, GazEntry("Place", rec["name"], "alias", rec))
    for rec in jsonl("regions.jsonl"):
        add(rec["name"], GazEntry("Region", rec["name"], "name", rec))
        for a in rec.get("aliases", []):
            add(a, GazEntry("Region", rec["name"], "alias", rec))
    weapons = {}
    for rec in jsonl("weapons.jsonl"):
        weapons[rec["name"]] = rec
        add(rec["name"], GazEntry("WeaponSystem", rec["name"], "name", rec))
        for a in rec.get("aliases", []):
            add(a, GazEntry("WeaponSystem", rec["name"], "alias", rec))
    exercises = {}
    for rec in jsonl("exercises.jsonl"):
        exercises[rec["name"]] = rec
        for a in [rec["name"]] + rec.get("aliases", []):
            add(a, GazEntry("Exercise", rec["name"], "name", rec))
    officeholders = jsonl("officeholders.jsonl")
    for rec in officeholders:
        add(rec["name"], GazEntry("Person", rec["name"], "name", rec))
        for a in rec.get("aliases", []):
            if len(a.split()) > 1:  # full-name spellings ('Abdel Fattah al-Sisi'); a lone surname stays a reference
                add(a, GazEntry("Person", rec["name"], "alias", rec))

    currencies = {}
    for rec in jsonl("rules/currencies.jsonl"):
        for f in rec["forms"]:
            currencies[f] = rec["code"]
    numbers = json.loads((DATA / "rules/numbers.json").read_text())
    return Resources(
        entries=entries, countries=countries, orgs=orgs, places=places, weapons=weapons, exercises=exercises,
        titles=lines("titles.txt"), honorifics=lines("honorifics.txt"), officeholders=officeholders,
        areas=jsonl("areas.jsonl"), cues=jsonl("event_cues.jsonl"), currencies=currencies,
        scales=json.loads((DATA / "rules/scales.json").read_text()),
        cardinals=numbers["cardinals"], ordinals=numbers["ordinals"],
        ambiguous={r["name"]: r for r in jsonl("rules/ambiguous.jsonl")},
        us_state_context=lines("rules/us_state_context.txt"),
        name_stopwords=set(lines("rules/name_stopwords.txt")),
        speech_verbs=set(lines("rules/speech_verbs.txt")),
        demonym_to_iso=demonyms,
    )
