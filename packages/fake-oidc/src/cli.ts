/**
 * The fake provider as a process of its own (the test command runs its suites with spawnSync, which would
 * stall a server living in its own event loop):
 *   node packages/fake-oidc/src/cli.ts --port 8790 --client fataplus-dev:dev-only-secret
 */
import { parseArgs } from "node:util";
import { startFakeOidc } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8790" },
    host: { type: "string", default: "127.0.0.1" },
    client: { type: "string", multiple: true, default: [] },
  },
});
const clients = (values.client ?? []).map((c) => {
  const at = c.indexOf(":");
  return { id: c.slice(0, at), secret: c.slice(at + 1) };
});
const fake = await startFakeOidc({ port: Number(values.port), host: values.host, clients });
console.log(`fake OIDC provider listening on ${fake.url}`);
const stop = () => void fake.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
