"""The canned queries: SPARQL files in `queries/`, each with a small parseable header.

    # title: Agreements
    # description: What the query answers, in one line.
    # param status: only agreements with this status (example: signed)
    # param party (actor): a typed parameter: actor, system, region or date (example: EU)
    # example: kg query agreements --param status=signed
    # example output: date        label   status

The top-level `queries/` folder is the source of truth; the wheel ships it as `kg/queries`
(see pyproject.toml), so a name resolves the same in a checkout and in an installed package.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import QueryError

PACKAGE_DIR = Path(__file__).parent
HEADER = re.compile(r"#\s*(title|description|example output|example|param\s+(\w+)(?:\s*\((\w+)\))?)\s*:\s?(.*)")
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)   # name -> description
    examples: list[str] = field(default_factory=list)
    param_types: dict[str, str] = field(default_factory=dict)   # name -> actor, system, region, date
    example_output: list[str] = field(default_factory=list)


def query_dirs() -> list[Path]:
    """kg/queries in an installed wheel; the repository's queries/ in a checkout."""
    return [d for d in (PACKAGE_DIR / "queries", PACKAGE_DIR.parent / "queries") if d.is_dir()]


def parse(path: Path, name: str | None = None) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query ({getattr(err, 'strerror', None) or err})") from None
    q = CannedQuery(name=name or path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break          # the header ends at the first line of SPARQL
            continue
        m = HEADER.match(line)
        if not m:
            continue
        key, param, kind, value = m.group(1), m.group(2), m.group(3), m.group(4)
        if key == "example output":
            q.example_output.append(value.rstrip())
            continue
        value = value.strip()
        if param:
            q.params[param] = value
            if kind:
                q.param_types[param] = kind.lower()
        elif key == "example":
            q.examples.append(value)
        else:
            setattr(q, key, value)
    return q


def find(name: str) -> CannedQuery:
    """A canned query by name (file stem), or a QueryError listing the names there are."""
    if NAME.match(name):
        for d in query_dirs():
            path = d / f"{name}.rq"
            if path.is_file():
                return parse(path, name)
    known = ", ".join(q.name for q in available()) or "none"
    raise QueryError(f"no canned query named {name!r} (available: {known})")


TALLIED_DIR = PACKAGE_DIR / "tallied"
TALLIED_UNLESS = re.compile(r"^# tallied unless: (.*)$", re.M)


def tallied(name: str, bound: Iterable[str]) -> str | None:
    """The tallied form of the canned query `name` (kg/tallied/NAME.rq: the same rows, read from
    the store's tallies, see kg.tallies), or None when it has none or when a parameter it cannot
    answer (its `# tallied unless:` line) is bound."""
    path = TALLIED_DIR / f"{name}.rq"
    if not NAME.match(name) or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    unless = TALLIED_UNLESS.search(text)
    return None if unless and set(unless.group(1).split()) & set(bound) else text


def available() -> list[CannedQuery]:
    """Every canned query, first directory wins when a name appears twice."""
    found: dict[str, CannedQuery] = {}
    for d in query_dirs():
        for path in sorted(d.glob("*.rq")):
            found.setdefault(path.stem, parse(path))
    return sorted(found.values(), key=lambda q: q.name)
