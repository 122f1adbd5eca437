// The page at <base>/docs renders <base>/v1/openapi.json, and "try it" calls this same deployment (<base> is
// the API Gateway stage prefix when there is one), so the document's servers entry is set to where it was read.
(function () {
  "use strict";
  var base = window.location.pathname.replace(/\/docs\/?$/, "");
  var target = document.getElementById("swagger-ui");
  fetch(base + "/v1/openapi.json", { headers: { Accept: "application/json" } })
    .then(function (answer) {
      if (!answer.ok) { throw new Error("GET /v1/openapi.json answered " + answer.status); }
      return answer.json();
    })
    .then(function (spec) {
      spec.servers = [{ url: window.location.origin + base, description: "This deployment" }];
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: "#swagger-ui",
        deepLinking: true,
        docExpansion: "none",
        defaultModelsExpandDepth: 0,
        displayRequestDuration: true,
        filter: true,
        persistAuthorization: false,
        showExtensions: true,
        tryItOutEnabled: false,
        validatorUrl: null
      });
    })
    .catch(function (error) {
      target.textContent = "The API document could not be loaded: " + error.message;
    });
})();
