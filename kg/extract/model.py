"""What extraction returns: entities and facts of one article, each fact with its evidence.

Plain dataclasses, independent of spaCy and of RDF, so the RDF builder, `kg explain` and the
tests all read the same structure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Entity:
    kind: str                       # Person | Country | Organisation | Place | Region | WeaponSystem
    key: str                        # ISO3 for countries, canonical name otherwise: the IRI's seed
    name: str                       # canonical label
    aliases: set[str] = field(default_factory=set)
    iso3: str | None = None
    org_kind: str | None = None
    country: str | None = None      # key of the Country an organisation or place belongs to
    titles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)  # entity ids (kind:key) a person represents
    source: str = "gazetteer"       # how it was recognised (gazetteer, pattern, acronym, ...)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class Fact:
    kind: str                       # Meeting | Visit | Exercise | Event | Agreement | ArmsTransfer | Figure
    rule: str                       # the rule that produced it, shown by `kg explain`
    sentences: list[int] = field(default_factory=list)  # indices into Extraction.sentences
    participants: list[str] = field(default_factory=list)   # entity ids
    date: dt.date | None = None
    location: str | None = None
    polarity: str | None = None
    label: str | None = None
    name: str | None = None         # agreement or exercise name
    agreement_kind: str | None = None
    status: str | None = None
    signatories: list[str] = field(default_factory=list)
    supplier: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    quantity: int | None = None
    measure: str | None = None
    value: float | None = None
    unit: str | None = None
    year: int | None = None
    areas: set[str] = field(default_factory=set)
    regions: list[str] = field(default_factory=list)

    def actors(self) -> list[str]:
        return list(dict.fromkeys(self.participants + self.supplier + self.recipient))


@dataclass
class Mention:
    start: int                      # character offsets in the article text
    end: int
    text: str
    entity: str                     # entity id
    sentence: int
    rule: str


@dataclass
class Extraction:
    date: dt.date
    sentences: list[tuple[int, int]]        # character spans of sentences
    text: str
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    pairs: set[frozenset] = field(default_factory=set)   # engagesWith pairs of entity ids

    def sentence_text(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.text[s:e]
