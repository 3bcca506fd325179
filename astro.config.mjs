// The site lives in apps/web (its own package, config and wrangler.toml); this re-export lets editors and
// tools that look at the repository root find the same configuration.
export { default } from "./apps/web/astro.config.mjs";
