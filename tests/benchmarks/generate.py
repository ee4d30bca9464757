"""Synthetic defence news for the benchmarks: deterministic, about 500 words an article, streamed.

Actors come from the project's own data files (kg/data/*.jsonl, titles.txt), so the extractor meets
the names it knows, in the sentence shapes of the field: meetings, visits, phone calls, agreements
signed or proposed, arms orders and deliveries with quantities and values, exercises and clashes,
with dates written the way wires write them ("on Tuesday", "last week", "in March 2024").

Article i depends only on (seed, i), so a corpus of 100,000 is the first 1,000 of it extended, and
nothing is held in memory but the article being written.

    python tests/benchmarks/generate.py --n 1000 --out /tmp/corpus --seed 1          # .txt folder
    python tests/benchmarks/generate.py --n 100000 --out /tmp/corpus.jsonl --seed 1  # JSON Lines
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).resolve().parents[2] / "kg" / "data"
TARGET_WORDS = 500
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2025, 6, 30)

# Countries that fill most defence pages; the rest of the gazetteer still appears, less often.
FREQUENT = ("IND USA FRA GBR DEU JPN AUS KOR CHN RUS ISR ARE SAU PHL IDN VNM ITA ESP POL UKR TUR BRA "
            "EGY PAK BGD LKA SGP MYS THA NLD BEL SWE NOR GRC CAN NZL KEN NGA ZAF QAT OMN").split()
GIVEN = {"he": "Arjun Rahul Pierre Thomas James Hiroshi Kenji Lukas Marco Carlos Ahmed Omar Ivan Dmitri "
               "Daniel Michael Peter Jonas Rajesh Vikram Nguyen Budi Andrzej Mehmet Samuel".split(),
         "she": "Anita Priya Claire Sophie Emma Yuki Aiko Anna Maria Lucia Fatima Leila Olga Kaja Sarah "
                "Ingrid Helena Meera Ewa Ayse Grace Amina Sunita Hanna Laura".split()}
SURNAMES = ("Sharma Mehta Dubois Lefevre Hughes Carter Tanaka Sato Weber Fischer Rossi Bianchi Garcia "
            "Lopez Haddad Mansour Petrov Volkov Cohen Levi Kowalski Nowak Yilmaz Demir Okafor Mwangi "
            "Santos Silva Andersen Larsen Novak Horvat Nair Reddy Iyer Kim Park Tran Wibowo Rahman").split()
ROLE = re.compile(r"(Defen[cs]e Minister|Foreign Minister|Defen[cs]e Secretary|Chief of (Army|Naval|Air) "
                  r"Staff|National Security Advis[eo]r|Prime Minister|^President$|^Ambassador$|"
                  r"Secretary of Defense|External Affairs Minister|Minister of Defen[cs]e)")
AREAS = ("maritime security", "defence industrial cooperation", "counter-terrorism", "cyber security",
         "space", "joint research and development", "training and education", "logistics support",
         "intelligence sharing", "humanitarian assistance and disaster relief", "co-production of equipment")
AGREEMENT_KINDS = ("memorandum of understanding", "defence cooperation agreement", "logistics support agreement",
                   "implementing arrangement", "roadmap for defence industrial cooperation",
                   "agreement on the protection of classified information")
AGENCIES = ("PTI", "Reuters", "AFP", "AP", "ANI", "Xinhua", "Yonhap", "Kyodo", "dpa", "IANS")
CURRENCIES = {"IND": ("Rs", "crore"), "FRA": ("Euro", "billion"), "DEU": ("EUR", "million"),
              "GBR": ("GBP", "million"), "ITA": ("EUR", "million"), "ESP": ("EUR", "million")}
ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
            "thirteenth fourteenth fifteenth").split()
MONTHS = ("January February March April May June July August September October November December").split()


@dataclass
class Country:
    iso3: str
    name: str
    adjective: str
    capital: str


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@lru_cache(maxsize=1)
def gazetteer() -> dict:
    """The data files, read once per process, grouped the way the templates ask for them."""
    countries = {}
    for c in load_jsonl("countries.jsonl"):
        if c.get("capital") and c.get("demonyms"):
            countries[c["iso3"]] = Country(c["iso3"], c["name"], c["demonyms"][0], c["capital"])
    orgs = load_jsonl("organisations.jsonl")
    by_country: dict[tuple[str, str], list[str]] = {}
    for o in orgs:
        if o.get("country"):
            by_country.setdefault((o["country"], o["kind"]), []).append(o["name"])
    weapons = load_jsonl("weapons.jsonl")
    titles = [t.strip() for t in (DATA / "titles.txt").read_text(encoding="utf-8").splitlines()]
    places: dict[str, list[str]] = {}
    for p in load_jsonl("places.jsonl"):
        places.setdefault(p["country"], []).append(p["name"])
    return {
        "countries": countries,
        "weights": [8 if iso in FREQUENT else 1 for iso in countries],
        "orgs": by_country,
        "international": [o["name"] for o in orgs if o["kind"] == "international"],
        "weapons": weapons,
        "weapons_by_origin": _group(weapons, "origin"),
        "exercises": load_jsonl("exercises.jsonl"),
        "roles": [t for t in titles if ROLE.search(t)],
        "places": places,
        "regions": [r["name"] for r in load_jsonl("regions.jsonl")],
    }


def article_for(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.get(key) or "", []).append(r)
    return out


class ArticleWriter:
    """One article: its cast is chosen first, then paragraphs are drawn until about 500 words."""

    def __init__(self, rng: random.Random, day: dt.date):
        self.rng, self.day, self.g = rng, day, gazetteer()
        isos = list(self.g["countries"])
        a, b = rng.choices(isos, weights=self.g["weights"], k=2)
        while b == a:
            b = rng.choice(isos)
        self.a, self.b = self.g["countries"][a], self.g["countries"][b]
        self.pa, self.pb = self.person(self.a), self.person(self.b)

    # -- the cast ---------------------------------------------------------------------------------
    def person(self, country: Country) -> dict:
        pron = self.rng.choice(("he", "she"))
        name = f"{self.rng.choice(GIVEN[pron])} {self.rng.choice(SURNAMES)}"
        return {"name": name, "surname": name.split()[-1], "role": self.rng.choice(self.g["roles"]),
                "country": country, "pron": pron}

    def full(self, p: dict) -> str:
        return f"{p['country'].adjective} {p['role']} {p['name']}"

    def org(self, country: Country, kind: str) -> str:
        names = self.g["orgs"].get((country.iso3, kind))
        return self.rng.choice(names) if names else f"the {country.adjective} armed forces"

    def weapon(self, origin: Country) -> dict:
        pool = self.g["weapons_by_origin"].get(origin.iso3) or self.g["weapons"]
        return self.rng.choice(pool)

    def place(self, country: Country) -> str:
        return self.rng.choice(self.g["places"].get(country.iso3) or [country.capital])

    # -- dates and figures -----------------------------------------------------------------------
    def when(self) -> str:
        r, day = self.rng.random(), self.day
        if r < 0.45:
            return "on " + (day - dt.timedelta(days=self.rng.randint(0, 5))).strftime("%A")
        if r < 0.6:
            return self.rng.choice(("last week", "earlier this month", "last month"))
        past = day - dt.timedelta(days=self.rng.randint(7, 400))
        if r < 0.8:
            return f"on {MONTHS[past.month - 1]} {past.day}"
        return f"in {MONTHS[past.month - 1]} {past.year}"

    def money(self, buyer: Country) -> str:
        unit, scale = CURRENCIES.get(buyer.iso3, (self.rng.choice(("$", "USD", "US$")), "million"))
        if scale == "crore":
            return f"Rs {self.rng.randint(2, 90) * 500:,} crore"
        if scale == "billion" or self.rng.random() < 0.3:
            return f"{unit} {self.rng.randint(11, 250) / 10:g} billion"
        sep = "" if unit in ("$", "US$") else " "
        return f"{unit}{sep}{self.rng.randint(5, 95) * 10} million"

    # -- paragraphs ------------------------------------------------------------------------------
    def lead(self) -> str:
        dateline = f"{self.a.capital.upper()}, {self.day:%b} {self.day.day} ({self.rng.choice(AGENCIES)})"
        kind = self.rng.choice((self.meeting, self.visit, self.agreement, self.arms, self.exercise, self.clash))
        return f"{dateline} - {kind()}"

    def meeting(self) -> str:
        pa, pb = self.pa, self.pb
        return (f"{self.full(pa)} met {self.full(pb)} in {self.place(self.a)} {self.when()} and discussed "
                f"{self.rng.choice(AREAS)} and {self.rng.choice(AREAS)} in the {self.rng.choice(self.g['regions'])}, "
                f"officials said.")

    def visit(self) -> str:
        days = self.rng.choice(("two-day", "three-day", "four-day", "week-long"))
        return (f"{self.full(self.pb)} arrived in {self.a.capital} {self.when()} on a {days} official visit "
                f"to {self.a.name}, the first by a {self.b.adjective} {self.pb['role']} in {self.rng.randint(3, 12)} years.")

    def phone_call(self) -> str:
        return (f"{self.pa['surname']} also spoke by phone with {self.b.adjective} {self.rng.choice(self.g['roles'])} "
                f"{self.person(self.b)['name']} {self.when()} to review the progress of bilateral projects.")

    def agreement(self) -> str:
        kind = self.rng.choice(AGREEMENT_KINDS)
        area = self.rng.choice(AREAS)
        verb = self.rng.random()
        if verb < 0.5:
            return (f"{self.a.name} and {self.b.name} {self.when()} signed {article_for(kind)} {kind} on {area}, with "
                    f"{self.pa['role']} {self.pa['name']} and {self.pb['role']} {self.pb['name']} inking the document.")
        if verb < 0.8:
            return (f"{self.a.name} and {self.b.name} agreed to explore {article_for(kind)} {kind} on {area} during talks "
                    f"between {self.full(self.pa)} and {self.full(self.pb)} {self.when()}.")
        return (f"Officials said {self.a.name} and {self.b.name} were negotiating {article_for(kind)} {kind} on {area} and hoped "
                f"to finalise it before the end of the year.")

    def arms(self) -> str:
        seller, buyer = (self.a, self.b) if self.rng.random() < 0.5 else (self.b, self.a)
        w = self.weapon(seller)
        company = self.org(seller, "company")
        qty = self.rng.choice((2, 3, 4, 6, 8, 12, 16, 24, 26, 36, 48, 100))
        if self.rng.random() < 0.55:
            return (f"{buyer.name} {self.when()} signed a contract worth {self.money(buyer)} with {company} for "
                    f"{qty} {w['name']} {w.get('kind', 'systems')} units, according to a statement from "
                    f"{self.org(buyer, 'government')}.")
        return (f"{seller.name} {self.when()} delivered the first batch of {qty} {w['name']} systems to "
                f"{buyer.name}, {self.rng.randint(2, 5)} years after the two countries firmed up the deal.")

    def exercise(self) -> str:
        ex = [e for e in self.g["exercises"] if self.a.iso3 in e.get("participants", [])]
        name = self.rng.choice(ex or self.g["exercises"])["name"]
        edition = self.rng.choice(ORDINALS)
        return (f"The {edition} edition of Exercise {name} between {self.org(self.a, 'military')} and "
                f"{self.org(self.b, 'military')} began {self.when()} off {self.place(self.a)}, with "
                f"{self.rng.randint(2, 14)} ships and {self.rng.randint(500, 3000):,} personnel taking part.")

    def clash(self) -> str:
        return (f"{self.a.name} {self.when()} condemned what it called an unprovoked attack after its troops "
                f"clashed with {self.b.adjective} forces near {self.place(self.a)}, and {self.org(self.a, 'government')} "
                f"summoned the {self.b.adjective} ambassador.")

    def quote(self) -> str:
        p = self.rng.choice((self.pa, self.pb))
        other = self.pb if p is self.pa else self.pa
        said = self.rng.choice(("said", "told reporters", "said in a statement", "added"))
        line = self.rng.choice((
            f"Our partnership with {other['country'].name} is built on trust and shared interests",
            "This agreement will deepen cooperation between our armed forces",
            f"We are committed to a free, open and rules-based {self.rng.choice(self.g['regions'])}",
            "Defence industrial cooperation is a pillar of our relationship",
        ))
        ref = p["surname"] if self.rng.random() < 0.6 or "Minister" not in p["role"] else "the minister"
        return f'"{line}," {ref} {said}.'

    def background(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return (f"Bilateral trade between {self.a.name} and {self.b.name} stood at USD {self.rng.randint(5, 900) / 10:g} "
                    f"billion in {self.day.year - 1}, and {self.b.name} is the {ORDINALS[self.rng.randint(0, 14)]} "
                    f"largest export destination for {self.a.adjective} defence goods.")
        if r < 0.55:
            org = self.rng.choice(self.g["international"])
            return (f"Both countries are members of the {org}, and {self.pa['pron']} said the two sides would "
                    f"coordinate their positions ahead of its next meeting in {self.place(self.b)}.")
        if r < 0.8:
            w = self.weapon(self.b)
            return (f"{self.b.name} already operates the {w['name']}, and {self.org(self.b, 'military')} has "
                    f"asked for more of them as it replaces ageing equipment.")
        return (f"The {self.rng.choice(self.g['regions'])} has seen rising tensions, and analysts in "
                f"{self.a.capital} said the visit signalled a shift in {self.a.adjective} priorities.")

    def recast(self) -> None:
        """Later paragraphs bring in a third country now and then, as wires do for context."""
        if self.rng.random() < 0.4:
            c = self.g["countries"][self.rng.choices(list(self.g["countries"]), weights=self.g["weights"])[0]]
            if c.iso3 not in (self.a.iso3, self.b.iso3):
                self.b, self.pb = c, self.person(c)

    def body(self) -> str:
        paras = [self.lead()]
        extra = [self.meeting, self.visit, self.phone_call, self.agreement, self.arms, self.exercise,
                 self.clash, self.quote, self.background, self.background, self.quote]
        deck: list = []
        words = len(paras[0].split())
        while words < TARGET_WORDS:
            sentences = []
            for _ in range(self.rng.randint(1, 3)):
                if not deck:            # each kind once before any repeats
                    deck = self.rng.sample(extra, len(extra))
                sentences.append(deck.pop()())
            self.recast()
            para = " ".join(sentences)
            paras.append(para)
            words += len(para.split())
        return "\n\n".join(paras)


def article(seed: int, i: int) -> dict:
    """Article i of the corpus for `seed`: {"id", "date", "text"}; the same call, the same article."""
    rng = random.Random(f"{seed}:{i}")
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    return {"id": f"bench-{seed}-{i:06d}", "date": day.isoformat(), "text": ArticleWriter(rng, day).body()}


def articles(n: int, seed: int = 1) -> Iterator[dict]:
    for i in range(n):
        yield article(seed, i)


def write_corpus(n: int, out: str | Path, seed: int = 1) -> Path:
    """A .jsonl path gets JSON Lines; anything else a folder of .txt files (1,000 per sub-folder)."""
    out = Path(out)
    if out.suffix == ".jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            for art in articles(n, seed):
                fh.write(json.dumps(art, ensure_ascii=False) + "\n")
        return out
    for i, art in enumerate(articles(n, seed)):
        path = out / f"{i // 1000:03d}" / f"{art['id']}.txt"
        if i % 1000 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f" date {art['date']} {art['text']}\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="how many articles (default 1000)")
    ap.add_argument("--out", required=True, help="a folder for .txt files, or FILE.jsonl")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    path = write_corpus(args.n, args.out, args.seed)
    print(f"{args.n:,} articles -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
