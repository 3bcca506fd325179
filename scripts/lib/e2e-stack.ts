/**
 * The stack the browser tests run against (`npm test` step 4, `npm run e2e`): a fresh local D1 with the demo
 * data, the fake sign-in provider, the API worker and the built site under wrangler, in a dev registry of their
 * own (so a running `npm start` is not disturbed). `run` gets the environment the e2e suite reads; everything
 * is stopped and the state removed afterwards, whatever happens.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isolatedRegistry,
  migrate,
  seedIfEmpty,
  ssoVars,
  startBackend,
  startBuiltWeb,
  startFakeProvider,
  waitForHttp,
} from "./stack.ts";

export class StackStartFailed extends Error {}

export async function withE2eStack<T>(
  ports: { api: number; web: number },
  chromium: string,
  run: (env: Record<string, string>) => T | Promise<T>,
): Promise<T> {
  const persist = mkdtempSync(join(tmpdir(), "fataplus-e2e-state-"));
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  let api: ReturnType<typeof startBackend> | null = null;
  let web: ReturnType<typeof startBuiltWeb> | null = null;
  let fake: Awaited<ReturnType<typeof startFakeProvider>> | null = null;
  try {
    try {
      migrate(persist);
      await seedIfEmpty(persist);
      const registry = isolatedRegistry(mkdtempSync(join(tmpdir(), "fataplus-e2e-registry-")));
      fake = await startFakeProvider(0, log); // the sign-in provider of the SSO journeys (decision 025)
      api = startBackend(persist, ports.api, log, registry, `http://localhost:${ports.web}`, ssoVars(fake));
      await waitForHttp(`http://127.0.0.1:${ports.api}/api/health`, api);
      web = startBuiltWeb(ports.web, log, registry);
      await waitForHttp(`http://127.0.0.1:${ports.web}/`, web);
    } catch (e) {
      console.error("could not start the stack for the browser tests:", e);
      console.error(logs.slice(-40).join("\n"));
      throw new StackStartFailed(String(e));
    }
    return await run({
      WEB_URL: `http://localhost:${ports.web}`,
      API_URL: `http://localhost:${ports.api}`,
      CHROMIUM_PATH: chromium,
      FAKE_OIDC_URL: fake.url,
    });
  } finally {
    await Promise.all([web?.stop(), api?.stop(), fake?.stop()]);
    rmSync(persist, { recursive: true, force: true });
  }
}
