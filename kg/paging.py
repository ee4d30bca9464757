"""Pages of query results: a canned query marks where its page is cut, so the engine sorts and
limits the facts before it looks up their labels and details, and only one page's rows are read.

A canned query puts the comment line `# page` right after the ORDER BY of the sub-select that picks
its facts (or after its own ORDER BY when nothing is looked up per row). Without paging the comment
is just a comment, so the file stays a complete query for any SPARQL tool; with paging it becomes
`LIMIT n OFFSET m`. One row more than the page is asked for, to tell whether more rows exist.
Queries without the mark (your own SPARQL) are paged by the reader instead.

A listing that is newest first can also mark how to ask for the rows of a few days only: lines
starting `#window: ` (a comment otherwise) hold a pattern with `$days`, such as
`#window: VALUES ?date { $days } ?event dkg:date ?date .`, and lines ending `# whole` are left out
of a window (a VALUES block that Oxigraph would otherwise join first, before the days). With the store's day index
(kg.derived) the first page is then asked of the newest days (their facts are found through the
index, and only they are sorted), a wider window when those hold too few rows, and the whole query
only when the dated rows run out. A window's rows are exactly the first rows of the whole result,
because the listing is ordered by that date first, so its page is the whole query's page.
A listing ordered by a figure's year first says `$years` instead, and is asked the newest years
of the store's year index in the same way.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from .errors import QueryError

DEFAULT_PAGE = 100          # rows `kg query` prints unless told otherwise (datasette's default too)
MAX_PAGE = 10_000           # the largest --limit; beyond it, --all says "everything" on purpose
MARK = re.compile(r"^[ \t]*# page[ \t]*$", re.M)
WINDOW = re.compile(r"^([ \t]*)#window: (.*)$", re.M)
WHOLE = re.compile(r"^.*[ \t]# whole[ \t]*\n", re.M)     # a line only the whole query has
WINDOW_ROUNDS = 3           # windows tried before the whole query
MAX_WEIGHT = 10_000         # dates in the widest window worth asking (about a second at 100,000 articles)
WINDOW_GROWTH = 8           # how much more the next window weighs when one held no rows
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
KINDS = ("days", "years")   # what a window holds: also the name of the store's index of them


def check(limit, offset) -> tuple[int | None, int]:
    """(limit, offset) as plain ints, or a QueryError: they are formatted into query text, so
    nothing but a non-negative int (not a bool, not a string) may pass."""
    if limit is not None and (type(limit) is not int or limit < 1):
        raise QueryError(f"limit must be a whole number of rows, at least 1 (got {limit!r})")
    if type(offset) is not int or offset < 0:
        raise QueryError(f"offset must be a whole number of rows, 0 or more (got {offset!r})")
    return limit, offset


def is_paged(sparql: str) -> bool:
    """Does the query mark where its page is cut?"""
    return MARK.search(sparql) is not None


def paged(sparql: str, limit: int | None, offset: int) -> str:
    """The query with its page mark made into LIMIT/OFFSET (one extra row, to see whether more
    exist). SPARQL cannot take LIMIT or OFFSET from a binding, so they are written into the text:
    only the ints that check() let through ever are, never a user's string."""
    limit, offset = check(limit, offset)
    clause = (f"LIMIT {limit + 1} " if limit is not None else "") + (f"OFFSET {offset}" if offset else "")
    return MARK.sub(lambda m: "  " + clause.strip() if clause else m.group(), sparql, count=1)


def is_windowed(sparql: str) -> bool:
    """Does the query say how to ask for a window of days or years?"""
    return window_kind(sparql) is not None


def window_kind(sparql: str) -> str | None:
    """What the query's `#window:` lines ask for: "days" ($days), "years" ($years), or None."""
    lines = " ".join(m.group(2) for m in WINDOW.finditer(sparql))
    return next((kind for kind in KINDS if "$" + kind in lines), None)


def _day(d) -> str:
    if type(d) is not dt.date:
        raise QueryError("a window of days is a list of dates")
    return f'"{d.isoformat()}"^^<{XSD_DATE}>'


def _year(y) -> str:
    if type(y) is not int or y < 1000:      # the ISO form, as the store keeps years (kg.derived.YEAR)
        raise QueryError("a window of years is a list of years from 1000")
    return f'"{y}"^^<{XSD_GYEAR}>'


def windowed(sparql: str, values: list) -> str:
    """The query with its `#window:` lines made into patterns over `values`: days (date objects,
    written as xsd:date literals in their ISO form) for `$days`, years (ints, written as xsd:gYear)
    for `$years`. Nothing else is ever written into the text."""
    kind = window_kind(sparql) or "days"
    terms = " ".join(map(_day if kind == "days" else _year, values))
    return WINDOW.sub(lambda m: m.group(1) + m.group(2).replace("$" + kind, terms), WHOLE.sub("", sparql))


def run_windowed(run: Callable[[str], object], sparql: str, days, window, limit: int, offset: int,
                 since: dt.date | None = None, until: dt.date | None = None):
    """The page (limit rows from offset, and one more) of a marked, paged listing: `run(sparql)`
    asks the store, `days` is its day index (newest first; its year index for `$years`), and
    `window(days, weight)` the newest days holding that many dates (None: all of them). A listing's
    `since` and `until` bound its date, so only the days between them are asked, and when they hold
    few dates, all of them at once is the whole answer. Otherwise the whole query is run when the
    windows hold too few rows (or would weigh more than MAX_WEIGHT: then the whole query, which a
    selective parameter may make cheap, is the better bet)."""
    bounded = since is not None or until is not None
    if bounded:
        days = [(d, n) for d, n in days if (since is None or d >= since) and (until is None or d <= until)]
        if sum(n for _, n in days) <= MAX_WEIGHT:
            # no day between them: a day no date falls on (an empty VALUES would be joined last)
            return run(windowed(sparql, [d for d, _ in days] or [dt.date.min]))
    need = offset + limit + 1
    weight = 2 * need
    for _ in range(WINDOW_ROUNDS):
        chosen = window(days, weight)
        if chosen is None or weight > MAX_WEIGHT:
            break
        result = run(windowed(sparql, chosen))
        if len(result) > limit:
            return result
        held = sum(n for _, n in days[: len(chosen)])
        found = offset + len(result) if len(result) else 0
        # the next window: enough for the page at the rate this one held rows (and twice this one at
        # least), or WINDOW_GROWTH times this one when it held none
        weight = max(2 * held, int(held * need / found * 1.5)) if found else held * WINDOW_GROWTH
    return run(sparql)
