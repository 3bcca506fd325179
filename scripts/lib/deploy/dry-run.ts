/**
 * `npm run deploy -- --dry-run` (and step 2 of the test command): both workers bundled for production from the
 * generated configs (`wrangler deploy --dry-run`, scripts/lib/bundles.ts), and the plan printed. No call to
 * Cloudflare: the configs hold the ids of an earlier deploy (.deploy/production.json) or the placeholders.
 */
import { type BundleResult, buildBundles } from "../bundles.ts";
import { defaultPaths, type Paths, webConfig, writeJson } from "./config.ts";
import { plan, writeDryRunConfigs } from "./deploy.ts";

export function deployDryRun(paths: Paths = defaultPaths): { bundles: BundleResult[]; plan: string[] } {
  const { api } = writeDryRunConfigs(paths);
  let web: Record<string, unknown> | null = null;
  const bundles = buildBundles({
    api: paths.apiOut,
    web: () => {
      web = webConfig(paths);
      writeJson(paths.webOut, web);
      return paths.webOut;
    },
  });
  return { bundles, plan: plan(paths, api, web) };
}
