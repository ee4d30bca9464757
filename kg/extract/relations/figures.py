"""Figures: money amounts normalised to a number and an ISO 4217 code ('Euro 12.22 billion' =
12220000000 EUR, 'Rs 2,000 crore' = 20000000000 INR), and rankings ('14th largest')."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .. import resources
from ..context import Context
from ..model import Fact
from .common import states_in

NUM = r"(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
RANK_WORDS = r"(largest|biggest|top|leading|highest|most important|major)"
DIGIT_RUN = re.compile(r"\d[\d,.]*")
# 'the highest share in NATO', 'the largest in Africa': first, with no ordinal written (a named group
# or region after 'in'; 'the largest deal in the country's history' is no rank)
TOP = re.compile(r"\bthe\s+(?:highest|largest|biggest)(?:\s+(?:share|spender|budget|importer|exporter))?"
                 r"\s+(?:in|among)\s+(?:the\s+)?[A-Z][\w-]+")
RANK_GATE = ("largest", "biggest", "top", "leading", "highest", "most important", "major", "rank")
PERCENT_GATE = ("%", "percent", "per cent")
MEASURE_CUT = re.compile(r"\b(totall?ed|stood at|was|were|is|are|worth|valued at|amounting to|amounted to|reached|"
                         r"touched|crossed|of|at|to|rose to|fell to|increased to|grew to|costing|cost)\s*$", re.I)


@lru_cache(maxsize=1)
def patterns():
    res = resources.load()
    forms = sorted(set(res.currencies) | local_words(), key=len, reverse=True)
    cur = "|".join(re.escape(f) for f in forms)
    scales = "|".join(re.escape(s) for s in sorted(res.scales, key=len, reverse=True))
    before = re.compile(rf"(?<![\w$€£₹¥])({cur})\s?{NUM}(?:\s*-?\s*({scales})\b)?", re.I)
    after = re.compile(rf"\b{NUM}\s*-?\s*({scales})?\s+({cur})\b", re.I)
    after_tail = re.compile(rf"\s*-?\s*(?:{scales})?\s+(?:{cur})\b", re.I)   # what `after` wants past the number
    ordinals = "|".join(res.ordinals)
    rank = re.compile(rf"\b(?:(\d{{1,3}})(?:st|nd|rd|th)|({ordinals}))[- ](?:most\s+)?{RANK_WORDS}\b((?:\s+(?!and\b|while\b)[\w-]+){{0,4}})", re.I)
    # 'ranks 15th in the world', 'ranked first on the Global Peace Index': the verb gives the rank
    ranked = re.compile(rf"\brank(?:s|ed)?\s+(?:(\d{{1,3}})(?:st|nd|rd|th)|({ordinals}))\b(?![- ](?:most\s+)?{RANK_WORDS}\b)"
                        # 'ranks 145th of 163 countries on the Global Peace Index'
                        rf"(?:\s+(?:out\s+)?of\s+\d{{1,3}}(?:\s+(?:countries|nations|states))?)?"
                        rf"(\s+(?:in|on|among|for)\b(?:\s+(?!and\b|while\b|ahead\b)[\w-]+){{1,4}})", re.I)
    return before, after, (rank, ranked), res, after_tail


@lru_cache(maxsize=1)
def currency_forms() -> tuple[str, ...]:
    return tuple(sorted({f.lower() for f in set(resources.load().currencies) | local_words()}))


@lru_cache(maxsize=1)
def forms_by_last_char() -> dict[str, tuple[str, ...]]:
    """The currency forms by their last character: a number's preceding text is compared with the
    few forms that can end it, not with all of them."""
    out: dict[str, list[str]] = {}
    for f in currency_forms():
        out.setdefault(f[-1:], []).append(f)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def local_words() -> set[str]:
    """Currency words that only mean money in a story filed from a country ('crowns' in Oslo)."""
    return {w for table in local_currencies().values() for w in table}


def _money_possible(low: str) -> bool:
    """Could `before` or `after` match in this (lower-case) sentence? A superset test at each
    number: a currency form ending right before it (`before`: at most one space between), or
    the tail of `after` (a scale word, spaces, a currency) starting right after it."""
    by_last, after_tail = forms_by_last_char(), patterns()[4]
    for m in DIGIT_RUN.finditer(low):
        a, b = m.span()
        head = low[max(0, a - 20):a]
        if head.endswith(by_last.get(head[-1:], ())) or \
                (head[-1:].isspace() and head[:-1].endswith(by_last.get(head[-2:-1], ()))):
            return True
        if after_tail.match(low, b):
            return True
    return False


PERCENT = re.compile(rf"\b{NUM}\s*(?:%|percent\b|per cent\b)(?=\s+of\b)", re.I)  # a share: '2% of GDP'
# the earlier level of a share named in the same sentence: '3% of GDP by 2030, from 2.2% this year'
PERCENT_FROM = re.compile(rf"\b(?:from|compared with|against)\s+(?:about\s+|around\s+|roughly\s+|some\s+)?"
                          rf"{NUM}\s*(?:%|percent\b|per cent\b)(?!\s+of\b)", re.I)


@lru_cache(maxsize=1)
def local_currencies() -> dict[str, dict[str, str]]:
    data = json.loads((resources.DATA / "rules/local_currencies.json").read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _subject_currency(ctx: Context, sent, word: str) -> str | None:
    """'Pakistan's defence budget rose to 2.55 trillion rupees', filed from Riyadh: the local currency
    of the first state of the sentence that has that word for its currency ('India and Nepal signed
    projects worth Rs 2,000 crore' is in rupees of India)."""
    for _, e in sent.mentions:
        ent = ctx.entities[e]
        if ent.kind == "Country":
            code = local_currencies().get(ent.iso3, {}).get(word)
            if code:
                return code
    return None


def _home_iso(ctx: Context) -> str | None:
    place = ctx.dateline_place()
    return ctx.entities[place].country if place else None


def _value(num: str, scale: str | None, scales: dict) -> float:
    v = float(num.replace(",", ""))
    return round(v * scales.get((scale or "").lower(), 1), 2)  # 8.7 trillion is 8.7e12, not 8699999999999.999


TAIL_WORDS = {"of", "the", "a", "an", "in", "for", "to", "with", "among", "by", "at", "on", "its", "their"}


def _trim_tail(surface: str) -> str:
    """'14th largest trading partner of the' -> '14th largest trading partner': the cut words end the phrase."""
    words = surface.split()
    while len(words) > 2 and words[-1].lower() in TAIL_WORDS:
        words.pop()
    return " ".join(words)


def _measure(text: str, start: int) -> str:
    head = text[:start]
    head = re.split(r"[,;:(]|\bwhile\b|\bwhereas\b", head)[-1]
    head = MEASURE_CUT.sub("", head.strip()).strip()
    head = re.sub(r"^(In|in|By|by|During|during)\s+\d{4}\s*", "", head)
    words = head.split()
    return " ".join(words[-8:]) or "amount"


def find_figures(ctx: Context) -> list[Fact]:
    before, after, rank, res, _ = patterns()
    facts: list[Fact] = []
    home = _home_iso(ctx)
    for sent in ctx.sents:
        text = sent.text
        found = []
        # cheap tests first: money needs a currency next to a number; a share a percent word; a rank a rank word
        low = text.lower()
        money = _money_possible(low)
        share = any(w in low for w in PERCENT_GATE)
        if not money and not share and not any(w in low for w in RANK_GATE):
            continue
        local = local_currencies().get(home, {}) if home else {}
        for m in (before.finditer(text) if money else ()):
            code = _subject_currency(ctx, sent, m.group(1)) or local.get(m.group(1)) or \
                _currency(m.group(1), res)
            if code:
                found.append((m.start(), _value(m.group(2), m.group(3), res.scales), code, m.group(0)))
        for m in (after.finditer(text) if money else ()):
            code = _subject_currency(ctx, sent, m.group(3)) or local.get(m.group(3)) or \
                _currency(m.group(3), res)
            if code and not any(s <= m.start() < s + len(g) for s, _, _, g in found):
                found.append((m.start(), _value(m.group(1), m.group(2), res.scales), code, m.group(0)))
        shares = list(PERCENT.finditer(text)) if share else []
        if shares:
            shares += PERCENT_FROM.finditer(text)
        for m in shares:
            if not any(s <= m.start() < s + len(g) for s, _, _, g in found):
                found.append((m.start(), float(m.group(1).replace(",", "")), "percent", m.group(0)))
        for m in (x for pattern in rank for x in pattern.finditer(text)):
            n = int(m.group(1)) if m.group(1) else res.ordinals[m.group(2).lower()]
            found.append((m.start(), float(n), "rank", _trim_tail(m.group(0))))
        for m in (TOP.finditer(text) if "the " in text else ()):
            found.append((m.start(), 1.0, "rank", _trim_tail(m.group(0))))
        if not found:
            continue
        who = states_in(ctx, sent, with_refs=True)
        if len(who) < 2 and ctx.main_pair and re.search(r"\bbilateral\b|\btwo countries\b", text, re.I):
            who = list(dict.fromkeys(who + list(ctx.main_pair)))
        year = next((d.year for d in sent.dates if d.year and d.precision in ("year", "month")), None) or \
            ctx.sentence_year(sent)
        for start, value, unit, surface in found:
            measure = _measure(text, start) if unit != "rank" else f"rank: {surface.strip()}"
            if unit == "percent":
                measure = _trim_tail(f"share: {surface.strip()} {_after_of(text, start + len(surface))}".strip())
            facts.append(Fact(kind="Figure", rule={"rank": "figure:rank", "percent": "figure:percent"}.get(unit, "figure:money"),
                              sentences=[sent.index], participants=who, measure=measure, value=value, unit=unit,
                              year=year if unit != "rank" else None,
                              label=measure if unit == "rank" else f"{measure}: {value:g}%" if unit == "percent"
                              else f"{measure}: {value:,.0f} {unit}"))
    return facts


def _currency(form: str, res) -> str | None:
    if form in res.currencies:
        return res.currencies[form]
    for f, code in res.currencies.items():
        if f.lower() == form.lower() and len(f) > 1:
            return code
    return None


def _after_of(text: str, end: int) -> str:
    """What a share is of: '2% of GDP' -> 'of GDP'."""
    m = re.match(r"\s+of\s+((?:[\w'’.-]+\s*){1,4})", text[end:])
    return f"of {m.group(1).strip().rstrip('.,;')}" if m else ""
