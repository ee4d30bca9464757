"""What every store offers, embedded (kg.store.Store) or remote (kg.remote.RemoteStore): the one
interface the API, ingest, queries, exports and the network page rely on."""
from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence, runtime_checkable

from rdflib import URIRef

from .results import QueryResult


@runtime_checkable
class StoreLike(Protocol):
    path: object          # what messages and pages call the store: a folder or a URL
    readonly: bool

    def query(self, sparql: str, bindings: dict | None = None, limit: int | None = None) -> QueryResult:
        """SPARQL over the union of the article graphs, `bindings` given as values, never as text."""

    def values(self, sparql: str, bindings: dict | None = None) -> Iterator[tuple]:
        """SELECT solutions as tuples of plain strings, streamed (bulk readers such as kg.network)."""

    def content_hash(self, graph: URIRef) -> str | None:
        """The stored hash of an article's text, for skipping unchanged articles."""

    def extractor_version(self, graph: URIRef) -> str | None:
        """The extractor version that built an article graph: a new one re-extracts unchanged text."""

    def write(self, articles: Sequence[tuple[URIRef, Iterable[tuple], bool]]) -> int:
        """Write (graph, triples, replace) items, each graph whole; returns the triples written."""

    def write_quads(self, articles: Sequence[tuple]) -> int:
        """Write prepared (kg.store.ArticleQuads, replace) items, as ingest hands them over."""

    def remove(self, graph: URIRef) -> None: ...

    def graphs(self) -> Iterator[URIRef]: ...

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple]: ...

    def close(self) -> None: ...

    def __len__(self) -> int: ...
