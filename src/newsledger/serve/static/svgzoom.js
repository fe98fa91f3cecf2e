// Wheel to zoom (around the pointer) and drag to pan an SVG drawing by changing its viewBox; used by the
// map and the network. A drag starts only on the background (not on a point, an edge or a node) and only
// once the pointer has moved a few pixels, so clicks keep working. Twenty lines do not need a library.
"use strict";
window.newsledgerZoom = function (svg, onChange, isHandle) {
  function view() { return svg.getAttribute("viewBox").split(/[ ,]+/).map(Number); }
  function set(v) { svg.setAttribute("viewBox", v.map(function (x) { return x.toFixed(2); }).join(" ")); if (onChange) { onChange(v); } }
  function toView(ev, v) {
    var r = svg.getBoundingClientRect(), s = Math.max(v[2] / r.width, v[3] / r.height);
    var ox = (r.width - v[2] / s) / 2, oy = (r.height - v[3] / s) / 2;  // preserveAspectRatio xMidYMid meet
    return [v[0] + (ev.clientX - r.left - ox) * s, v[1] + (ev.clientY - r.top - oy) * s, s];
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var v = view(), p = toView(ev, v), k = Math.pow(1.0015, ev.deltaY);  // > 1 zooms out
    set([p[0] - (p[0] - v[0]) * k, p[1] - (p[1] - v[1]) * k, v[2] * k, v[3] * k]);
  }, { passive: false });
  var start = null, panned = false;
  svg.addEventListener("pointerdown", function (ev) {
    panned = false;
    if (ev.button !== 0 || (isHandle && isHandle(ev.target))) { start = null; return; }
    start = { x: ev.clientX, y: ev.clientY, v: view(), s: toView(ev, view())[2], id: ev.pointerId };
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!start || !(ev.buttons & 1)) { return; }
    var dx = ev.clientX - start.x, dy = ev.clientY - start.y;
    if (!panned && dx * dx + dy * dy < 16) { return; }
    if (!panned) { panned = true; svg.setPointerCapture(start.id); svg.classList.add("panning"); }
    set([start.v[0] - dx * start.s, start.v[1] - dy * start.s, start.v[2], start.v[3]]);
  });
  function end() { start = null; svg.classList.remove("panning"); }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  svg.addEventListener("click", function (ev) {
    if (panned) { ev.preventDefault(); ev.stopPropagation(); panned = false; }
  }, true);
  return { set: set, view: view };
};
