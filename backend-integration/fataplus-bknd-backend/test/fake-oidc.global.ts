/**
 * Starts the local fake OIDC provider for the worker's tests, on the port vitest.config.ts gave the worker's
 * bindings (FAKE_OIDC_PORT), with the clients those bindings name; stops it after the run.
 */
import { startFakeOidc } from "@fataplus/fake-oidc";

export default async function setup(): Promise<() => Promise<void>> {
  const fake = await startFakeOidc({
    port: Number(process.env.FAKE_OIDC_PORT),
    clients: [
      { id: "fataplus-test-google", secret: "test-only-google-secret" },
      { id: "fataplus-test-microsoft", secret: "test-only-microsoft-secret" },
    ],
  });
  return () => fake.stop();
}
