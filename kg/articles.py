"""Reading articles from text files, folders, JSON Lines and stdin.

Article text is hostile input: every reader bounds what it loads, refuses binaries clearly and
turns every problem into an InputError naming the file, so one bad file never stops a batch.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator, Union

from .errors import InputError

# One article: a long news report is 100 KB. Extraction memory grows with the text (a 4 MB article
# of short lines peaked at 1.7 GB), so 1 MB keeps one article's extraction well under a gigabyte.
MAX_BYTES = 1_000_000
DATE_HEADER = re.compile(r"\A\s*date\s*:?\s*(\S+)\s")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
BINARY_MAGIC = {b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"PK\x03\x04": "a zip archive",
                b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "a program"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile("[\ud800-\udfff]")   # a lone "\ud800" escape in JSON; not storable as UTF-8
SUFFIXES = (".txt", ".jsonl")


@dataclass
class Article:
    key: str          # identity: resolved path, or "jsonl:<id>"; re-ingest replaces by key
    source: str       # where it was read from, as given (path or URL)
    date: dt.date
    text: str
    title: str | None = None
    url: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def parse_date(value: str, where: str) -> dt.date:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise InputError(f"{where}: date {value!r} is not YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: date {value} is not a calendar date") from None
    if day > dt.date.today() + dt.timedelta(days=1):
        raise InputError(f"{where}: date {value} is in the future")
    return day


def decode(data: bytes, where: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; Windows-1252 as a flagged fallback."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{where}: this is {what}, not a text article")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise InputError(f"{where}: broken UTF-16 text") from None
    if data.count(b"\x00") > max(4, len(data) // 100):
        raise InputError(f"{where}: binary data, not a text article")
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not UTF-8; read as Windows-1252")
    if CONTROL.search(text):
        text = CONTROL.sub(" ", text)
        warnings.append("control characters replaced by spaces")
    return text, warnings


def article_from_text(raw: str, source: str, key: str, warnings: list[str] | None = None) -> Article:
    """The seeds' format: ' date YYYY-MM-DD ' then the body."""
    m = DATE_HEADER.match(raw + " ")
    if not m:
        raise InputError(f"{source}: no date header (the file must start with 'date YYYY-MM-DD')")
    day = parse_date(m.group(1), source)
    body = raw[m.end():].strip() if m.end() <= len(raw) else ""
    if not body:
        raise InputError(f"{source}: the article has a date but no text")
    return Article(key=key, source=source, date=day, text=body, warnings=list(warnings or []))


def read_bounded(fh: IO[bytes], where: str, limit: int) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{where}: larger than {limit:,} bytes; split it or raise --max-bytes")
    return data


def read_text_file(path: Path, source: str, limit: int = MAX_BYTES) -> Article:
    try:
        with open(path, "rb") as fh:
            data = read_bounded(fh, source, limit)
    except OSError as err:
        raise InputError(f"{source}: cannot read ({err.strerror or err})") from None
    if not data.strip():
        raise InputError(f"{source}: empty file")
    text, warnings = decode(data, source)
    return article_from_text(text, source, str(path.resolve()), warnings)


def article_from_record(rec: object, where: str, source_file: str) -> Article:
    if not isinstance(rec, dict):
        raise InputError(f"{where}: expected a JSON object")
    missing = [k for k in ("id", "date", "text") if not rec.get(k)]
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(missing)}")
    text = rec["text"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text' must be a non-empty string")
    warnings = []
    if CONTROL.search(text):
        text = CONTROL.sub(" ", text)
        warnings.append("control characters replaced by spaces")
    fields = {k: rec.get(k) if isinstance(rec.get(k), str) else None for k in ("title", "url")}
    fields["id"] = str(rec["id"])
    if any(SURROGATE.search(v) for v in (text, *fields.values()) if v):
        text = SURROGATE.sub("\ufffd", text)
        fields = {k: v and SURROGATE.sub("\ufffd", v) for k, v in fields.items()}
        warnings.append("invalid Unicode escapes (lone surrogates) replaced by U+FFFD")
    url = fields["url"]
    return Article(key=f"jsonl:{fields['id']}", source=url or f"{source_file}#{fields['id']}",
                   date=parse_date(rec["date"], where), text=text.strip(), title=fields["title"], url=url,
                   warnings=warnings)


def read_jsonl(fh: IO[bytes], source: str, limit: int = MAX_BYTES) -> Iterator[Union[Article, InputError]]:
    """One article per line; a broken line is reported and skipped, and the rest still read."""
    seen: set[str] = set()
    for n, line in enumerate(iter(lambda: fh.readline(limit + 1), b""), 1):
        where = f"{source}:{n}"
        if len(line) > limit:
            yield InputError(f"{where}: line longer than {limit:,} bytes")
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = fh.readline(limit + 1)
            continue
        if not line.strip():
            continue
        try:
            art = article_from_record(json.loads(line.decode("utf-8-sig")), where, source)
        except (ValueError, UnicodeDecodeError) as err:
            yield InputError(f"{where}: not valid JSON ({str(err).split(':')[0]})")
            continue
        except InputError as err:
            yield err
            continue
        if art.key in seen:
            yield InputError(f"{where}: duplicate id {art.key[6:]!r}; the first one was kept")
            continue
        seen.add(art.key)
        yield art


def expand(paths: Iterable[str]) -> Iterator[Union[tuple[str, Path], InputError]]:
    """Files as given, folders recursively (*.txt, *.jsonl), sorted so runs are repeatable."""
    for given in paths:
        p = Path(given)
        if given == "-":
            yield given, p
        elif p.is_dir():
            errors: list[OSError] = []
            found = []
            for root, dirs, files in os.walk(p, onerror=errors.append):
                dirs.sort()
                found += [Path(root) / f for f in files if f.endswith(SUFFIXES) and not f.startswith(".")]
            for err in errors:
                yield InputError(f"{err.filename}: cannot read folder ({err.strerror})")
            for f in sorted(found):
                special = special_file(f)
                yield InputError(f"{f}: {special}, not a regular file; skipped") if special else (str(f), f)
        elif p.exists():
            yield given, p
        else:
            yield InputError(f"{given}: no such file or folder")


def special_file(path: Path) -> str | None:
    """What a folder entry is when it is not a regular file: reading a named pipe found in a folder
    would wait forever. (A pipe named on the command line, like <(zcat news.jsonl.gz), is read.)"""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None                       # the reader reports it: dangling link, no permission
    if stat.S_ISREG(mode):
        return None
    return ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")


def read_articles(paths: Iterable[str], stdin: IO[bytes] | None = None,
                  limit: int = MAX_BYTES) -> Iterator[Union[Article, InputError]]:
    """Every article under `paths`, or an InputError for each thing that could not be read."""
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item
            continue
        given, path = item
        if given == "-":
            fh = stdin or sys.stdin.buffer
            if not hasattr(fh, "peek"):       # e.g. BytesIO: peeking is how JSON Lines is recognised
                fh = io.BufferedReader(fh)
            head = fh.peek(1)[:1]
            if head == b"{":
                yield from read_jsonl(fh, "<stdin>", limit)
            else:
                try:
                    text, warnings = decode(read_bounded(fh, "<stdin>", limit), "<stdin>")
                    yield article_from_text(text, "<stdin>", "stdin:" + hashlib.sha256(text.encode()).hexdigest(), warnings)
                except InputError as err:
                    yield err
        elif path.suffix == ".jsonl":
            try:
                with open(path, "rb") as fh:
                    yield from read_jsonl(fh, given, limit)
            except OSError as err:
                yield InputError(f"{given}: cannot read ({err.strerror or err})")
        else:
            try:
                yield read_text_file(path, given, limit)
            except InputError as err:
                yield err
