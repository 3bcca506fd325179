// @ts-check
import cloudflare from "@astrojs/cloudflare";
import react from "@astrojs/react";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "astro/config";
import { refusalFor } from "./src/lib/malformed.ts";
import { isCrossOriginWrite } from "./src/lib/security.ts";

/**
 * The dev server (`astro dev`, Node) turns each request into a fetch Request before the Worker sees it, and
 * Node refuses some (TRACE, a URL with credentials from a `user@` Host) with an error page and a stack trace.
 * The same rules as the Worker's (src/lib/malformed.ts), answered here first, before any of that. Cross-origin
 * writes too (src/lib/security.ts): refused inside workerd before their body is read, they made the dev
 * server's proxy fail with a 500 ("fetch failed") instead of the 403.
 * @returns {import("vite").Plugin}
 */
function malformedRequestGuard() {
  return {
    name: "fataplus-malformed-request-guard",
    enforce: "pre",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const refusal = refusalFor({
          method: req.method ?? "GET",
          host: req.headers.host,
          path,
          contentType: req.headers["content-type"],
          hasBody:
            Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined,
        });
        const crossOrigin =
          !refusal &&
          isCrossOriginWrite(
            new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
              method: req.method ?? "GET",
              headers: Object.entries(req.headers).flatMap(([k, v]) =>
                v === undefined
                  ? []
                  : (Array.isArray(v) ? v : [v]).map((x) => /** @type {[string, string]} */ ([k, x])),
              ),
            }),
          );
        if (crossOrigin) {
          res.writeHead(403, {
            "content-type": "application/json; charset=utf-8",
            "cache-control": "no-store",
          });
          res.end(
            JSON.stringify({
              error: { code: "FORBIDDEN", message: "Cross-origin requests may not change anything here." },
            }),
          );
          return;
        }
        if (!refusal) return next();
        res.writeHead(refusal.status, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
          ...refusal.headers,
        });
        res.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
      });
    },
  };
}

// Pages are prerendered (static, zero JS) unless they export `prerender = false`:
// the host-dependent home pages and the /api proxy run in the Worker.
export default defineConfig({
  site: "https://fata.plus",
  output: "static",
  adapter: cloudflare(),
  integrations: [react()],
  // No Astro sessions yet: avoids provisioning a SESSION KV namespace for nothing.
  session: false,
  // Astro writes a CSP <meta> per page with the hashes of its scripts and styles; the Worker and
  // public/_headers add what a <meta> cannot say (frame-ancestors, form-action…): src/lib/security.ts.
  security: { csp: true },
  i18n: {
    locales: ["fr", "en"],
    defaultLocale: "fr",
    routing: { prefixDefaultLocale: false },
  },
  vite: {
    plugins: [malformedRequestGuard(), tailwindcss()],
  },
});
