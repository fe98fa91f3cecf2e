// Timeline page: events on a time axis (x) in one row per PLOVER type (y), coloured by type, drawn with
// the vendored Chart.js. Data comes from data- attributes; tooltips are drawn on the canvas (no HTML).
"use strict";
(function () {
  var canvas = document.getElementById("timeline-chart");
  if (!canvas || typeof window.Chart !== "function") { return; }
  var points = JSON.parse(canvas.dataset.points || "[]");
  var colours = JSON.parse(canvas.dataset.colours || "{}");
  var types = JSON.parse(canvas.dataset.types || "[]");

  function day(s) {
    if (!s) { return null; }
    var m = String(s).match(/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/);
    if (!m) { return null; }
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
  }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }

  var used = types.filter(function (t) { return points.some(function (p) { return p.type === t; }); });
  points.forEach(function (p) { if (used.indexOf(p.type) < 0 && p.type) { used.push(p.type); } });
  var datasets = used.map(function (t) {
    var data = points.filter(function (p) { return p.type === t && day(p.start) !== null; }).map(function (p) {
      return { x: day(p.start), y: used.indexOf(t), label: p.label, href: p.href, end: day(p.end) };
    });
    return { label: t, data: data, backgroundColor: colours[t] || "#777", borderColor: colours[t] || "#777",
             pointRadius: 7, pointHoverRadius: 10 };
  }).filter(function (d) { return d.data.length; });

  var xs = [];
  datasets.forEach(function (d) { d.data.forEach(function (p) { xs.push(p.x); }); });
  var plotted = xs.length;
  datasets.forEach(function (d) { d.data.forEach(function (p) { if (p.end && p.end > p.x) { xs.push(p.end); } }); });
  var pad = 86400000 * 2;
  // A dated range ("last winter", "this summer") is drawn as a bar from its first to its last day.
  var ranges = {
    id: "ranges",
    beforeDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      ctx.lineWidth = 6;
      ctx.lineCap = "round";
      chart.data.datasets.forEach(function (d) {
        ctx.strokeStyle = d.borderColor;
        ctx.globalAlpha = 0.45;
        d.data.forEach(function (p) {
          if (!p.end || p.end <= p.x) { return; }
          ctx.beginPath();
          ctx.moveTo(x.getPixelForValue(p.x), y.getPixelForValue(p.y));
          ctx.lineTo(x.getPixelForValue(p.end + 86400000 - 1), y.getPixelForValue(p.y));
          ctx.stroke();
        });
      });
      ctx.restore();
    }
  };
  var chart = new window.Chart(canvas, {
    type: "scatter",
    plugins: [ranges],
    data: { datasets: datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { type: "linear", min: xs.length ? Math.min.apply(null, xs) - pad : undefined,
             max: xs.length ? Math.max.apply(null, xs) + pad : undefined,
             ticks: { callback: function (v) { return iso(v); }, maxRotation: 0, autoSkip: true },
             title: { display: true, text: "date" } },
        y: { type: "linear", min: -0.5, max: Math.max(used.length - 0.5, 0.5), reverse: true,
             // one tick per PLOVER row, labelled with its type
             afterBuildTicks: function (axis) { axis.ticks = used.map(function (_, i) { return { value: i }; }); },
             ticks: { autoSkip: false, callback: function (v) { return used[v] || ""; } } }
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) {
          var when = iso(ctx.raw.x) + (ctx.raw.end && ctx.raw.end > ctx.raw.x ? " – " + iso(ctx.raw.end) : "");
          return ctx.raw.label + " — " + when;
        } } }
      },
      onClick: function (evt, elements) {
        if (!elements.length) { return; }
        var p = datasets[elements[0].datasetIndex].data[elements[0].index];
        if (p.href && p.href.charAt(0) === "/" && p.href.charAt(1) !== "/") { window.location.assign(p.href); }
      }
    }
  });
  canvas.dataset.plotted = String(plotted);
  window.newsledgerTimeline = chart;
})();
