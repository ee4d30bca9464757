"""The network page as a user sees it: real headless Chromium, network blocked, from file://."""
from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_viz import HOSTILE, SENTENCE, embedded, hostile_store

import kg
from kg.network import project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium)")
BROWSER_OWN = re.compile(r"\.(?:google|googleapis|gstatic|gvt1)\.com(?::\d+)?$")
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars", "--window-size=1400,900",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",   # no network at all
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=8000"]


def browse(tmp_path, page: Path, fragment: str = "", screenshot: Path | None = None) -> tuple[str, str, str]:
    """(DOM after the scripts ran, browser log, network log) for the page opened from file://."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    netlog = profile.with_suffix(".netlog.json")
    action = [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--log-net-log={netlog}",
                          *action, page.resolve().as_uri() + fragment],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr, netlog.read_text() if netlog.exists() else ""


def body_attrs(dom: str) -> dict:
    tag = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def assert_clean(log: str, netlog: str) -> None:
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line
               or "Content Security Policy" in line]
    assert not console, "\n".join(console)
    requested = {url for url in re.findall(r'"url":"((?:https?|wss?)://[^"/]*)', netlog)
                 if not BROWSER_OWN.search(url)}          # Chromium's own time and update checks
    assert not requested, requested


def test_seeds_page_renders_every_node_and_edge(tmp_path):
    page = tmp_path / "seeds.html"
    with kg.open_store(tmp_path / "store") as store:
        kg.ingest(store, [str(REPO / "seeds")])
        kg.viz(store, page, view="full")
        G = project(store)
    dom, log, netlog = browse(tmp_path, page)
    attrs = body_attrs(dom)
    assert attrs["data-ready"] == "true"
    assert int(attrs["data-nodes-rendered"]) == int(attrs["data-nodes-total"]) == len(G)
    assert int(attrs["data-edges-rendered"]) == int(attrs["data-edges-total"]) == G.number_of_edges()
    assert_clean(log, netlog)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "seeds-graph.png"
    browse(tmp_path, page, screenshot=shot)
    assert shot.stat().st_size > 10_000


def test_hostile_text_is_shown_and_never_runs(tmp_path):
    page = tmp_path / "hostile.html"
    with hostile_store(tmp_path / "store") as store:
        kg.viz(store, page, view="full")
    data = embedded(page.read_text())
    node = next(n["id"] for n in data["nodes"] if n["label"] == HOSTILE)
    edge = next(e["id"] for e in data["edges"] if e["evidence"])
    dom, log, netlog = browse(tmp_path, page, f"#edge={edge}")
    assert "<title>defence-kg network</title>" in dom and "pwned" not in dom.split("</head>")[0]
    assert "<img" not in dom                              # the payload never became an element
    details = dom.split('id="kg-details"')[1].split("</section>")[0]
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", details)).count(SENTENCE) == 1   # shown, as text
    assert_clean(log, netlog)
    dom, log, netlog = browse(tmp_path, page, f"#select={node}")
    details = dom.split('id="kg-details"')[1].split("</section>")[0]
    assert "&lt;/script&gt;&lt;script&gt;" in details and "pwned" not in dom.split("</head>")[0]


def test_filters_change_what_is_visible(tmp_path):
    page = tmp_path / "page.html"
    with hostile_store(tmp_path / "store") as store:
        kg.viz(store, page, view="full")
    data = embedded(page.read_text())
    dom, log, _ = browse(tmp_path, page, "#hide=Event")
    attrs = body_attrs(dom)
    events = {n["id"] for n in data["nodes"] if n["kind"] == "Event"}
    assert events
    assert int(attrs["data-nodes-rendered"]) == len(data["nodes"]) - len(events)
    assert int(attrs["data-edges-rendered"]) == sum(1 for e in data["edges"]
                                                    if e["from"] not in events and e["to"] not in events)
    dom, _, _ = browse(tmp_path, page, "#since=2025-03-04")
    assert body_attrs(dom)["data-nodes-rendered"] == "0"
