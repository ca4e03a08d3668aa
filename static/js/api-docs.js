// Starts Swagger UI on the API documentation page (templates/api/docs.html), from a file
// rather than an inline script so that the Content Security Policy stays strict.
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: container.dataset.openapiUrl,
    domNode: container,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    // Tokens typed into "Authorize" stay in this page's memory only.
    persistAuthorization: false,
    // Only this site's schema: no ?url= from a link may make the page load another.
    queryConfigEnabled: false,
    // Validating the schema would send it to swagger.io.
    validatorUrl: null,
  });
});
