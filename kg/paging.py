"""Pages of query results: a canned query marks where its page is cut, so the engine sorts and
limits the facts before it looks up their labels and details, and only one page's rows are read.

A canned query puts the comment line `# page` right after the ORDER BY of the sub-select that picks
its facts (or after its own ORDER BY when nothing is looked up per row). Without paging the comment
is just a comment, so the file stays a complete query for any SPARQL tool; with paging it becomes
`LIMIT n OFFSET m`. One row more than the page is asked for, to tell whether more rows exist.
Queries without the mark (your own SPARQL) are paged by the reader instead.
"""
from __future__ import annotations

import re

from .errors import QueryError

DEFAULT_PAGE = 100          # rows `kg query` prints unless told otherwise (datasette's default too)
MAX_PAGE = 10_000           # the largest --limit; beyond it, --all says "everything" on purpose
MARK = re.compile(r"^[ \t]*# page[ \t]*$", re.M)


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
