/**
 * For `pnpm bench` only (never deployed): the same bknd app and schema as src/index.ts, without the Fataplus
 * plugin (no tenant gate, no CORS wrapper, none of our routes). The bench measures the same list through this
 * worker and through the real one, so the gate's own cost is a ratio of two measurements on one machine.
 *
 * It is bundled and run with the real worker's wrangler.toml, whose Durable Object bindings name classes of the
 * real entry: every named export of src/index.ts is exported here too, so a class bound there is always found.
 */
import { serve } from "bknd/adapter/cloudflare";
import { bkndConfig } from "../src/bknd/app.ts";

export * from "../src/index.ts";

type AppFactory = (env: Env) => Promise<{ options?: Record<string, unknown> } & Record<string, unknown>>;
const app = bkndConfig.app as unknown as AppFactory;

const noGate = {
  ...bkndConfig,
  app: async (env: Env) => {
    const config = await app(env);
    return { ...config, options: { ...config.options, plugins: [] } };
  },
} as unknown as typeof bkndConfig;

const bknd = serve<Env>(noGate, () => ({ warm: true }));

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => bknd.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
