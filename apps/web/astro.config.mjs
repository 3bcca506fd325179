// @ts-check
import cloudflare from "@astrojs/cloudflare";
import react from "@astrojs/react";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "astro/config";
import { malformedRequestGuard } from "./src/lib/dev-guard.ts";

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
