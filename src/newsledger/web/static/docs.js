// Starts Swagger UI on /openapi.json; a file, not an inline script, so the page's CSP holds.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                layout: "BaseLayout" });
});
