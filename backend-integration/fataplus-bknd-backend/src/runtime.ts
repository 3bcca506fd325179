/**
 * The Worker's bindings, captured on each incoming request. bknd re-issues internal requests (MCP tools,
 * app.getApi()) without `env`, so the gate reads the database from here instead of `c.env`.
 */
let current: Env | null = null;

export function setRuntimeEnv(env: Env): void {
  current = env;
}

export function runtimeEnv(): Env {
  if (!current) throw new Error("runtime env is not set: the worker entry must call setRuntimeEnv first");
  return current;
}
