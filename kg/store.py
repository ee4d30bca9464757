"""The embedded store: Oxigraph on disk, one named graph per article, new articles bulk-loaded.

A store is a folder holding a marker file (so a foreign folder is never written into), a lock
file (one writer at a time; readers share) and the Oxigraph database. rdflib users get the same
data as an rdflib Dataset through oxrdflib (`Store.dataset`).

Layout: each article's named graph is self-contained (DATA-MODEL.md), so an entity's type and label
triples are repeated in every article that mentions it. Oxigraph 0.5 does not deduplicate the union
default graph, so a query joining on `?x rdfs:label ?l` would meet one row per mentioning article.
The entity graph (ENTITY_GRAPH) therefore keeps one copy of every entity's own triples (types,
labels, aliases, codes, titles, affiliations): canned queries look entities up there. It is an
index, written with the articles; replacing or removing an article leaves entries behind (an alias
once seen stays findable), never removes one that is still used.

Writing: new articles go in batches through Oxigraph's bulk loader, which sorts the batch into
table files and adds them to the database without its write-ahead log or transactions (about 4x faster
than a transaction, and memory stays flat: nothing waits in memtables). The bulk loader is not
atomic as a whole, so each batch is guarded by an undo journal (JOURNAL): the batch's graph names are
written and fsynced before the load, and the journal is deleted once it is done. A replaced article
is dropped and rewritten in one transaction (SPARQL update), so it is never half old, half new.

Crash guarantee: after a crash (even SIGKILL) at any moment, every article is either fully present,
with its content hash, or absent (or, if it was being replaced, still its old version). A leftover
journal means a batch may be half loaded: the next writer to open the store removes the graphs it
names (each removal a transaction; the journal goes last, so an interrupted roll-back is redone),
and a reader rolls back first the same way, or, when it cannot take the write lock (another reader,
a read-only folder), refuses with one line instead of showing half-written articles. Entity index
entries of rolled-back articles may stay (the index only gains entries). Re-running the ingest
completes it.
"""
from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import tempfile
from collections import Counter, deque
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from . import __version__, derived, tallies
from . import ntriples as nt
from .errors import QueryError, StoreError
from .namekey import name_key
from .ontology import ontology_triples
from .results import QueryResult
from .vocab import DAYS_GRAPH, DKG, ENTITY_GRAPH, ONTOLOGY_GRAPH, RDF, RDFS, SKOS, TALLIES_GRAPH, YEARS_GRAPH

if TYPE_CHECKING:
    from .rdfbuild import ArticleGraph

MARKER = "kg-store.json"
MARKER_PART = ".kg-store.json.part"   # the marker being written; a folder holding only it is still new
JOURNAL = "bulk-journal.json"         # the graphs of a bulk load in progress (see the module docstring)
ENTRY_MEMO = 500_000                  # entity entries remembered as loaded (bounds memory: ~40 MB)
FORMAT_NAME = "defence-kg-store"
FORMAT_VERSION = 5          # 2: the entity graph (an index of entity cards) was added; 3: its name keys;
                            # 4: the day index (kg.derived); 5: the tallies (kg.tallies)
DEFAULT_STORE = "kg-store"
ENTITY_CLASSES = frozenset(ox.NamedNode(str(DKG[c])) for c in
                           ("Actor", "Person", "Country", "Organisation", "Place", "Region", "WeaponSystem"))
_TYPE = ox.NamedNode(str(RDF.type))
_ENGAGES = ox.NamedNode(str(DKG.engagesWith))
_ENTITIES = ox.NamedNode(ENTITY_GRAPH)
_DERIVED = frozenset(ox.NamedNode(g) for g in (ENTITY_GRAPH, DAYS_GRAPH, YEARS_GRAPH, TALLIES_GRAPH))   # indexes, not data
_NAME_KEY = ox.NamedNode(str(DKG.nameKey))
_ENTITIES_TEXT, _NAME_KEY_TEXT = str(_ENTITIES), str(_NAME_KEY)
NAME_PROPERTIES = frozenset(ox.NamedNode(str(p)) for p in (RDFS.label, SKOS.altLabel, DKG.isoCode))


def default_store_path() -> str:
    return os.environ.get("KG_STORE") or DEFAULT_STORE


def to_ox(term):
    """rdflib term -> pyoxigraph term (a pyoxigraph term is returned as it is)."""
    if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """pyoxigraph term -> rdflib term (None stays None, for unbound variables)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(str(term))


def entity_entries(triples: list[tuple]) -> list[tuple]:
    """The triples of an article that describe its entities (not its facts, nor engagesWith, which
    belongs to the article): what the entity graph keeps one copy of."""
    ents = {s for s, p, o in triples if p == _TYPE and o in ENTITY_CLASSES}
    entries = [(s, p, o) for s, p, o in triples if s in ents and p != _ENGAGES]
    return entries + name_keys(entries)


def name_keys(triples: Iterable[tuple]) -> list[tuple]:
    """`entity dkg:nameKey "key"` for every label, alias and ISO code among `triples` (pyoxigraph
    terms): the index that resolves a typed name with one lookup instead of a scan of all names."""
    keys = {(s, _NAME_KEY, ox.Literal(name_key(o.value))) for s, p, o in triples
            if p in NAME_PROPERTIES and isinstance(o, ox.Literal)}
    return sorted(keys, key=str)


@dataclass(frozen=True)
class ArticleQuads:
    """An article graph ready to load: N-Quads of its triples, and of its entity entries (in
    ENTITY_GRAPH), and what it adds to the tallies. Ingest workers build these, so the writing
    process only joins bytes and adds up counts."""

    graph: str
    nquads: bytes
    entities: bytes
    quads: int            # triples in the article graph itself
    tallies: dict         # kg.tallies.of_article of the graph

    @classmethod
    def from_graph(cls, graph, article: "ArticleGraph") -> "ArticleQuads":
        """From kg.rdfbuild's N-Triples text: the ingest's way, joining strings (see kg.ntriples)."""
        keys = sorted({(s, _NAME_KEY_TEXT, nt.literal(name_key(name))) for s, name in article.names})
        return cls(str(graph), nt.lines(article.triples, nt.iri(str(graph))).encode(),
                   nt.lines(article.cards + keys, _ENTITIES_TEXT).encode(), len(article.triples),
                   tallies.of_article(article.triples, str(graph)))

    @classmethod
    def build(cls, graph, triples: Iterable[tuple]) -> "ArticleQuads":
        """From rdflib or pyoxigraph terms (Store.write)."""
        g = ox.NamedNode(str(graph))
        terms = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        own = ox.serialize([ox.Quad(s, p, o, g) for s, p, o in terms], format=ox.RdfFormat.N_QUADS)
        cards = ox.serialize([ox.Quad(s, p, o, _ENTITIES) for s, p, o in entity_entries(terms)],
                             format=ox.RdfFormat.N_QUADS)
        return cls(str(graph), own, cards, len(terms), tallies.of_terms(terms, str(graph)))

    def triples(self) -> list[tuple]:
        """The article graph's own triples (pyoxigraph terms), for stores that take triples."""
        return [(q.subject, q.predicate, q.object) for q in ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)]


class _Concatenated(io.RawIOBase):
    """The pieces read as one file, without joining them: a batch is tens of megabytes."""

    def __init__(self, pieces: list[bytes]):
        self._pieces, self._at = deque(memoryview(p) for p in pieces if p), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pieces:
            return 0
        piece = self._pieces[0]
        n = min(len(buffer), len(piece) - self._at)
        buffer[:n] = piece[self._at:self._at + n]
        self._at += n
        if self._at == len(piece):
            self._pieces.popleft()
            self._at = 0
        return n


class Store:
    """An embedded defence-kg store. Use as a context manager, or call close()."""

    def __init__(self, path: str | os.PathLike | None = None, *, readonly: bool = False, create: bool = True):
        self.path = Path(path or default_store_path())
        self.readonly = readonly
        self._lock_fh: IO | None = None
        self._loaded: set[bytes] = set()      # digests of the entity entries bulk-loaded by this Store
        self._uncounted: dict = {}            # contributions written and marked, not yet counted in
        self._recount: set = set()            # keys to count again from the store (kg.tallies.recounted)
        self._marked = False                  # marks in the store that count_tallies must clear
        self._version = self._check_folder(create and not readonly)
        self._lock()
        try:
            if readonly and (self.path / JOURNAL).exists():
                self._roll_back_as_reader()
            self._ox = self._open_database(self.path / "oxigraph")
        except BaseException:
            self._unlock()
            raise
        if not readonly:
            try:
                self._roll_back(self._ox)
            except BaseException:
                self.close()
                raise
            self._ensure_ontology()
            self._ensure_entity_graph()
            self._count_left_uncounted()
        elif self._version < 2:
            self.close()
            raise StoreError(f"{self.path}: made by an older defence-kg (store version {self._version}); "
                             f"run 'kg ingest --store {self.path} FILE' once (any article, even one it holds) to upgrade it")

    # -- opening -------------------------------------------------------------------------------
    def _check_folder(self, create: bool) -> int:
        """Checks (or creates) the marker; returns the store's format version."""
        marker = self.path / MARKER
        if marker.exists():
            try:
                meta = json.loads(marker.read_text())
            except (OSError, ValueError):
                raise StoreError(f"{self.path}: {MARKER} is unreadable; is this a defence-kg store?") from None
            if meta.get("format") != FORMAT_NAME:
                raise StoreError(f"{self.path}: not a defence-kg store (unknown format in {MARKER})")
            if meta.get("version", 0) > FORMAT_VERSION:
                raise StoreError(f"{self.path}: made by a newer defence-kg (store version {meta['version']})")
            return int(meta.get("version", 0))
        if self.path.exists() and (not self.path.is_dir() or
                                   any(not f.name.startswith(MARKER_PART) for f in self.path.iterdir())):
            if marker.exists():        # another kg process has just created the store here
                return self._check_folder(create)
            raise StoreError(f"{self.path}: exists and is not a defence-kg store; refusing to write into it "
                             "(choose another --store path)")
        if not create:
            raise StoreError(f"{self.path}: no store here yet; run 'kg ingest --store {self.path} FILES' first")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._write_marker()
        except OSError as err:
            raise StoreError(f"{self.path}: cannot create the store ({err.strerror or err})") from None
        return FORMAT_VERSION

    def _write_marker(self) -> None:
        """Written whole under a name of its own, then renamed: a kill never leaves half a marker,
        and two processes creating the same store at once do not trip over each other."""
        fd, part = tempfile.mkstemp(dir=self.path, prefix=MARKER_PART)
        with os.fdopen(fd, "w") as fh:
            fh.write(json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION,
                                 "created_by": f"defence-kg {__version__}"}) + "\n")
        os.chmod(part, 0o644)
        os.replace(part, self.path / MARKER)

    def _open_database(self, db: Path) -> ox.Store:
        """A first ingest killed while Oxigraph was creating its files leaves a database without
        its CURRENT file (or without its column families); opening it for writing finishes the
        job, while a database that already holds data (tables, a non-empty log) but lost CURRENT
        is damaged: never reset."""
        if not (db / "CURRENT").exists():
            if db.is_dir() and any(f.suffix == ".sst" or (f.suffix == ".log" and f.stat().st_size)
                                   for f in db.iterdir()):
                raise StoreError(f"{self.path}: the store database is damaged (oxigraph/CURRENT is missing); "
                                 "nothing was changed")
            if self.readonly:
                raise StoreError(f"{self.path}: the store holds no data yet (was its first ingest interrupted?); "
                                 f"run 'kg ingest --store {self.path} FILES'")
        try:
            return ox.Store.read_only(str(db)) if self.readonly else ox.Store(str(db))
        except (OSError, RuntimeError) as err:
            detail = " ".join(str(err).split()) or type(err).__name__
            if "Corruption" in detail:
                raise StoreError(f"{self.path}: the store database is damaged ({detail}); nothing was changed") from None
            hint = "; if its first ingest was interrupted, run kg ingest again" if "Column family" in detail else ""
            raise StoreError(f"{self.path}: cannot open the store database ({detail}){hint}") from None

    def _roll_back_as_reader(self) -> None:
        """A reader must not see a half-loaded batch: it takes the write lock (no writer can be
        running, as this reader holds the shared lock) and rolls back as a writer would, then
        goes back to sharing. Where it cannot (other readers, a read-only folder) it refuses."""
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            db = ox.Store(str(self.path / "oxigraph"))
        except (OSError, RuntimeError):
            raise self._half_written() from None
        try:
            self._roll_back(db)
        finally:
            del db
            try:
                fcntl.flock(self._lock_fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:          # a writer came in between: as if it had been first
                raise StoreError(f"{self.path}: the store is busy (another kg process is writing to it); "
                                 "try again when it finishes") from None

    def _half_written(self) -> StoreError:
        return StoreError(f"{self.path}: an interrupted ingest left a batch of articles half written; "
                          f"run 'kg ingest --store {self.path} FILES' (when no other kg process uses the "
                          "store) to roll it back and complete it")

    def _roll_back(self, db: ox.Store) -> None:
        """Remove the graphs a leftover journal names (a bulk load that did not finish) from `db`."""
        for part in self.path.glob(".journal.part*"):     # a journal killed while being written
            part.unlink(missing_ok=True)
        journal = self.path / JOURNAL
        if not journal.exists():
            return
        try:
            graphs = json.loads(journal.read_text())["graphs"]
        except (OSError, ValueError, KeyError, TypeError):
            raise StoreError(f"{self.path}: {JOURNAL} is unreadable; the store may hold half-written "
                             "articles (remove the store and ingest again)") from None
        try:
            # a batch that was marked uncounted was loaded whole: only its journal is left to go
            if not (graphs and isinstance(graphs[0], str) and tallies.is_marked(db, graphs[0])):
                for graph in graphs:
                    db.remove_graph(ox.NamedNode(graph))
                db.flush()
            journal.unlink()
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path}: cannot roll back an interrupted ingest "
                             f"({' '.join(str(err).split())})") from None

    def _lock(self) -> None:
        lock_path = self.path / "lock"
        try:
            self._lock_fh = open(lock_path, "r" if self.readonly and lock_path.exists() else "a+")
            fcntl.flock(self._lock_fh, (fcntl.LOCK_SH if self.readonly else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            self._unlock()
            raise StoreError(f"{self.path}: the store is busy (another kg process is writing to it, or serving it); "
                             "try again when it finishes") from None
        except OSError as err:
            self._unlock()
            if err.errno in (errno.EROFS, errno.EACCES) and not self.readonly:
                raise StoreError(f"{self.path}: the store is read-only ({err.strerror})") from None
            raise StoreError(f"{self.path}: cannot lock the store ({err.strerror or err})") from None

    def _unlock(self) -> None:
        if self._lock_fh:
            self._lock_fh.close()
            self._lock_fh = None

    def close(self) -> None:
        if getattr(self, "_ox", None) is not None:
            if not self.readonly:
                try:
                    self.count_tallies()
                except StoreError:            # the marks stay: the next writer counts them in
                    pass
                try:
                    self._ox.flush()
                except (OSError, RuntimeError):   # a full disk or damaged database was reported already
                    pass
            del self._ox
            self._ox = None
        self._unlock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _ensure_ontology(self) -> None:
        """The ontology lives in its own named graph, refreshed when the shipped file changes."""
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        triples, stamp = ontology_triples()
        probe = ox.Quad(g, ox.NamedNode(str(DKG.contentHash)), ox.Literal(stamp), g)
        if probe in self._ox:
            return
        self._ox.update(f"DROP SILENT GRAPH <{ONTOLOGY_GRAPH}>")
        self._ox.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples] + [probe])

    def _ensure_entity_graph(self) -> None:
        """Upgrade an older store, once: build the entity graph from the article graphs (version 1),
        add the name keys of its labels, aliases and codes (version 2), build the day index (3) and
        the tallies (4; about a minute per 100,000 articles)."""
        if self._version >= FORMAT_VERSION:
            return
        if self._version < 2:
            classes = " ".join(f"<{c.value}>" for c in ENTITY_CLASSES)
            self._ox.update(f"INSERT {{ GRAPH <{ENTITY_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ "
                            f"?s a ?c VALUES ?c {{ {classes} }} ?s ?p ?o FILTER(?p != <{_ENGAGES.value}>) }} }}")
        if self._version < 3:
            names = [(q.subject, q.predicate, q.object) for p in NAME_PROPERTIES
                     for q in self._ox.quads_for_pattern(None, p, None, _ENTITIES)]
            self._ox.extend(ox.Quad(s, p, o, _ENTITIES) for s, p, o in name_keys(names))
        derived.rebuild(self._ox)
        tallies.rebuild(self._ox, (g.value for g in self._ox.named_graphs()
                                   if g not in _DERIVED and g.value != ONTOLOGY_GRAPH))
        self._write_marker()
        self._version = FORMAT_VERSION

    def _count_left_uncounted(self) -> None:
        """Count in what a killed run wrote and did not count (its marks; see kg.tallies)."""
        if tallies.marks(self._ox):
            (self._uncounted, self._recount), self._marked = tallies.left_uncounted(self._ox), True
            self.count_tallies()

    @property
    def has_name_keys(self) -> bool:
        """Whether the entity graph carries name keys (a store opened read-only before its upgrade
        does not; kg.params then scans the names instead)."""
        return self._version >= 3

    def days(self) -> list | None:
        """The day index, newest day first (kg.derived.days), or None for a store opened read-only
        before its upgrade: its listings then run whole."""
        return derived.days(self._ox) if self._version >= 4 else None

    def years(self) -> list | None:
        """The year index, newest year first (kg.derived.years), or None: for a store from before
        it opened read-only (the upgrade to this format builds it, in derived.rebuild), or one
        holding a year it cannot order. The figures listing then runs whole."""
        return derived.years(self._ox) if self._version >= 5 else None

    @property
    def has_tallies(self) -> bool:
        """Whether the store keeps the tallies the aggregate queries read (kg.tallies); a store
        opened read-only before its upgrade, or after a killed run a writer has not yet opened,
        does not (its aggregates run whole)."""
        if self._version < 5:
            return False
        return not self.readonly or self._tallies_whole

    @property
    def _tallies_whole(self) -> bool:
        if getattr(self, "_whole", None) is None:
            self._whole = not tallies.marks(self._ox)
        return self._whole

    # -- writing -------------------------------------------------------------------------------
    def content_hash(self, graph: URIRef) -> str | None:
        """The stored content hash of an article graph, or None when the article is absent."""
        return self._article_value(graph, DKG.contentHash)

    def extractor_version(self, graph: URIRef) -> str | None:
        """The extractor version that built an article graph (None for graphs from before it was kept)."""
        return self._article_value(graph, DKG.extractorVersion)

    def _article_value(self, graph: URIRef, prop: URIRef) -> str | None:
        g = ox.NamedNode(str(graph))
        try:
            for q in self._ox.quads_for_pattern(g, ox.NamedNode(str(prop)), None, g):
                return q.object.value
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path}: cannot read the store database ({' '.join(str(err).split())})") from None
        return None

    def write(self, articles: Sequence[tuple[URIRef, Iterable[tuple], bool]]) -> int:
        """Write article graphs; each item is (graph, triples, replace). See write_quads."""
        return self.write_quads([(ArticleQuads.build(graph, triples), replace) for graph, triples, replace in articles])

    def write_quads(self, articles: Sequence[tuple[ArticleQuads, bool]]) -> int:
        """Write prepared article graphs, (article, replace) each: a replaced graph is dropped and
        rewritten in one transaction; the new ones are bulk-loaded together under the undo journal.
        Returns the number of quads written to article graphs."""
        self._writable()
        new = [a for a, replace in articles if not replace]
        try:
            # the day index gains the batch's days before it is written and loses what it replaces
            # after, so it never misses a day that holds a date (kg.derived)
            gained = sum((derived.dated_nquads(a.nquads) for a, _ in articles), Counter())
            lost = sum((derived.dated_graph(self._ox, a.graph) for a, replace in articles if replace), Counter())
            derived.count_in(self._ox, gained)
            for article, replace in articles:
                if replace:
                    self._replace(article)
            if new:
                self._bulk_load(new)
            derived.count_in(self._ox, Counter({d: -n for d, n in lost.items()}))
        except (OSError, RuntimeError) as err:   # RuntimeError: RocksDB reporting a damaged database
            raise StoreError(f"{self.path}: write failed ({' '.join(str(err).split())}); "
                             "the store keeps what it had") from None
        return sum(a.quads for a, _ in articles)

    def _replace(self, article: ArticleQuads) -> None:
        """Drop and rewrite the graph, marked uncounted, in one transaction."""
        g = ox.NamedNode(article.graph)
        triples = [(q.subject, q.predicate, q.object) for q in
                   ox.parse(article.nquads + article.entities, format=ox.RdfFormat.N_QUADS)]
        body = " .\n".join(f"{s} {p} {o}" for s, p, o in triples[:article.quads])
        index = " .\n".join(f"{s} {p} {o}" for s, p, o in triples[article.quads:])
        old = tallies.of_graph(self._ox, article.graph)
        # marked with the version the tallies count, unless an earlier write of this run marked it
        marking = "" if tallies.is_marked(self._ox, article.graph) else \
            " ;\n" + tallies.update_text([], [tallies.mark(article.graph, old)])
        self._ox.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{ {body} }} "
                        f"GRAPH {_ENTITIES} {{ {index} }} }}" + marking)
        self._uncount(article.tallies, 1)
        self._uncount(old, -1)

    def _bulk_load(self, articles: Sequence[ArticleQuads]) -> None:
        """Journal, load, mark the batch uncounted (kg.tallies), delete the journal. The marks are
        one transaction, so a run killed before it is rolled back, and one killed after it keeps
        the whole batch. A load that fails (a full disk) is rolled back now; one that is killed,
        when the store is next opened."""
        entries = self._new_entries(articles)
        self._write_journal([a.graph for a in articles])
        try:
            # lenient: IRIs were checked (by Oxigraph) and literals escaped when the text was written
            data = _Concatenated([*(a.nquads for a in articles), *entries.values()])
            self._ox.bulk_load(io.BufferedReader(data, 1 << 20), format=ox.RdfFormat.N_QUADS, lenient=True)
            self._ox.update(tallies.update_text([], [tallies.mark(a.graph, {}) for a in articles]))
        except BaseException:
            try:
                self._roll_back(self._ox)
            except StoreError:
                pass                      # the journal stays: the next open rolls back
            raise
        (self.path / JOURNAL).unlink()
        for a in articles:
            self._uncount(a.tallies, 1)
        if len(self._loaded) + len(entries) > ENTRY_MEMO:
            self._loaded.clear()
        self._loaded.update(entries)

    def _new_entries(self, articles: Sequence[ArticleQuads]) -> dict[bytes, bytes]:
        """The batch's entity entries (N-Quads lines, by digest) that this Store has not loaded
        already: the same entity is described by many articles, and loading it again would only add
        work for the database (the entity graph is a set either way). A 16-byte digest is remembered
        instead of the line, a third of the memory."""
        lines = dict.fromkeys(line for a in articles for line in a.entities.splitlines(keepends=True))
        digests = ((blake2b(line, digest_size=16).digest(), line) for line in lines)
        return {d: line for d, line in digests if d not in self._loaded}

    def _write_journal(self, graphs: list[str]) -> None:
        """Written whole and fsynced (file and folder) before the load starts."""
        fd, part = tempfile.mkstemp(dir=self.path, prefix=".journal.part")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump({"graphs": graphs}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, self.path / JOURNAL)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _uncount(self, part: dict, sign: int) -> None:
        """Add an article's contribution to the sum waiting to be counted in (it is marked), or
        take the version it replaces away."""
        self._marked = True
        tallies.add(self._uncounted, part if sign > 0 else tallies.negated(part))
        if sign < 0:
            self._recount |= tallies.recounted(part)
        if len(self._uncounted) > tallies.HELD:
            self.count_tallies()

    def count_tallies(self) -> None:
        """Count what was written since the last time into the tallies (kg.tallies): done at the end
        of an ingest, before a query, when the store is closed, and when the sum grows large."""
        if self.readonly or (not self._uncounted and not self._marked):
            return
        try:
            tallies.count_in(self._ox, self._uncounted, self._recount)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path}: write failed ({' '.join(str(err).split())}); "
                             "the store keeps what it had") from None
        self._uncounted, self._recount, self._marked = {}, set(), False

    def optimize(self) -> None:
        """Compact the database files (smaller on disk, faster reads); worth it after a big ingest."""
        self._writable()
        try:
            self._ox.optimize()
        except OSError as err:
            raise StoreError(f"{self.path}: optimize failed ({err})") from None

    def remove(self, graph: URIRef) -> None:
        self._writable()
        lost = derived.dated_graph(self._ox, str(graph))
        self.count_tallies()
        # the graph and its share of the tallies go in one transaction
        old = tallies.of_graph(self._ox, str(graph))
        counts = tallies.update_text(*tallies.changes(self._ox, tallies.negated(old), tallies.recounted(old), frozenset([str(graph)])))
        self._ox.update(f"DROP SILENT GRAPH {ox.NamedNode(str(graph))}" + (f" ;\n{counts}" if counts else ""))
        derived.count_in(self._ox, Counter({d: -n for d, n in lost.items()}))

    def _writable(self):
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")

    # -- reading -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: dict | None = None, limit: int | None = None) -> QueryResult:
        """SPARQL over the union of all graphs. `bindings` map variable names to RDF terms and are
        substituted by the engine, never pasted into the query text; the query must SELECT them.
        `limit` stops reading solutions after that many rows."""
        subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        self.count_tallies()
        try:
            raw = self._ox.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
            return QueryResult.from_ox(raw, limit)   # solutions are lazy: evaluation errors come here
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"query failed: {err}") from None

    def values(self, sparql: str, bindings: dict | None = None) -> Iterator[tuple]:
        """SELECT solutions as tuples of plain strings (an IRI, a literal's lexical form; None when
        unbound), streamed: for bulk readers such as the network projection, where building rdflib
        terms would cost more than the query."""
        subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        self.count_tallies()
        try:
            for sol in self._ox.query(sparql, use_default_graph_as_union=True, substitutions=subs or None):
                yield tuple(None if t is None else t.value for t in sol)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"query failed: {err}") from None

    def graphs(self) -> Iterator[URIRef]:
        """The article graphs and the ontology's: the entity graph and the day index are internal
        indexes, derived from the articles, so exports, validation and counts leave them out."""
        for g in self._ox.named_graphs():
            if g not in _DERIVED:
                yield URIRef(g.value)

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple]:
        g = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self._ox.quads_for_pattern(None, None, None, g):
            yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))

    @property
    def dataset(self):
        """The store as an rdflib Dataset (union default graph), for notebook users."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset
        return Dataset(store=OxigraphStore(store=self._ox), default_union=True)

    def __len__(self) -> int:
        """Triples in the article and ontology graphs (the indexes are not data of their own)."""
        return len(self._ox) - sum(1 for g in _DERIVED for _ in self._ox.quads_for_pattern(None, None, None, g))
