// `npm start`: migrate the local D1, seed the demo data when the database is empty, start both workers.
import { join } from "node:path";
import {
  migrate,
  root,
  seedIfEmpty,
  ssoVars,
  startBackend,
  startFakeProvider,
  startWeb,
  waitForHttp,
} from "./lib/stack.ts";

const persistTo = join(root, ".wrangler/state");
const t0 = Date.now();
migrate(persistTo);
if (await seedIfEmpty(persistTo))
  console.log("seeded the demo tenants and accounts (password: Fataplus-demo-2026!)");

const log = (line: string) => console.log(line);
// "Continuer avec Google (dev)": the local fake sign-in provider (decision 025), never a real one.
const fake = await startFakeProvider(Number(process.env.FAKE_OIDC_PORT ?? 8790), log);
const api = startBackend(persistTo, 8787, log, {}, undefined, ssoVars(fake));
await waitForHttp("http://127.0.0.1:8787/api/health", api);
const web = startWeb(4321, log);
await waitForHttp("http://127.0.0.1:4321/", web);
console.log(`
Fataplus is running (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s):
  site            http://localhost:4321
  client portal   http://acme.localhost:4321   (and http://globex.localhost:4321)
  API (bknd)      http://localhost:8787/api/health
  admin UI        http://localhost:8787/admin   (admin@fata.plus / Fataplus-demo-2026!)
  sign-in (dev)   ${fake.url}   (the fake Google/Microsoft behind "Continuer avec … (dev)")
Press Ctrl+C to stop.`);

const stop = async () => {
  await Promise.all([web.stop(), api.stop(), fake.stop()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
