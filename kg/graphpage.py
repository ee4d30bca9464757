"""The network page: one self-contained HTML file that opens from file:// in an air-gapped office.

vis-network's script and styles come from the installed pyvis package and are inlined at generation
time; the page is our own Jinja2 template (pyvis's in_line mode still pulls Bootstrap from a CDN).
Positions are computed here (igraph's Fruchterman-Reingold for large graphs, networkx's spring layout
for small ones) so a big page draws with physics off and a 5,000-node page is ready in seconds; a page
of up to 200 nodes lets physics push overlapping nodes apart once as it opens, then freezes.

Article text is hostile input. All data travels as one JSON block whose <, > and & are written as
\\u003c, \\u003e and \\u0026 (so `</script>` cannot close it), and the page shows it with textContent.
The module is not called `viz` because `kg.viz` is the library function of that name.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import __version__
from .errors import InputError
from .network import ACTOR_KINDS, actor_graph, ego, find_node, importance, keep_most_important, project
from .store import Store

TEMPLATES = Path(__file__).with_name("templates")
DEFAULT_MAX_NODES = 3000
GAP = 110                      # px between neighbours and between components: room for a label
SMALL_GRAPH = 400              # below this, networkx's spring layout; above, igraph when available
EVIDENCE_PER_EDGE = 25         # the page lists this many sentences per edge and counts the rest
ARTICLES_PER_NODE = 25
NODE_STYLE = {                 # kind: (colour, vis-network shape)
    "Country": ("#4e79a7", "dot"), "Organisation": ("#f28e2b", "square"), "Person": ("#59a14f", "triangle"),
    "Place": ("#76b7b2", "diamond"), "Region": ("#bab0ac", "dot"), "WeaponSystem": ("#b07aa1", "star"),
    "Agreement": ("#edc948", "triangleDown"), "Event": ("#9c755f", "hexagon"),
}
RELATION_STYLE = {             # relation: (colour, directed)
    "engages": ("#2a9d8f", False), "affiliated": ("#8d99ae", True), "party": ("#e9c46a", False),
    "signatory": ("#f4a261", False), "participant": ("#a98467", False), "supplies": ("#7b2cbf", True),
    "location": ("#76b7b2", False), "located in": ("#b8c4c2", True),
}
CONFLICT_COLOUR = "#d62828"
MIXED_COLOUR = "#d6006f"          # magenta, apart from every relation colour


@dataclass
class PageOptions:
    """What the page shows; the CLI's options, as a value the library and tests can pass around."""
    view: str | None = None                 # "actors" (default) or "full"; "full" when focusing
    focus: str | None = None
    depth: int = 1
    since: dt.date | None = None
    until: dt.date | None = None
    area: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    title: str = "defence-kg network"
    notes: list[str] = field(default_factory=list)


@dataclass
class PageSummary:
    """What a written page shows; usable wherever a path is."""
    path: Path
    nodes: int
    edges: int
    dropped: int
    layout: str

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def line(self) -> str:
        left = f", {self.dropped:,} less important nodes left out" if self.dropped else ""
        return f"{self.path}: {self.nodes:,} nodes, {self.edges:,} edges{left}"


def store_graph(store: Store, opts: PageOptions) -> tuple[nx.MultiGraph, int]:
    """The graph the page shows (from the shared projection) and how many nodes it left out."""
    view = opts.view or ("full" if opts.focus else "actors")
    lean = view == "actors" and not opts.focus     # a focus may fall back to the full view
    G = project(store, since=opts.since, until=opts.until, area=opts.area, view="actors" if lean else "full")
    if opts.focus:
        center = find_node(G, opts.focus)
        if center is None:
            raise InputError(f"--focus {opts.focus!r}: no entity of that name in the graph")
        if view == "actors" and G.nodes[center]["kind"] not in ACTOR_KINDS:
            view = "full"
            opts.notes.append(f"{G.nodes[center]['label']} is not a country or organisation: full view")
        G = ego(actor_graph(G) if view == "actors" else G, center, opts.depth)
        opts.notes.append(f"focus: {G.nodes[center]['label']}, depth {opts.depth}")
    elif view == "actors":
        G = actor_graph(G)
    elif view != "full":
        raise InputError(f"unknown view {view!r} (choose actors or full)")
    opts.view = view
    return keep_most_important(G, opts.max_nodes)


def store_page(store: Store, opts: PageOptions | None = None) -> tuple[str, dict]:
    """(the HTML page, its summary) for the store, as `opts` selects."""
    opts = opts or PageOptions()
    G, dropped = store_graph(store, opts)
    filters = [f"view: {opts.view}", *opts.notes]
    if opts.since or opts.until:
        filters.append(f"articles dated {opts.since or '…'} to {opts.until or '…'}")
    if opts.area:
        filters.append(f"area: {opts.area}")
    return render_graph(G, title=opts.title, store=str(store.path), filters=filters, dropped=dropped,
                        max_nodes=opts.max_nodes)


def render_graph(G: nx.MultiGraph, *, title: str = "defence-kg network", store: str = "",
                 filters: list[str] | None = None, dropped: int = 0, max_nodes: int | None = None,
                 seed: int = 7) -> tuple[str, dict]:
    """(page, summary) for a projected graph; separate from the store so benchmarks can time it on
    synthetic graphs. Nodes need `kind` and `label`; every other attribute is optional."""
    positions = layout(G, seed=seed)
    data = page_data(G, positions)
    summary = {"nodes": len(data["nodes"]), "edges": len(data["edges"]), "dropped": dropped,
               "layout": positions.engine}
    data["meta"] = {"title": title, "store": store, "filters": filters or [], "dropped": dropped,
                    "max_nodes": max_nodes, "generated": dt.datetime.now().isoformat(timespec="seconds"),
                    "version": __version__, **summary}
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]))
    js, css = vis_assets()
    html = env.get_template("network.html.j2").render(
        title=title, version=__version__, vis_js=js, vis_css=css,
        page_js=(TEMPLATES / "network.js").read_text(), page_css=(TEMPLATES / "network.css").read_text(),
        data_json=script_json(data))
    return html, summary


def script_json(data) -> str:
    """JSON that is safe inside <script type="application/json">: no <, > or & survives raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def vis_assets() -> tuple[str, str]:
    """vis-network's minified script and its styles, read from the installed pyvis package."""
    import pyvis
    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"), key=lambda p: _version(p.parent.name))
    if not found:
        raise InputError(f"vis-network not found under {lib}; reinstall pyvis")
    js = found[-1].read_text(encoding="utf-8")
    css = found[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():      # would end the inline block early
        raise InputError(f"{found[-1]}: cannot be inlined safely")
    return js, css


def _version(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in name.split("-", 1)[-1].split("."))


class Positions(dict):
    engine = "none"


def layout(G: nx.Graph, seed: int = 7) -> Positions:
    """Node -> (x, y) in page pixels. Each connected component is laid out alone (about 110 px per
    node) and the components are packed in rows, largest first, so small ones don't ring the big one."""
    pos = Positions()
    pos.engine = "igraph fruchterman-reingold" if len(G) > SMALL_GRAPH and _has_igraph() else "networkx spring"
    boxes = []
    for comp in sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c)))):
        boxes.append(_component_layout(G.subgraph(comp), seed))
    x = y = row_height = 0.0
    width = max(GAP * math.sqrt(len(G)) * 1.6, max((b[1] for b in boxes), default=0))
    for coords, w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        for n, (px, py) in coords.items():
            pos[n] = (round(x + px, 1), round(y + py, 1))
        x += w + GAP
        row_height = max(row_height, h)
    return pos


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _component_layout(C: nx.Graph, seed: int) -> tuple[dict, float, float]:
    """(positions from the component's top-left corner, width, height) for one component."""
    nodes = list(C.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}, 0.0, 0.0
    raw = _igraph_layout(C, nodes, seed) if len(C) > SMALL_GRAPH else None
    if raw is None and len(C) > 2000:     # no igraph: a dense spring layout would take minutes
        raw = nx.circular_layout(C)
    if raw is None:
        raw = nx.spring_layout(nx.Graph(C), seed=seed, k=2 / math.sqrt(len(C)), iterations=100)
    xs = [raw[n][0] for n in nodes]
    ys = [raw[n][1] for n in nodes]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = GAP * math.sqrt(len(C)) / span
    coords = {n: ((raw[n][0] - min(xs)) * scale, (raw[n][1] - min(ys)) * scale) for n in nodes}
    return coords, (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale


def _igraph_layout(G: nx.Graph, nodes: list, seed: int):
    try:
        import igraph
    except ImportError:
        return None
    import random
    index = {n: i for i, n in enumerate(nodes)}
    edges = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    g = igraph.Graph(n=len(nodes), edges=sorted(edges))
    random.seed(seed)          # igraph draws its starting positions from Python's random module
    coords = g.layout_fruchterman_reingold(niter=500, grid="auto")
    return {n: coords[index[n]] for n in nodes}


def page_data(G: nx.MultiGraph, positions: dict) -> dict:
    """The JSON the page script reads: articles once, nodes and edges pointing at them by index."""
    articles = G.graph.get("articles", {})
    art_index: dict[str, int] = {}
    art_list: list[dict] = []

    def art(iri: str) -> int:
        if iri not in art_index:
            art_index[iri] = len(art_list)
            info = articles.get(iri, {})
            art_list.append({"date": info.get("date"), "source": info.get("source") or iri,
                             "title": info.get("title")})
        return art_index[iri]

    score = importance(G)
    top = max(score.values(), default=1.0) or 1.0
    ids = {n: i for i, n in enumerate(G.nodes)}
    nodes = []
    for n, d in G.nodes(data=True):
        arts = sorted(d.get("articles", ()), key=lambda a: (articles.get(a, {}).get("date") or "", a))
        x, y = positions.get(n, (0.0, 0.0))
        nodes.append({
            "id": ids[n], "iri": n, "label": d.get("label") or str(n), "kind": d.get("kind", "Other"),
            "subtype": d.get("subtype"), "aliases": sorted(d.get("aliases", ())), "roles": sorted(d.get("roles", ())),
            "iso": d.get("iso"), "org_kind": d.get("org_kind"), "polarity": d.get("polarity"),
            "status": d.get("status"), "areas": sorted(d.get("areas", ()) or ()),
            "n_articles": len(arts), "articles": [art(a) for a in arts[-ARTICLES_PER_NODE:]],
            "size": round(8 + 22 * math.sqrt(score[n] / top), 1), "x": x, "y": y,
        })
    edges = []
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        src, dst = d.get("source", u), d.get("target", v)
        evidence = d.get("evidence", [])
        polarity = d.get("polarity") or {}
        arts = sorted(d.get("articles", ()), key=lambda a: articles.get(a, {}).get("date") or "")
        edges.append({
            "id": i, "from": ids[src], "to": ids[dst], "relation": d.get("relation", k),
            "polarity": _polarity(polarity), "areas": sorted(d.get("areas", ())),
            "n_articles": len(arts), "articles": [art(a) for a in arts],
            "evidence": [{"text": t, "article": art(a), "fact": f} for t, a, f in evidence[:EVIDENCE_PER_EDGE]],
            "more_evidence": max(0, len(evidence) - EVIDENCE_PER_EDGE),
        })
    style = {"kinds": {k: {"colour": c, "shape": s} for k, (c, s) in NODE_STYLE.items()},
             "relations": {r: {"colour": c, "directed": dd} for r, (c, dd) in RELATION_STYLE.items()},
             "conflict": CONFLICT_COLOUR, "mixed": MIXED_COLOUR}
    return {"nodes": nodes, "edges": edges, "articles": art_list, "style": style}


def _polarity(counts) -> str | None:
    conflict, cooperation = counts.get("conflict", 0), counts.get("cooperation", 0)
    if conflict and cooperation:
        return "mixed"
    return "conflict" if conflict else "cooperation" if cooperation else None
