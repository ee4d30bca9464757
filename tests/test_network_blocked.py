"""No network at run time: ingest, query, export, stats and viz all work with the network blocked.

Each command runs in a fresh process whose sockets refuse to connect or resolve names (a
sitecustomize on PYTHONPATH, which also records every attempt), inside an empty network namespace
(`unshare -n`) where the system allows one. Every command must succeed, and no attempt be made.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEEDS

SITECUSTOMIZE = '''
import os, socket

def _blocked(*args, **kwargs):
    with open(os.environ["KG_NETWORK_LOG"], "a") as log:
        log.write(f"network attempt: {args[1:] or args}\\n")
    raise OSError("network blocked by the test")

socket.socket.connect = socket.socket.connect_ex = _blocked
socket.getaddrinfo = socket.create_connection = socket.gethostbyname = _blocked
'''


def can_unshare() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-n", "true"],
                                                            capture_output=True).returncode == 0


@pytest.fixture
def offline(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(REPO)]), KG_NETWORK_LOG=str(log))
    prefix = ["unshare", "-n"] if can_unshare() else []

    def run(*args):
        return subprocess.run([*prefix, sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
    run.log = log
    return run


def test_the_blocker_works(offline):
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('pypi.org', 443))"],
                           env={**os.environ, "PYTHONPATH": str(Path(offline.log).parent / "site"),
                                "KG_NETWORK_LOG": str(offline.log)}, capture_output=True, text=True)
    assert probe.returncode != 0 and "network blocked" in probe.stderr
    offline.log.unlink()


def test_every_command_works_offline(offline, tmp_path):
    store = tmp_path / "store"
    steps = [("ingest", "--store", store, SEEDS),
             ("query", "--store", store, "agreements", "--format", "csv"),
             ("query", "--store", store, "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
             ("stats", "--store", store),
             ("export", "--store", store, "--format", "turtle", "-o", tmp_path / "graph.ttl"),
             ("export", "--store", store, "--format", "jsonld", "-o", tmp_path / "graph.jsonld"),
             ("viz", "--store", store, "-o", tmp_path / "graph.html")]
    for step in steps:
        result = offline(*step)
        assert result.returncode == 0, (step[0], result.stderr)
    assert "signed" in offline(*steps[1]).stdout
    page = (tmp_path / "graph.html").read_text()
    assert "vis" in page and not re.search(r'(src|href)="(https?:)?//', page), "the page must load nothing remote"
    attempts = offline.log.read_text() if offline.log.exists() else ""
    assert attempts == "", attempts
