// The defence-kg network page. Every string from the graph is shown with textContent, never as HTML.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var S = data.style, meta = data.meta, body = document.body;
  var raw = data.nodes, rawEdges = data.edges;
  var state = { kinds: {}, relations: {}, area: "", since: "", until: "" };
  var adjacency = raw.map(function () { return []; });
  rawEdges.forEach(function (e) { adjacency[e.from].push(e.id); adjacency[e.to].push(e.id); });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  var GLYPHS = { dot: "●", square: "■", triangle: "▲", diamond: "◆", star: "★", triangleDown: "▼", hexagon: "⬢" };
  function short(label) { return label.length > 40 ? label.slice(0, 38) + "…" : label; }
  function kindStyle(kind) { return S.kinds[kind] || { colour: "#999999", shape: "dot" }; }
  function edgeColour(e) {
    if (e.polarity === "conflict") return S.conflict;
    if (e.polarity === "mixed") return S.mixed;
    return (S.relations[e.relation] || { colour: "#999999" }).colour;
  }

  // -- the vis-network items ---------------------------------------------------------------------
  var many = raw.length > 1500;
  var settling = raw.length > 0 && raw.length <= 200;   // a small page pushes overlapping nodes apart, then freezes
  var nodeSet = new vis.DataSet(raw.map(function (n) {
    var st = kindStyle(n.kind), conflict = n.polarity === "conflict";
    return { id: n.id, label: short(n.label), x: n.x, y: n.y, shape: st.shape, size: n.size,
             borderWidth: conflict ? 3 : 1,
             color: { background: st.colour, border: conflict ? S.conflict : "#333333",
                      highlight: { background: st.colour, border: "#000000" } } };
  }));
  var edgeSet = new vis.DataSet(rawEdges.map(function (e) {
    var rel = S.relations[e.relation] || {};
    return { id: e.id, from: e.from, to: e.to, color: { color: edgeColour(e), highlight: "#000000", opacity: 0.8 },
             width: 1 + 1.5 * Math.log2(1 + e.n_articles),
             dashes: e.polarity === "conflict" ? true : e.polarity === "mixed" ? [2, 4] : false,
             label: rawEdges.length <= 1500 ? e.relation : undefined,
             arrows: rel.directed ? { to: { enabled: true, scaleFactor: 0.5 } } : undefined };
  }));

  // -- filters -------------------------------------------------------------------------------------
  var visibleNode = [], visibleEdge = [];
  function inDates(articles) {
    if (!state.since && !state.until) return true;
    return articles.some(function (i) {
      var d = data.articles[i].date || "";
      return (!state.since || d >= state.since) && (!state.until || d <= state.until);
    });
  }
  function edgeOk(e) {
    return state.relations[e.relation] !== false && inDates(e.articles) &&
      (!state.area || e.areas.indexOf(state.area) >= 0);
  }
  function nodeOk(n, edgeOkById) {
    if (state.kinds[n.kind] === false) return false;
    var filtered = state.area || state.since || state.until;
    if (!filtered) return true;
    var own = inDates(n.articles) && (!state.area || n.areas.indexOf(state.area) >= 0);
    return own || adjacency[n.id].some(function (id) { return edgeOkById[id]; });
  }
  function refresh() {
    var ok = rawEdges.map(edgeOk);
    visibleNode = raw.map(function (n) { return nodeOk(n, ok); });
    visibleEdge = rawEdges.map(function (e, i) { return ok[i] && visibleNode[e.from] && visibleNode[e.to]; });
    nodeView.refresh();
    edgeView.refresh();
    summarise();
  }
  var nodeView = new vis.DataView(nodeSet, { filter: function (n) { return visibleNode[n.id] !== false; } });
  var edgeView = new vis.DataView(edgeSet, { filter: function (e) { return visibleEdge[e.id] !== false; } });

  // -- the network ---------------------------------------------------------------------------------
  var network = new vis.Network(document.getElementById("kg-graph"), { nodes: nodeView, edges: edgeView }, {
    physics: { enabled: settling, solver: "forceAtlas2Based", forceAtlas2Based: { avoidOverlap: 0.5 },
               stabilization: { enabled: true, iterations: 300, fit: false } },
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { font: { size: 12, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, font: { size: 9, align: "middle", color: "#555555", strokeWidth: 2 }, selectionWidth: 2 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: many, hideEdgesOnZoom: many, multiselect: true }
  });

  function rendered() {
    var b = network.body;
    return { nodes: b.nodeIndices.length, edges: b.edgeIndices.length };
  }
  function summarise() {
    var shown = { nodes: visibleNode.filter(Boolean).length, edges: visibleEdge.filter(Boolean).length };
    var text = "Showing " + plural(shown.nodes, "node") + " of " + raw.length.toLocaleString("en") +
      ", " + plural(shown.edges, "edge") + " of " + rawEdges.length.toLocaleString("en");
    if (meta.dropped) text += "; " + plural(meta.dropped, "less important node") + " left out (--max-nodes " + meta.max_nodes + ")";
    var hidden = Object.keys(state.kinds).filter(function (k) { return state.kinds[k] === false; })
      .concat(Object.keys(state.relations).filter(function (r) { return state.relations[r] === false && !(r in state.kinds); }));
    var local = [];
    if (hidden.length) local.push("hidden: " + hidden.join(", "));
    if (state.area) local.push("area: " + state.area);
    if (state.since || state.until) local.push("articles " + (state.since || "…") + " to " + (state.until || "…"));
    if (local.length) text += " (page filters: " + local.join("; ") + ")";
    document.getElementById("kg-summary").textContent = text + ". Store: " + (meta.store || "(none)") + ".";
    document.getElementById("kg-filters").textContent = (meta.filters.length ? meta.filters.join("; ") + "; " : "") +
      "generated " + meta.generated + " by defence-kg " + meta.version + ", layout: " + meta.layout;
  }
  network.on("afterDrawing", function () {
    var r = rendered();
    body.setAttribute("data-nodes-rendered", r.nodes);
    body.setAttribute("data-edges-rendered", r.edges);
    if (!settling && body.getAttribute("data-ready") !== "true") {
      body.setAttribute("data-ready-ms", Math.round(performance.now() - started));
      body.setAttribute("data-ready", "true");
    }
  });
  body.setAttribute("data-nodes-total", raw.length);
  body.setAttribute("data-edges-total", rawEdges.length);

  // -- legends that are also filters ---------------------------------------------------------------
  function legend(listId, entries, target, swatch) {
    var list = document.getElementById(listId);
    entries.forEach(function (entry) {
      if (!entry.count) return;
      var li = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = target[entry.name] !== false; box.value = entry.name;
      box.addEventListener("change", function () { target[entry.name] = box.checked; refresh(); });
      label.appendChild(box); label.appendChild(swatch(entry.name)); label.appendChild(el("span", entry.name));
      label.appendChild(el("span", entry.count.toLocaleString("en"), "count"));
      li.appendChild(label); list.appendChild(li);
    });
  }
  function counts(items, key) {
    var c = {}; items.forEach(function (x) { c[x[key]] = (c[x[key]] || 0) + 1; }); return c;
  }
  var kindCounts = counts(raw, "kind"), relCounts = counts(rawEdges, "relation");
  legend("kg-kinds", Object.keys(S.kinds).concat(Object.keys(kindCounts).filter(function (k) { return !S.kinds[k]; }))
    .map(function (k) { return { name: k, count: kindCounts[k] || 0 }; }), state.kinds, function (k) {
      var s = el("span", GLYPHS[kindStyle(k).shape] || "●", "glyph"); s.style.color = kindStyle(k).colour; return s; });
  legend("kg-relations", Object.keys(S.relations).map(function (r) { return { name: r, count: relCounts[r] || 0 }; }),
    state.relations, function (r) {
      var s = el("span", null, "swatch line"); s.style.background = S.relations[r].colour; return s; });

  var areaSelect = document.getElementById("kg-area"), areas = {};
  rawEdges.forEach(function (e) { e.areas.forEach(function (a) { areas[a] = true; }); });
  Object.keys(areas).sort().forEach(function (a) { var o = el("option", a); o.value = a; areaSelect.appendChild(o); });
  areaSelect.addEventListener("change", function () { state.area = areaSelect.value; refresh(); });
  ["since", "until"].forEach(function (key) {
    var input = document.getElementById("kg-" + key);
    input.addEventListener("change", function () { state[key] = input.value; refresh(); });
  });

  // -- physics: settle, then freeze ----------------------------------------------------------------
  // Ticked, the layout moves live until it comes to rest, or for SETTLE_MS on a big page whose nodes
  // never all come to rest; then it freezes. A small page settles unseen once on load.
  var physics = document.getElementById("kg-physics"), budget = null, SETTLE_MS = 10000;
  function freeze() {
    clearTimeout(budget);
    budget = null;
    network.setOptions({ physics: { enabled: false } });
    physics.checked = false;
    if (settling) { settling = false; network.fit({ animation: false, maxZoomLevel: 1.5 }); }
    body.setAttribute("data-settled", Number(body.getAttribute("data-settled") || 0) + 1);
  }
  physics.addEventListener("change", function () {
    if (!physics.checked) return freeze();
    network.setOptions({ physics: { enabled: true } });
    network.startSimulation();
    budget = setTimeout(freeze, SETTLE_MS);
  });
  network.on("stabilizationIterationsDone", function () { if (settling) freeze(); });
  network.on("stabilized", function () { if (budget !== null) freeze(); });

  // -- details and tooltips ------------------------------------------------------------------------
  function articleLine(i) {
    var a = data.articles[i];
    return (a.date || "undated") + " · " + a.source + (a.title ? " · " + a.title : "");
  }
  function field(dl, name, value) {
    if (value === null || value === undefined || value === "" || (value.length === 0)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join("; ") : value));
  }
  function showNode(id) {
    var n = raw[id], box = document.getElementById("kg-details"), dl = el("dl"), ol = el("ol");
    box.replaceChildren(el("h3", n.label), dl);
    field(dl, "type", n.kind + (n.subtype ? " (" + n.subtype + ")" : "") + (n.org_kind ? ", " + n.org_kind : ""));
    field(dl, "ISO code", n.iso);
    field(dl, "aliases", n.aliases);
    field(dl, "roles", n.roles);
    field(dl, "status", n.status);
    field(dl, "polarity", n.polarity);
    field(dl, "areas", n.areas);
    field(dl, "links", adjacency[id].length);
    field(dl, "IRI", n.iri);
    box.appendChild(el("h3", plural(n.n_articles, "article")));
    n.articles.slice().reverse().forEach(function (i) { ol.appendChild(el("li", articleLine(i))); });
    box.appendChild(ol);
    if (n.n_articles > n.articles.length) box.appendChild(el("p", "and " + (n.n_articles - n.articles.length) + " earlier", "hint"));
    box.scrollIntoView({ block: "start" });       // below the legend, often out of sight otherwise
  }
  function showEdge(id) {
    var e = rawEdges[id], box = document.getElementById("kg-details"), dl = el("dl"), ol = el("ol");
    box.replaceChildren(el("h3", raw[e.from].label + " — " + e.relation + " — " + raw[e.to].label), dl);
    field(dl, "relation", e.relation);
    field(dl, "polarity", e.polarity);
    field(dl, "areas", e.areas);
    field(dl, "articles", e.n_articles);
    box.appendChild(el("h3", e.evidence.length ? "Evidence" : "No evidence sentence recorded"));
    e.evidence.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("blockquote", ev.text));
      li.appendChild(el("div", articleLine(ev.article) + (ev.fact ? " · " + ev.fact : ""), "src"));
      ol.appendChild(li);
    });
    box.appendChild(ol);
    if (e.more_evidence) box.appendChild(el("p", "and " + e.more_evidence + " more sentences", "hint"));
    if (!e.evidence.length) e.articles.forEach(function (i) { box.appendChild(el("div", articleLine(i), "src")); });
    box.scrollIntoView({ block: "start" });
  }
  function highlight(id) {
    network.setSelection({ nodes: [id].concat(network.getConnectedNodes(id)), edges: network.getConnectedEdges(id) },
                         { unselectAll: true, highlightEdges: false });
  }
  function select(id) { showNode(id); highlight(id); }
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
  var tip = document.getElementById("kg-tooltip");
  function tooltip(p, text) {
    tip.textContent = text;
    tip.style.left = (p.pointer.DOM.x + 312) + "px";
    tip.style.top = (p.pointer.DOM.y + document.getElementById("kg-header").offsetHeight + 12) + "px";
    tip.hidden = false;
  }
  network.on("hoverNode", function (p) {
    var n = raw[p.node];
    tooltip(p, n.label + "\n" + n.kind + (n.aliases.length ? "\naka " + n.aliases.slice(0, 5).join("; ") : "") +
      (n.roles.length ? "\n" + n.roles.join("; ") : "") + "\n" + plural(n.n_articles, "article"));
  });
  network.on("hoverEdge", function (p) {
    var e = rawEdges[p.edge], ev = e.evidence[0];
    tooltip(p, raw[e.from].label + " — " + e.relation + " — " + raw[e.to].label + "\n" + plural(e.n_articles, "article") +
      (ev ? "\n“" + ev.text + "”\n" + articleLine(ev.article) : ""));
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });
  document.getElementById("kg-graph").addEventListener("mouseleave", function () { tip.hidden = true; });

  // -- search --------------------------------------------------------------------------------------
  var search = document.getElementById("kg-search"), matchList = document.getElementById("kg-matches");
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    return raw.filter(function (n) {
      return visibleNode[n.id] && (n.label.toLowerCase().indexOf(q) >= 0 ||
        n.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }));
    }).sort(function (a, b) { return b.size - a.size; }).slice(0, 20);
  }
  function go(id) { network.focus(id, { scale: 1.2, animation: false }); select(id); }
  search.addEventListener("input", function () {
    matchList.replaceChildren();
    matches(search.value).forEach(function (n) {
      var li = el("li", n.label + " (" + n.kind + ")");
      li.addEventListener("click", function () { go(n.id); });
      matchList.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (ev) {
    var found = matches(search.value);
    if (ev.key === "Enter" && found.length) go(found[0].id);
  });

  // -- state from the address: #hide=Person,Place&area=cyber&since=2025-01-01&select=3&edge=5 ---------
  var params = new URLSearchParams(location.hash.replace(/^#/, ""));
  (params.get("hide") || "").split(",").filter(Boolean).forEach(function (k) {
    state.kinds[k] = false; state.relations[k] = false;
  });
  document.querySelectorAll("ul.legend input").forEach(function (box) {
    box.checked = state.kinds[box.value] !== false && state.relations[box.value] !== false;
  });
  state.area = params.get("area") || ""; areaSelect.value = state.area;
  state.since = params.get("since") || ""; document.getElementById("kg-since").value = state.since;
  state.until = params.get("until") || ""; document.getElementById("kg-until").value = state.until;
  refresh();
  network.fit({ animation: false, maxZoomLevel: 1.5 });
  if (params.get("select") && raw[+params.get("select")]) select(+params.get("select"));
  if (params.get("edge") && rawEdges[+params.get("edge")]) showEdge(+params.get("edge"));
  if (params.get("q")) { search.value = params.get("q"); search.dispatchEvent(new Event("input")); }
  window.kgNetwork = network;        // for the browser console and the browser tests
})();
