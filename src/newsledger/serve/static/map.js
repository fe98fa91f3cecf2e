// Map page: the vendored Natural Earth countries (world-atlas, TopoJSON, through topojson-client) drawn as
// SVG, and the events at their places: coloured by PLOVER type, area by people killed and injured.
// Data comes from data- attributes; labels are written with textContent only (they come from articles).
// The projection is plain equirectangular (x from longitude, y from latitude): two lines of arithmetic,
// which a projection library would not improve for a locator map.
"use strict";
(function () {
  var svg = document.getElementById("map");
  if (!svg || !window.topojson) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var W = 960, H = 480;
  var points = JSON.parse(svg.dataset.points || "[]");
  var colours = JSON.parse(svg.dataset.colours || "{}");
  var world = [0, H * (90 - 84) / 180, W, H * (84 + 58) / 180]; // 84°N to 58°S: no empty polar bands

  function px(lon) { return (lon + 180) * W / 360; }
  function py(lat) { return (90 - lat) * H / 180; }
  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(n); }
    return n;
  }
  function ringPath(ring) {
    return ring.map(function (p, i) { return (i ? "L" : "M") + px(p[0]).toFixed(1) + "," + py(p[1]).toFixed(1); })
      .join("") + "Z";
  }
  function polygons(geom) {
    if (!geom) { return []; }
    return geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
  }
  // The centre of a country: the area-weighted centroid of its largest polygon's outer ring (so France is
  // placed in France, not between it and French Guiana).
  function centre(feature) {
    var best = null, bestArea = 0;
    polygons(feature.geometry).forEach(function (poly) {
      var ring = poly[0], a = 0, cx = 0, cy = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += f; cx += (ring[j][0] + ring[i][0]) * f; cy += (ring[j][1] + ring[i][1]) * f;
      }
      if (Math.abs(a) > bestArea) { bestArea = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
    });
    return best;
  }
  function radius(p) {  // area grows with the toll; at least visible, at most a large city's worth
    var n = (p.killed || 0) + (p.injured || 0);
    return Math.min(24, 4 + 2 * Math.sqrt(n));
  }

  var base = el("g", { "class": "countries" }, svg);
  var dots = el("g", { "class": "events" }, svg);
  var view = world.slice();

  function setView(v) {
    svg.setAttribute("viewBox", v.map(function (x) { return x.toFixed(1); }).join(" "));
    rescale(v);
  }
  function rescale(v) {  // points keep their size on screen whatever the zoom
    view = v;
    var unit = v[2] / Math.max(svg.getBoundingClientRect().width || W, 1);  // viewBox units per screen pixel
    dots.querySelectorAll("circle").forEach(function (c) {
      c.setAttribute("r", (+c.dataset.r * unit).toFixed(2));
      c.setAttribute("stroke-width", (1.2 * unit).toFixed(2));
    });
  }
  function fit(placed) {
    if (!placed.length) { return world.slice(); }
    var xs = placed.map(function (p) { return p.x; }), ys = placed.map(function (p) { return p.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var w = Math.max(x1 - x0, 1) * 1.3 + 40, h = Math.max(y1 - y0, 1) * 1.3 + 20;
    if (w < 2 * h) { w = 2 * h; } else { h = w / 2; }  // keep the map's 2:1 shape
    w = Math.min(w, W); h = Math.min(h, world[3]);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    return [Math.max(0, Math.min(W - w, cx - w / 2)), Math.max(world[1], Math.min(world[1] + world[3] - h, cy - h / 2)),
            w, h];
  }

  function draw(topo) {
    var countries = window.topojson.feature(topo, topo.objects.countries).features;
    var byId = {};
    countries.forEach(function (f) {
      var d = polygons(f.geometry).map(function (poly) { return poly.map(ringPath).join(""); }).join("");
      var path = el("path", { d: d, "class": "country" }, base);
      var t = el("title", {}, path);
      t.textContent = (f.properties && f.properties.name) || "";
      if (f.id !== undefined) { byId[String(f.id)] = f; }
    });
    // several events at one place: spread on a small spiral so each can be clicked
    var seen = {}, placed = [];
    points.forEach(function (p) {
      var lon = p.lon, lat = p.lat;
      if (p.placed === "country") {
        var f = byId[String(p.country)], c = f && centre(f);
        if (!c) { return; }
        lon = c[0]; lat = c[1];
      }
      var key = lon.toFixed(2) + "," + lat.toFixed(2), k = seen[key] = (seen[key] || 0) + 1;
      var ang = k * 2.4, d = k > 1 ? 1.6 * Math.sqrt(k - 1) : 0;
      placed.push({ p: p, x: px(lon) + d * Math.cos(ang), y: py(lat) + d * Math.sin(ang) });
    });
    placed.sort(function (a, b) { return radius(b.p) - radius(a.p); });  // small points on top of large ones
    placed.forEach(function (q) {
      var p = q.p;
      var href = typeof p.href === "string" && p.href.charAt(0) === "/" && p.href.charAt(1) !== "/" ? p.href : null;
      var parent = href ? el("a", { href: href, "class": "event-link", "data-id": p.id }, dots) : dots;
      var c = el("circle", { cx: q.x.toFixed(2), cy: q.y.toFixed(2), r: 4,
                             "class": "event-dot" + (p.placed === "country" ? " approx" : ""),
                             fill: colours[p.type] || "#777", "data-r": radius(p), "data-id": p.id,
                             "data-type": p.type || "" }, parent);
      var t = el("title", {}, c);
      var toll = [p.killed ? p.killed + " killed" : "", p.injured ? p.injured + " injured" : ""].filter(Boolean);
      t.textContent = p.label + (p.place ? " — " + p.place : "") + (p.placed === "country" ? " (country only)" : "") +
        (toll.length ? " — " + toll.join(", ") : "");
    });
    svg.dataset.drawn = String(placed.length);
    var fitted = fit(placed);
    setView(fitted);
    document.getElementById("map-fit").addEventListener("click", function () { setView(fitted); });
    document.getElementById("map-world").addEventListener("click", function () { setView(world.slice()); });
    window.addEventListener("resize", function () { setView(view); });
    if (window.newsledgerZoom) {
      window.newsledgerZoom(svg, rescale, function (t) { return t.closest && t.closest("a"); });
    }
  }

  fetch(svg.dataset.atlas, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("base map: HTTP " + r.status); } return r.json(); })
    .then(draw)
    .catch(function (err) { svg.dataset.error = String(err); console.error(String(err)); });
})();
