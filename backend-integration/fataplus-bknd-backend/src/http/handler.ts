/** The one shape of a Fataplus route handler: run, answer JSON, map any error once. */
import type { Context } from "hono";
import { readJsonBody } from "./body.ts";
import { toResponse } from "./errors.ts";

export function handle(run: (c: Context) => Promise<unknown>, status: 200 | 201 = 200) {
  return async (c: Context) => {
    try {
      const body = await run(c);
      return c.json(body ?? { ok: true }, status, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export const jsonBody = (c: Context) => readJsonBody(c.req.raw, { maxBytes: 65_536 });

/** The query string as a plain object (first value of each key). */
export const queryOf = (c: Context): Record<string, string> =>
  Object.fromEntries(new URL(c.req.url).searchParams);
