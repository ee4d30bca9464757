"""The extractor version: the package version plus a fingerprint of the rules and data files.

Ingest records it on every article graph (dkg:extractorVersion), and an article counts as
unchanged only when both its text and this version match what the store holds, so a new rule or
a gazetteer edit re-extracts old articles on the next ingest. Computed once per process; reading
it needs no spaCy.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .. import __version__

EXTRACT = Path(__file__).resolve().parent
DATA = EXTRACT.parent / "data"


def fingerprint_files() -> list[tuple[str, Path]]:
    """Everything that decides what extraction returns: the rule code and the data it reads,
    each named by its path inside its folder."""
    out = []
    for label, root, pattern in (("extract", EXTRACT, "*.py"), ("data", DATA, "*")):
        for path in root.rglob(pattern):
            if path.is_file() and "__pycache__" not in path.parts:
                out.append((f"{label}/{path.relative_to(root).as_posix()}", path))
    return sorted(out)


@lru_cache(maxsize=1)
def current() -> str:
    """'0.1.0+1a2b3c4d5e6f': the version, then 12 hex digits of sha256 over the files' names and bytes."""
    digest = hashlib.sha256()
    for name, path in fingerprint_files():
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"
