"""A tiny stand-in extractor: deterministic facts from marker tokens, so store behaviour can be
tested independently of how well the real extractor reads a given sentence.

Tokens like IND or FRA (three capitals) become countries; every article gets one Meeting between
them and an engagesWith pair for each two of them; 'FAIL' makes extraction raise.
"""
from __future__ import annotations

import itertools
import re

from kg.extract.model import Entity, Extraction, Fact


def fake_extract(article) -> Extraction:
    text = article.text
    if "FAIL" in text:
        raise RuntimeError("the extractor tripped\non purpose")
    ex = Extraction(date=article.date, sentences=[(0, len(text))], text=text)
    codes = list(dict.fromkeys(re.findall(r"\b[A-Z]{3}\b", text)))
    for code in codes:
        ex.entities[f"Country:{code}"] = Entity("Country", code, f"Country {code}", iso3=code)
    ids = list(ex.entities)
    if ids:
        ex.facts.append(Fact("Meeting", "fake", [0], participants=ids, date=article.date, polarity="cooperation",
                             label=f"Meeting of {', '.join(codes)}"))
    ex.pairs = {frozenset(p) for p in itertools.combinations(ids, 2)}
    return ex
