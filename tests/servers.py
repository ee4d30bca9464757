"""Real SPARQL servers for the tests, on loopback and random free ports, in temp dirs.

`oxigraph serve` comes from the `oxigraph` PyPI package (a dependency); Virtuoso Open Source from
Debian's `virtuoso-opensource` (.ci/run installs it). A test needing a server that is not
installed is skipped and says which package is missing.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    return found


@contextlib.contextmanager
def oxigraph_server(location: Path):
    """`oxigraph serve` with the union default graph: yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 4
CheckpointInterval = 0
DirsAllowed = ., {d}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 4
MaxClientConnections = 4
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextlib.contextmanager
def virtuoso_server(workdir: Path):
    """Virtuoso Open Source in `workdir`: yields endpoint options for kg (the authenticated update
    and Graph Store endpoints, as the fresh database's dba/dba)."""
    binary = shutil.which("virtuoso-t")
    if not binary:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    workdir.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=workdir, sql_port=sql_port, http_port=http_port, vsp=VIRTUOSO_VSP))
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, seconds=120)
        yield {"url": f"{base}/sparql", "update": f"{base}/sparql-auth", "gsp": f"{base}/sparql-graph-crud-auth",
               "user": "dba", "password": "dba"}
    finally:
        stop(proc)


class KGServe:
    """`kg serve` in a subprocess; .url once it has printed its endpoints, .stop() sends Ctrl-C."""

    def __init__(self, store: Path, *args: str):
        self.port = free_port()
        cmd = [str(VENV_BIN / "kg"), "serve", "--store", str(store), "--port", str(self.port), *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.banner = ""
        for line in self.proc.stdout:
            self.banner += line
            if line.startswith("Press Ctrl-C"):
                break
        if self.proc.poll() is not None or "query:" not in self.banner:
            self.proc.wait(30)
            raise RuntimeError(f"kg serve did not start: {self.proc.stderr.read()}")
        self.url = re.search(r"query:\s+(\S+)/query", self.banner).group(1)

    def stop(self) -> tuple[int, str]:
        """Ctrl-C; (exit code, rest of stdout)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return self.proc.returncode, out

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.stop()
