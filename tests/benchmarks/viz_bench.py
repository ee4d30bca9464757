"""How fast a big network page is ready, in headless Chromium over the DevTools protocol.

A synthetic scale-free graph (default 5,000 nodes, two links per new node) with articles and
evidence sentences on every edge, so the embedded JSON is the size a real store would give, goes
through the same render_graph as `kg viz`; then, each run in a fresh browser:

    ready     navigation to the first draw (wall clock), and the page's own figure (script start to draw)
    click     a real mouse click on a node to its details in the side panel
    search    typing a name and Enter to the node selected and focused
    filter    unticking a node type to the redrawn graph
    physics   ticking "physics" to the layout settled and frozen again

    python tests/benchmarks/viz_bench.py                   # 5,000 nodes, 3 runs
    python tests/benchmarks/viz_bench.py --nodes 20000 --runs 1

Results go to tests/benchmarks/results/viz.json. The target (issue 5): ready within 10 s.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cdp import CHROMIUM, Browser  # noqa: E402

from kg.graphpage import render_graph  # noqa: E402

RESULTS = HERE / "results"
CLICKABLE = """(function (id) { var n = window.kgNetwork, p = n.getPositions([id])[id];
  n.moveTo({position: p, scale: 1.5, animation: false});
  var d = n.canvasToDOM(p), r = document.getElementById('kg-graph').getBoundingClientRect();
  return [d.x + r.left, d.y + r.top, n.getNodeAt(d)]; })(%d)"""
KINDS = ("Country", "Organisation", "Person", "Place", "WeaponSystem")
SENTENCE = ("Officials from {a} and {b} met on Tuesday to discuss maritime security, joint exercises and "
            "the delivery of patrol vessels, according to a statement released after the talks.")


def synthetic(n: int, seed: int = 3) -> nx.MultiGraph:
    """A scale-free graph dressed like a projection: kinds, labels, articles, evidence, polarity."""
    simple = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiGraph()
    G.graph["articles"] = {f"a{i}": {"date": f"202{i % 6}-0{1 + i % 9}-1{i % 10}", "source": f"news/{i}.txt",
                                     "title": None} for i in range(n // 2)}
    for v in simple:
        G.add_node(v, kind=KINDS[v % len(KINDS)], label=f"actor {v}", aliases={f"alias {v}"}, roles=set(),
                   articles={f"a{(v * 7 + k) % (n // 2)}" for k in range(3)})
    for i, (u, v) in enumerate(simple.edges()):
        arts = {f"a{(i + k) % (n // 2)}" for k in range(1 + i % 3)}
        G.add_edge(u, v, key="engages", relation="engages", articles=arts, areas={"maritime-security"},
                   polarity={"conflict": 1} if i % 10 == 0 else {"cooperation": 1},
                   evidence=[(SENTENCE.format(a=u, b=v), a, None) for a in sorted(arts)])
    return G


def one_run(page: Path, data: dict, profile: Path) -> dict:
    with Browser(profile, timeout=120) as b:
        started = time.monotonic()
        b.open(page.as_uri())
        ready_wall = time.monotonic() - started
        ready_page = int(b.evaluate("document.body.dataset.readyMs")) / 1000
        for node in sorted(data["nodes"], key=lambda n: -n["size"])[:50]:   # a big node no other covers
            x, y, hit = b.evaluate(CLICKABLE % node["id"])
            if hit == node["id"]:
                break
        label = json.dumps(node["label"])
        t = time.monotonic()
        b.click(x, y)
        b.wait_for(f"document.querySelector('#kg-details h3').innerText === {label}")
        click = time.monotonic() - t

        target = data["nodes"][len(data["nodes"]) // 2]
        b.click_element("#kg-search")
        t = time.monotonic()
        b.type(target["label"])
        b.press("Enter", 13)
        b.wait_for(f"document.querySelector('#kg-details h3').innerText === {json.dumps(target['label'])}")
        search = time.monotonic() - t

        drawn = b.evaluate("document.body.dataset.nodesRendered")
        t = time.monotonic()
        b.click_element('#kg-kinds input[value="Person"]')
        b.wait_for(f"document.body.dataset.nodesRendered !== '{drawn}'")
        filtered = time.monotonic() - t

        settled = int(b.evaluate("document.body.dataset.settled || 0"))
        t = time.monotonic()
        b.click_element("#kg-physics")
        b.wait_for(f"Number(document.body.dataset.settled || 0) > {settled}", timeout=120)
        physics = time.monotonic() - t
        problems = b.problems()
    return {"ready_wall_s": ready_wall, "ready_page_s": ready_page, "click_s": click, "search_s": search,
            "filter_s": filtered, "physics_s": physics, "problems": problems}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not CHROMIUM:
        sys.exit("chromium is not installed (apt-get install chromium)")
    G = synthetic(args.nodes)
    t = time.monotonic()
    html, summary = render_graph(G, title=f"{args.nodes:,} synthetic nodes")
    generate = time.monotonic() - t
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "big.html"
        page.write_text(html, encoding="utf-8")
        from test_viz import embedded
        data = embedded(html)
        runs = [one_run(page, data, Path(tmp) / f"profile-{i}") for i in range(args.runs)]
    result = {"nodes": summary["nodes"], "edges": summary["edges"], "layout": summary["layout"],
              "page_mb": round(len(html.encode()) / 2**20, 2), "generate_s": round(generate, 2), "runs": runs}
    print(f"{summary['nodes']:,} nodes, {summary['edges']:,} edges; page {result['page_mb']} MB, "
          f"generated in {generate:.1f} s ({summary['layout']})")
    for key in ("ready_wall_s", "ready_page_s", "click_s", "search_s", "filter_s", "physics_s"):
        values = [r[key] for r in runs]
        print(f"  {key:<13} median {statistics.median(values):6.2f} s   max {max(values):6.2f} s")
    for r in runs:
        for p in r["problems"]:
            print(f"  problem: {p}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "viz.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
