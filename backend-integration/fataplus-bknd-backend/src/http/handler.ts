/** The one shape of a Fataplus route handler: run, answer JSON, map any error once. */

import { readJsonBody } from "./body.ts";
import type { AppContext } from "./context.ts";
import { toResponse } from "./errors.ts";

export function handle(run: (c: AppContext) => Promise<unknown>, status: 200 | 201 = 200) {
  return async (c: AppContext) => {
    try {
      const body = await run(c);
      return c.json(body ?? { ok: true }, status, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export const jsonBody = (c: AppContext) => readJsonBody(c.req.raw, { maxBytes: 65_536 });

/** The query string as a plain object (first value of each key). */
export const queryOf = (c: AppContext): Record<string, string> =>
  Object.fromEntries(new URL(c.req.url).searchParams);
