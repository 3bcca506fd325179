/** The one shape of a Fataplus route handler: run, answer JSON, map any error once. */

import { DomainError } from "@fataplus/domain";
import { readJsonBody } from "./body.ts";
import type { AppContext } from "./context.ts";
import { toResponse } from "./errors.ts";

export function handle(run: (c: AppContext) => Promise<unknown>, status: 200 | 201 | 202 = 200) {
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

/** A JSON object body (an empty body is `{}`), for verbs whose input merges it with the path's ids. */
export async function jsonObject(c: AppContext): Promise<Record<string, unknown>> {
  const body = await jsonBody(c);
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new DomainError("VALIDATION", "The body must be a JSON object.");
  return { ...body };
}

/** A path parameter ("" when absent: the verb's schema says what is wrong with it). */
export const param = (c: AppContext, name: string): string => c.req.param(name) ?? "";

/** The query string as a plain object (first value of each key). */
export const queryOf = (c: AppContext): Record<string, string> =>
  Object.fromEntries(new URL(c.req.url).searchParams);

/** The query string without `tenant` (which names the project for the gate, not a filter). */
export function filtersOf(c: AppContext): Record<string, string> {
  const { tenant: _tenant, ...rest } = queryOf(c);
  return rest;
}
