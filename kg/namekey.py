"""The normalised lookup key of a name: what the entity graph indexes and what a typed name is
matched by (kg.params), computed here only so that writing and looking up always agree."""
from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """`name` NFKC-normalised, case-folded and with runs of whitespace made one space ("  INDIA " ->
    "india", "ＵＳＡ" -> "usa"): spellings a reader would call the same name get the same key."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
