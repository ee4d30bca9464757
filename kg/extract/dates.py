"""Dates in the text, resolved against the article date.

"on Tuesday" is the latest Tuesday on or before the article date; "yesterday", "last week",
"on January 27" (the latest such day not after the article, unless a year is given), "27 January
2026", "in March 2024" (month precision), "in 2021" (year precision).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
M = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

PATTERNS = [
    ("mdy", re.compile(rf"\b{M}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{M},?\s+(\d{{4}})\b")),
    ("md", re.compile(rf"\b(?:on|since|from|until|by|till|before|after|of)\s+{M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.I)),
    ("dm", re.compile(rf"\b(?:on|since|from|until|by|till|before|after)\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{M}\b(?!,?\s*\d{{4}})")),
    # AP style, no preposition: 'held Jan. 20', 'talks Feb 3-4' (capitalised month; 'May' is too often the verb),
    # after a lower-case word, so a dateline ('TOKYO, Nov 14 --') is not read as the day of what it reports
    ("md_bare", re.compile(r"(?:(?<=[a-z] )|(?<=[a-z], ))(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|June?|July?|Aug(?:ust)?|"
                           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                           r"(?!,?\s*\d{4})(?![:.]\d)")),
    ("my", re.compile(rf"\b(?:in|since|from|until|by|during|of)\s+(?:early\s+|late\s+|mid-?)?{M},?\s+(\d{{4}})\b", re.I)),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("weekday", re.compile(r"\b(?:on|last|this|since|from|until|by|earlier on|late on|early on)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                           r"|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:(?:'s|’s)\b|\s+(?:said|announced|signed|met|held))", re.I)),
    # AP style drops the 'on': 'agreed Wednesday', 'said late Tuesday' (a lower-case word, then the weekday)
    ("weekday_bare", re.compile(r"\b(?!(?:next|every|each|coming|following|until|till|before|through)\b)[a-z]+,?\s+"
                                r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("today", re.compile(r"\b(today|tonight|this morning|this afternoon|this evening|yesterday|day before yesterday)\b", re.I)),
    ("relative", re.compile(r"\b(?:last|past|previous|earlier this|this|next)\s+(week|month|year)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|by|of|for)\s+((?:19|20)\d{2})\b(?!-)", re.I)),
]


# What each pattern cannot match without, checked cheaply first: most sentences hold no date,
# and running every pattern over every sentence was a tenth of extraction time. Each test is a
# superset of what its patterns match, so skipping never loses a date.
_STEMS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
MONTH_NEAR_DIGIT = re.compile(rf"(?:{_STEMS})[a-z]*\.?,?\s+\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_STEMS})", re.I)
WEEKDAYS_LOW = tuple(WEEKDAYS)
RELATIVE_UNITS = ("week", "month", "year")
TODAY_WORDS = ("today", "tonight", "this morning", "this afternoon", "this evening", "yesterday")


DIGIT = re.compile(r"\d")
MONTH_STEMS = tuple(_STEMS.split("|"))


def _possible(text: str) -> set[str]:
    """The pattern kinds that could match in `text` (a superset; never misses one)."""
    low = text.lower()
    kinds = set()
    if DIGIT.search(text):        # the day, month and year patterns all need a digit
        if any(m in low for m in MONTH_STEMS) and MONTH_NEAR_DIGIT.search(text):
            kinds |= {"mdy", "dmy", "md", "dm", "my", "md_bare"}
        if "-" in text:
            kinds.add("iso")
        if "19" in text or "20" in text:
            kinds.add("year")
    if any(d in low for d in WEEKDAYS_LOW):
        kinds |= {"weekday", "weekday_bare"}
    if any(w in low for w in TODAY_WORDS):
        kinds.add("today")
    if any(u in low for u in RELATIVE_UNITS):
        kinds.add("relative")
    return kinds


@dataclass
class DateMention:
    start: int          # character offsets within the text searched
    end: int
    date: dt.date | None  # a calendar day, when the expression gives one
    year: int | None
    precision: str      # day | week | month | year


def _latest_on_or_before(anchor: dt.date, month: int, day: int) -> dt.date | None:
    for year in (anchor.year, anchor.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None
        if d <= anchor + dt.timedelta(days=7):  # news may announce a date a few days ahead
            return d
    return None


def _relative(phrase: str, anchor: dt.date) -> tuple[int, str]:
    """'last week' (a week, so no day: an event then is not dated the article's day), 'last year' 2025."""
    unit = phrase.rsplit(None, 1)[-1]
    step = -1 if phrase.startswith(("last", "past", "previous")) else 1 if phrase.startswith("next") else 0
    if unit == "year":
        return anchor.year + step, "year"
    if unit == "month":
        month = anchor.month + step
        return anchor.year + (month > 12) - (month < 1), "month"
    return (anchor + dt.timedelta(days=7 * step)).year, "week"


def find_dates(text: str, anchor: dt.date) -> list[DateMention]:
    """Every date expression in `text`, resolved against the article date `anchor`."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m, date, year, precision):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(DateMention(s, e, date, year, precision))

    possible = _possible(text)
    for kind, rx in PATTERNS:
        if kind not in possible:
            continue
        for m in rx.finditer(text):
            try:
                if kind == "mdy":
                    y, mo, d = int(m.group(3)), MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2))
                    add(m, dt.date(y, mo, d), y, "day")
                elif kind == "dmy":
                    y, mo, d = int(m.group(3)), MONTHS[m.group(2).lower().rstrip(".")], int(m.group(1))
                    add(m, dt.date(y, mo, d), y, "day")
                elif kind in ("md", "md_bare"):
                    mo, d = MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2))
                    day = _latest_on_or_before(anchor, mo, d)
                    add(m, day, day.year if day else None, "day")
                elif kind == "dm":
                    mo, d = MONTHS[m.group(2).lower().rstrip(".")], int(m.group(1))
                    day = _latest_on_or_before(anchor, mo, d)
                    add(m, day, day.year if day else None, "day")
                elif kind == "my":
                    add(m, None, int(m.group(2)), "month")
                elif kind == "iso":
                    y = int(m.group(1))
                    add(m, dt.date(y, int(m.group(2)), int(m.group(3))), y, "day")
                elif kind in ("weekday", "weekday_bare"):
                    name = (m.group(1) or m.group(2)).lower() if kind == "weekday" else m.group(1).lower()
                    back = (anchor.weekday() - WEEKDAYS[name]) % 7
                    if m.group(0).lower().startswith("last") and back == 0:
                        back = 7
                    day = anchor - dt.timedelta(days=back)
                    add(m, day, day.year, "day")
                elif kind == "today":
                    word = m.group(1).lower()
                    back = 2 if word.startswith("day before") else 1 if word == "yesterday" else 0
                    day = anchor - dt.timedelta(days=back)
                    add(m, day, day.year, "day")
                elif kind == "relative":
                    add(m, None, *_relative(m.group(0).lower(), anchor))
                elif kind == "year":
                    add(m, None, int(m.group(1)), "year")
            except (ValueError, KeyError):
                continue
    found.sort(key=lambda d: d.start)
    return found
