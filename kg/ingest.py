"""Ingest orchestration: read -> skip unchanged -> extract -> build RDF -> write in batches.

Every article is judged on its own: a file that cannot be read, or an article the extractor trips
on, becomes a failed entry with a one-line message and the rest of the run goes on. Writes go to
the store in batches (one transaction each), so a killed run leaves whole articles or none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Callable, Iterable

from .articles import MAX_BYTES, Article, read_articles
from .errors import InputError, KGError
from .extract import version as extractor_version
from .rdfbuild import article_triples
from .store import Store
from .vocab import article_iri

BATCH_SIZE = 200


@dataclass
class IngestSummary:
    """What one run did; each list names the articles by their source."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)     # one message each, naming the file
    warnings: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def articles(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged)

    def line(self) -> str:
        return (f"{len(self.added)} added, {len(self.unchanged)} unchanged, {len(self.replaced)} replaced, "
                f"{len(self.failed)} failed; {self.triples:,} triples written")


@dataclass
class _Pending:
    """Prepared article graphs waiting for the next transaction."""

    items: list = field(default_factory=list)
    sources: list[tuple[str, bool]] = field(default_factory=list)   # (source, replaced)


def extract_triples(article: Article) -> list[tuple]:
    """The extraction engine is imported lazily: spaCy is only loaded when there is work to do."""
    from .extract import extract
    return article_triples(article, extract(article))


def ingest_articles(store: Store, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                    progress: Callable[[str], None] | None = None, max_bytes: int = MAX_BYTES,
                    batch_size: int = BATCH_SIZE, force: bool = False) -> IngestSummary:
    """Ingest every article under `paths` ('-' reads stdin). `progress` is called once per article
    or failure with its source. An article is skipped as unchanged when the store holds the same
    text extracted by the same extractor version; `force` re-extracts it anyway."""
    summary = IngestSummary()
    pending = _Pending()
    seen: dict[str, tuple[str, str]] = {}          # article key -> (content hash, source) this run
    for item in read_articles(paths, stdin=stdin, limit=max_bytes):
        if isinstance(item, InputError):
            summary.failed.append(one_line(str(item)))
        else:
            _prepare(store, item, summary, pending, seen, force)
            if len(pending.items) >= batch_size:
                _flush(store, pending, summary)
        if progress:
            progress(item.source if isinstance(item, Article) else str(item))
    _flush(store, pending, summary)
    return summary


def _prepare(store: Store, article: Article, summary: IngestSummary, pending: _Pending,
             seen: dict[str, tuple[str, str]], force: bool) -> None:
    digest = article.content_hash
    if article.key in seen:
        first_hash, first_source = seen[article.key]
        if first_hash == digest:
            summary.unchanged.append(article.source)
        else:
            summary.failed.append(f"{article.source}: same article id as {first_source}, read earlier in "
                                  "this run, with different text; the first one was kept")
        return
    seen[article.key] = (digest, article.source)
    summary.warnings += [f"{article.source}: {w}" for w in article.warnings]
    graph = article_iri(article.key)
    stored = store.content_hash(graph)
    if stored == digest and not force and store.extractor_version(graph) == extractor_version.current():
        summary.unchanged.append(article.source)
        return
    try:
        triples = extract_triples(article)
    except KGError as err:
        summary.failed.append(one_line(f"{article.source}: {err}"))
        return
    except Exception as err:  # noqa: BLE001 - one article's bug must not stop the batch
        summary.failed.append(one_line(f"{article.source}: extraction failed ({type(err).__name__}: {err})"))
        return
    pending.items.append((graph, triples, stored is not None))
    pending.sources.append((article.source, stored is not None))


def _flush(store: Store, pending: _Pending, summary: IngestSummary) -> None:
    if not pending.items:
        return
    summary.triples += store.write(pending.items)
    for source, replaced in pending.sources:
        (summary.replaced if replaced else summary.added).append(source)
    pending.items.clear()
    pending.sources.clear()


def one_line(message: str) -> str:
    return " ".join(message.split())
