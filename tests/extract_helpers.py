"""Shared helpers for extraction tests: run the engine on a short text and look things up."""
import datetime as dt

from kg.articles import Article
from kg.extract import extract

DAY = dt.date(2026, 1, 27)  # a Tuesday


def run(text: str, day: dt.date = DAY):
    return extract(Article(key="test:" + text[:40], source="test.txt", date=day, text=text))


def names(ex, kind: str) -> set[str]:
    return {e.name for e in ex.entities.values() if e.kind == kind}


def entity(ex, kind: str, name: str):
    for e in ex.entities.values():
        if e.kind == kind and (e.name == name or name in e.aliases):
            return e
    raise AssertionError(f"no {kind} {name!r} in {sorted(names(ex, kind))}")


def facts(ex, kind: str):
    return [f for f in ex.facts if f.kind == kind]


def actor_names(ex, ids) -> set[str]:
    return {ex.entities[i].name for i in ids if i in ex.entities}
