// Article page: hovering or focusing a mark shows the records of every mark covering that spot.
// Records come from the data-records attribute (JSON); they are written with textContent only,
// never as HTML, because every string in them comes from the article.
"use strict";
(function () {
  var text = document.getElementById("article-text");
  var panel = document.getElementById("inspector");
  if (!text || !panel) { return; }
  var records = {};
  try { records = JSON.parse(text.dataset.records || "{}"); } catch (e) { records = {}; }
  var ORDER = ["evidence", "claim", "quote", "event", "entity"];

  function keysAt(el) {
    var keys = [];
    for (var n = el; n && n !== text; n = n.parentElement) {
      var k = n.getAttribute && n.getAttribute("data-key");
      if (k && keys.indexOf(k) < 0) { keys.push(k); }
    }
    return keys.sort(function (a, b) { return ORDER.indexOf(a.split(":")[0]) - ORDER.indexOf(b.split(":")[0]); });
  }

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
    var dt = document.createElement("dt");
    dt.textContent = name;
    var dd = document.createElement("dd");
    dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function show(el) {
    var keys = keysAt(el);
    if (!keys.length) { return; }
    panel.replaceChildren();
    keys.forEach(function (k) {
      var rec = records[k];
      if (!rec) { return; }
      var box = document.createElement("section");
      box.className = "record record-" + rec.kind;
      var h = document.createElement("h3");
      h.textContent = rec.kind + (rec.type && rec.kind === "event" ? " · " + rec.type : "") +
        (rec.status ? " · " + rec.status : "");
      box.appendChild(h);
      var dl = document.createElement("dl");
      Object.keys(rec).forEach(function (name) {
        if (name === "kind" || name === "link") { return; }
        field(dl, name, rec[name]);
      });
      box.appendChild(dl);
      if (typeof rec.link === "string" && rec.link.charAt(0) === "/" && rec.link.charAt(1) !== "/") {
        var a = document.createElement("a");
        a.href = rec.link;
        a.textContent = "everything about " + (rec.name || "this entity") + " →";
        box.appendChild(a);
      }
      panel.appendChild(box);
    });
    document.querySelectorAll(".m.active").forEach(function (n) { n.classList.remove("active"); });
    keys.forEach(function (k) {
      document.querySelectorAll('.m[data-key="' + CSS.escape(k) + '"]').forEach(function (n) { n.classList.add("active"); });
    });
  }

  text.addEventListener("mouseover", function (ev) {
    var m = ev.target.closest && ev.target.closest(".m");
    if (m) { show(m); }
  });
  text.addEventListener("focusin", function (ev) { show(ev.target); });
  var ev0 = document.getElementById("evidence");
  if (ev0) { show(ev0); }
})();
