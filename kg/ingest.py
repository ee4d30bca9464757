"""Ingest orchestration: read -> skip unchanged -> extract -> build RDF -> write in batches.

Every article is judged on its own: a file that cannot be read, or an article the extractor trips
on, becomes a failed entry with a one-line message and the rest of the run goes on. Writes go to
the store in batches (a journaled bulk load each, see kg.store), so a killed run leaves whole
articles or none, and re-running it adds what is missing while skipping what is there (content hash).

With `workers` > 1 the extraction runs in that many worker processes (spawned, each with its own
spaCy pipeline) that also serialize each article's quads (kg.store.ArticleQuads), so the parent,
which reads the input, checks content hashes and writes the store, stays cheap per article; its
writes run in a thread of their own (_Writer), so extraction goes on while a batch is loaded. At
most a few articles per worker are in flight, so memory stays flat however large the input, and
results are taken in input order, so the store ends up exactly as with one worker.
"""
from __future__ import annotations

import os
import queue
import threading
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Callable, Iterable, Iterator

from .articles import MAX_BYTES, Article, read_articles
from .errors import InputError, KGError
from .extract import version as extractor_version
from .rdfbuild import ArticleGraph, article_graph
from .store import ArticleQuads, Store
from .vocab import article_iri

BATCH_SIZE = 2000                 # articles per bulk load at most; BATCH_BYTES usually comes first
BATCH_BYTES = 128 << 20           # N-Quads per bulk load: Oxigraph's loader holds ~5x this as it sorts
CHUNK = 8                         # articles per task sent to a worker (fewer, larger messages)
CHUNKS_PER_WORKER = 2             # tasks queued per worker: enough to keep it busy, little memory
OPTIMIZE_AFTER_QUADS = 200_000    # compact the database after a run that wrote at least this much


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
    """Prepared article graphs waiting for the next write."""

    items: list = field(default_factory=list)
    sources: list[tuple[str, bool]] = field(default_factory=list)   # (source, replaced)
    size: int = 0                                                    # bytes of N-Quads


@dataclass
class _Job:
    """An article that needs extracting, and where its graph goes."""

    article: Article
    graph: object
    replace: bool


def extract_graph(article: Article) -> ArticleGraph:
    """The extraction engine is imported lazily: spaCy is only loaded when there is work to do."""
    from .extract import extract
    return article_graph(article, extract(article))


def extract_triples(article: Article) -> list[tuple]:
    """The article's graph as rdflib triples (for tests and notebooks)."""
    return extract_graph(article).rdflib_triples()


def extract_or_message(article: Article) -> ArticleGraph | str:
    """The article's graph, or the one-line message naming it when extraction fails (picklable
    both ways, so a worker process can return it)."""
    try:
        return extract_graph(article)
    except KGError as err:
        return one_line(f"{article.source}: {err}")
    except Exception as err:  # noqa: BLE001 - one article's bug must not stop the batch
        return one_line(f"{article.source}: extraction failed ({type(err).__name__}: {err})")


def extract_prepared(job: "_Job") -> ArticleQuads | str:
    """extract_or_message, then the article's quads serialized (N-Quads, entity entries included):
    done where the extraction runs, in a worker, so the writing process only joins bytes (it is the
    one writer, so its time per article bounds the whole run)."""
    result = extract_or_message(job.article)
    if isinstance(result, str):
        return result
    try:
        return ArticleQuads.from_graph(job.graph, result)
    except Exception as err:  # noqa: BLE001 - a term Oxigraph rejects fails this article only
        return one_line(f"{job.article.source}: extraction failed ({type(err).__name__}: {err})")


def resolve_workers(workers: int | None) -> int:
    """0 or None means one worker per CPU."""
    if workers is not None and workers < 0:
        raise InputError(f"--workers must be 0 (one per CPU) or more, not {workers}")
    return workers or os.cpu_count() or 1


def ingest_articles(store: Store, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                    progress: Callable[[str], None] | None = None, max_bytes: int = MAX_BYTES,
                    batch_size: int = BATCH_SIZE, batch_bytes: int = BATCH_BYTES, force: bool = False,
                    workers: int = 1, optimize: bool = True) -> IngestSummary:
    """Ingest every article under `paths` ('-' reads stdin). `progress` is called once per article
    or failure with its source. An article is skipped as unchanged when the store holds the same
    text extracted by the same extractor version; `force` re-extracts it anyway. `workers` is the
    number of extraction processes (0 = one per CPU). A batch is written when it holds `batch_size`
    articles or `batch_bytes` of N-Quads: larger loads leave the database less to compact later,
    and the bytes bound the writer's memory whatever the articles' size. After a large run the
    database is compacted, unless `optimize` is False (see Store.optimize)."""
    workers = resolve_workers(workers)
    summary = IngestSummary()
    pending = _Pending()
    jobs = _jobs(store, read_articles(paths, stdin=stdin, limit=max_bytes), summary, force, progress)
    writer = _Writer(store, summary)
    try:
        for job, result in _extracted(jobs, workers):
            if isinstance(result, str):
                summary.failed.append(result)
            else:
                pending.items.append((result, job.replace))
                pending.sources.append((job.article.source, job.replace))
                pending.size += len(result.nquads) + len(result.entities)
                if len(pending.items) >= batch_size or pending.size >= batch_bytes:
                    writer.put(pending)
                    pending = _Pending()
            if progress:
                progress(job.article.source)
        writer.put(pending)
    finally:
        writer.close()
        if isinstance(store, Store):
            store.count_tallies()     # what the run wrote, counted in at once (kg.tallies)
    if optimize and summary.triples >= OPTIMIZE_AFTER_QUADS and isinstance(store, Store):
        store.optimize()          # a remote store compacts itself
    return summary


def _jobs(store: Store, items: Iterable, summary: IngestSummary, force: bool,
          progress: Callable[[str], None] | None) -> Iterator[_Job]:
    """The articles to extract; unreadable, duplicate and unchanged ones are settled here."""
    seen: dict[str, tuple[str, str]] = {}          # article key -> (content hash, source) this run
    for item in items:
        job = None
        if isinstance(item, InputError):
            summary.failed.append(one_line(str(item)))
        else:
            job = _check(store, item, summary, seen, force)
        if job is not None:
            yield job
        elif progress:
            progress(item.source if isinstance(item, Article) else str(item))


def _check(store: Store, article: Article, summary: IngestSummary, seen: dict[str, tuple[str, str]],
           force: bool) -> _Job | None:
    digest = article.content_hash
    if article.key in seen:
        first_hash, first_source = seen[article.key]
        if first_hash == digest:
            summary.unchanged.append(article.source)
        else:
            summary.failed.append(f"{article.source}: same article id as {first_source}, read earlier in "
                                  "this run, with different text; the first one was kept")
        return None
    seen[article.key] = (digest, article.source)
    summary.warnings += [f"{article.source}: {w}" for w in article.warnings]
    graph = article_iri(article.key)
    stored = store.content_hash(graph)
    if stored == digest and not force and store.extractor_version(graph) == extractor_version.current():
        summary.unchanged.append(article.source)
        return None
    return _Job(article, graph, stored is not None)


def _extracted(jobs: Iterator[_Job], workers: int) -> Iterator[tuple[_Job, ArticleQuads | str]]:
    """(job, prepared quads or failure message) in input order, from this process or a worker pool.
    Workers get CHUNK articles per task: a task costs the pool's threads in this process some work
    of their own (a wake-up per message), which is the writing process's time."""
    if workers == 1:
        for job in jobs:
            yield job, extract_prepared(job)
        return
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")    # fork would copy the store's open database
    window: deque = deque()
    with ctx.Pool(workers, initializer=_worker_init) as pool:
        for chunk in _chunks(jobs, CHUNK):
            window.append((chunk, pool.apply_async(extract_chunk, (chunk,))))
            if len(window) >= workers * CHUNKS_PER_WORKER:
                done, results = window.popleft()
                yield from zip(done, results.get())
        while window:
            done, results = window.popleft()
            yield from zip(done, results.get())


def extract_chunk(jobs: list[_Job]) -> list[ArticleQuads | str]:
    return [extract_prepared(job) for job in jobs]


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    return iter(lambda: list(islice(items, size)), [])


def _worker_init() -> None:
    """Each worker builds its spaCy pipeline once, before its first article."""
    from .extract.pipeline import build_nlp
    build_nlp()


class _Writer:
    """Writes the batches in a thread of its own, in order, while extraction goes on: the store's
    write releases the GIL, and without this the workers would sit idle during every write. One
    batch is written at a time and at most one more waits, so memory stays bounded."""

    def __init__(self, store, summary: IngestSummary):
        self.store, self.summary = store, summary
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="kg-ingest-writer", daemon=True)
        self.thread.start()

    def put(self, pending: _Pending) -> None:
        self._raise()
        if pending.items:
            self.queue.put(pending)

    def close(self) -> None:
        """Waits for the batches given so far; raises what a write raised."""
        self.queue.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def _run(self) -> None:
        while (pending := self.queue.get()) is not None:
            if self.error is None:               # after a failed write, the rest are dropped
                try:
                    _flush(self.store, pending, self.summary)
                except BaseException as err:  # noqa: BLE001 - handed to the ingesting thread
                    self.error = err


def _flush(store: Store, pending: _Pending, summary: IngestSummary) -> None:
    if not pending.items:
        return
    summary.triples += store.write_quads(pending.items)
    for source, replaced in pending.sources:
        (summary.replaced if replaced else summary.added).append(source)
    pending.items.clear()
    pending.sources.clear()


def one_line(message: str) -> str:
    return " ".join(message.split())
