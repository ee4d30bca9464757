"""Run a query with a time limit: in a child process that opens the store read-only and is killed
when the limit passes. Oxigraph cannot cancel a running query, so a process is the robust way."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from .errors import KGError, QueryError


def _child(conn, store_path: str, sparql: str, bindings: dict, limit):
    from .store import Store
    try:
        with Store(store_path, readonly=True, create=False) as store:
            conn.send(("ok", store.query(sparql, bindings=bindings, limit=limit)))
    except KGError as err:
        conn.send(("error", type(err).__name__, str(err), err.exit_code))
    except Exception as err:    # noqa: BLE001 - anything else is reported, not lost with the child
        conn.send(("error", "QueryError", f"query failed: {err}", 2))
    finally:
        conn.close()


def query_with_timeout(store_path: str | Path, sparql: str, bindings: dict, limit, seconds: float):
    """The QueryResult, or a QueryError when the query takes longer than `seconds`."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(store_path), sparql, bindings, limit), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise QueryError(f"query stopped after {seconds:g} s (--timeout); narrow it with parameters "
                             "or --limit, or allow more time")
        try:
            message = parent.recv()
        except EOFError:
            raise QueryError("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if message[0] == "ok":
        return message[1]
    _, kind, text, code = message
    err = QueryError(text)
    err.exit_code = code
    raise err
