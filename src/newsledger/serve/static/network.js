// Network page: actors as nodes, events as arrows from actor to target (one per PLOVER type, width by the
// number of events), laid out by the vendored d3-force (Barnes-Hut, so a few thousand nodes stay quick) and
// drawn once as SVG. Clicking an edge lists its events in the side panel. Every string comes from articles:
// it is written with textContent, and links are only ever same-site paths.
"use strict";
(function () {
  var svg = document.getElementById("network");
  var panel = document.getElementById("edge-panel");
  var status = document.getElementById("network-status");
  if (!svg || !panel || !window.d3 || !window.d3.forceSimulation) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var graph = JSON.parse(svg.dataset.graph || "{}");
  var events = JSON.parse(svg.dataset.events || "{}");
  var colours = JSON.parse(svg.dataset.colours || "{}");
  var nodes = graph.nodes || [], edges = graph.edges || [];
  if (!nodes.length) { return; }

  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(n); }
    return n;
  }
  function sitePath(href) {
    return typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/" ? href : null;
  }

  var t0 = performance.now();
  var byId = {};
  nodes.forEach(function (n) { n.degree = (n.out || 0) + (n.in || 0) + (n.said || 0) + (n.named || 0); byId[n.id] = n; });
  var links = edges.filter(function (e) { return byId[e.source] && byId[e.target] && e.source !== e.target; })
    .map(function (e) { return { source: e.source, target: e.target, edge: e }; });
  var d3 = window.d3;
  var ticks = nodes.length > 1000 ? 120 : 300;
  var sim = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id(function (n) { return n.id; }).distance(45).strength(0.6))
    .force("charge", d3.forceManyBody().strength(-90).theta(0.9).distanceMax(500))
    .force("x", d3.forceX(0).strength(0.04))
    .force("y", d3.forceY(0).strength(0.06))
    .alphaDecay(1 - Math.pow(0.001, 1 / ticks))
    .stop();
  sim.tick(ticks);  // lay out once, then draw: no animation to wait for
  svg.dataset.layoutMs = String(Math.round(performance.now() - t0));

  var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
  // room for the nodes' rims, and on the right for the labels written after them
  var x0 = Math.min.apply(null, xs) - 30, y0 = Math.min.apply(null, ys) - 30;
  var w = Math.max.apply(null, xs) + 170 - x0, h = Math.max.apply(null, ys) + 30 - y0;
  svg.setAttribute("viewBox", [x0, y0, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
  var unit = Math.max(w / (svg.getBoundingClientRect().width || 800), 0.5);  // keep strokes and text legible

  var defs = el("defs", {}, svg);
  Object.keys(colours).forEach(function (t) {
    var m = el("marker", { id: "arrow-" + t, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: (9 * unit).toFixed(2),
                           markerHeight: (9 * unit).toFixed(2), orient: "auto-start-reverse",
                           markerUnits: "userSpaceOnUse" }, defs);
    el("path", { d: "M0,0L10,5L0,10z", fill: colours[t] }, m);
  });

  // parallel edges (same pair, other types, other direction) bend apart so each stays visible and clickable
  var pairs = {};
  links.forEach(function (l) {
    var k = [l.source.id, l.target.id].sort().join("\u0000");
    l.rank = pairs[k] = (pairs[k] || 0) + 1;
  });
  var edgeLayer = el("g", { "class": "edges" }, svg);
  var nodeLayer = el("g", { "class": "nodes" }, svg);
  var maxW = Math.max.apply(null, links.map(function (l) { return l.edge.weight; }).concat([1]));

  function nodeRadius(n) { return Math.min(4 + 2.2 * Math.sqrt(n.degree), 20); }
  function edgePath(l) {
    var s = l.source, t = l.target, dx = t.x - s.x, dy = t.y - s.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
    var bend = (l.rank % 2 ? 1 : -1) * Math.ceil(l.rank / 2) * 12 * (s.id < t.id ? 1 : -1) + (l.rank === 1 ? 6 : 0);
    var mx = (s.x + t.x) / 2 - dy / len * bend, my = (s.y + t.y) / 2 + dx / len * bend;
    // end the arrow at the target's rim, not its centre
    var ex = t.x - mx, ey = t.y - my, el_ = Math.sqrt(ex * ex + ey * ey) || 1, r = nodeRadius(t) + 1;
    return "M" + s.x.toFixed(1) + "," + s.y.toFixed(1) + "Q" + mx.toFixed(1) + "," + my.toFixed(1) + " " +
      (t.x - ex / el_ * r).toFixed(1) + "," + (t.y - ey / el_ * r).toFixed(1);
  }

  function show(l, line) {
    panel.replaceChildren();
    var h = document.createElement("h3");
    h.textContent = l.source.label + " → " + l.target.label;
    panel.appendChild(h);
    var p = document.createElement("p");
    p.className = "meta";
    var badge = document.createElement("span");
    badge.className = "pl pl-" + l.edge.type;
    badge.textContent = l.edge.type;
    p.appendChild(badge);
    var unit = l.edge.type === "QUOTE" ? " quote" : " event";
    p.appendChild(document.createTextNode(" " + l.edge.weight + unit + (l.edge.weight === 1 ? "" : "s")));
    panel.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "edge-events";
    l.edge.events.forEach(function (id) {
      var ev = events[id] || {}, li = document.createElement("li"), href = sitePath(ev.href);
      var label = document.createElement("span");
      label.textContent = ev.label || id;
      li.appendChild(label);
      if (href) {
        var a = document.createElement("a");
        a.className = "evidence";
        a.href = href;
        a.textContent = "evidence";
        li.appendChild(document.createTextNode(" · "));
        li.appendChild(a);
      }
      ul.appendChild(li);
    });
    panel.appendChild(ul);
    svg.querySelectorAll(".edge.active").forEach(function (n) { n.classList.remove("active"); });
    line.classList.add("active");
  }

  links.forEach(function (l, i) {
    var d = edgePath(l), colour = colours[l.edge.type] || "#777";
    var width = (1.2 + 3.3 * Math.sqrt((l.edge.weight - 1) / Math.max(maxW - 1, 1))) * unit;
    var g = el("g", { "class": "edge-group", tabindex: 0, role: "button", "data-index": i,
                      "data-source": l.source.id, "data-target": l.target.id, "data-type": l.edge.type }, edgeLayer);
    var line = el("path", { d: d, "class": "edge" + (l.edge.type === "QUOTE" ? " quote" : ""), stroke: colour, "stroke-width": width.toFixed(2), fill: "none",
                            "marker-end": "url(#arrow-" + l.edge.type + ")" }, g);
    el("path", { d: d, "class": "edge-hit", "stroke-width": (10 * unit).toFixed(2), fill: "none" }, g);
    var t = el("title", {}, g);
    t.textContent = l.source.label + " → " + l.target.label + ": " + l.edge.type + " × " + l.edge.weight;
    g.addEventListener("click", function () { show(l, line); });
    g.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(l, line); } });
  });

  // labels for the best-connected nodes only: thousands of names would be unreadable (all have a tooltip)
  var ranked = nodes.slice().sort(function (a, b) { return b.degree - a.degree; });
  var labelled = {};
  ranked.slice(0, nodes.length > 150 ? 40 : nodes.length).forEach(function (n) { labelled[n.id] = true; });
  nodes.forEach(function (n) {
    var href = n.entity ? sitePath("/entities/" + encodeURIComponent(n.entity)) : null;
    var parent = href ? el("a", { href: href, "class": "node-link" }, nodeLayer) : el("g", {}, nodeLayer);
    el("circle", { cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: nodeRadius(n).toFixed(1),
                   "class": "node" + (n.entity ? "" : " text-only"), "data-id": n.id }, parent);
    var t = el("title", {}, parent);
    t.textContent = n.label + " — " + (n.out || 0) + " as actor, " + (n.in || 0) + " as target" +
      (n.said || n.named ? ", names " + (n.said || 0) + " in quotes, named in " + (n.named || 0) : "");
    if (labelled[n.id]) {
      var text = el("text", { x: (n.x + nodeRadius(n) + 2).toFixed(1), y: (n.y + 4).toFixed(1), "class": "label",
                              "font-size": (12 * unit).toFixed(1) }, parent);
      text.textContent = n.label.length > 28 ? n.label.slice(0, 26) + "…" : n.label;  // the tooltip has it whole
    }
  });
  var fitted = svg.getAttribute("viewBox");
  if (window.newsledgerZoom) {
    window.newsledgerZoom(svg, null, function (t) { return t.closest && t.closest(".edge-group, a"); });
  }
  var fit = document.getElementById("network-fit");
  if (fit) { fit.addEventListener("click", function () { svg.setAttribute("viewBox", fitted); }); }
  var ms = Math.round(performance.now() - t0);
  svg.dataset.nodes = String(nodes.length);
  svg.dataset.edges = String(links.length);
  svg.dataset.ms = String(ms);
  if (status) {
    status.textContent = nodes.length + " actors and " + links.length + " edges laid out in " + ms + " ms.";
  }
})();
