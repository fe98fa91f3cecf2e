// Starts the vendored Swagger UI on /docs (kept in a file: the CSP allows no inline script).
"use strict";
(function () {
  var el = document.getElementById("swagger-ui");
  if (!el || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({ url: el.dataset.spec, dom_id: "#swagger-ui", validatorUrl: null, deepLinking: false });
})();
