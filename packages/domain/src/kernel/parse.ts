/** The one way a verb reads its input: its own zod schema, and a VALIDATION error with one line per issue. */
import type { z } from "zod";
import { DomainError, validationError } from "./errors.ts";

export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, `Invalid ${what}`);
  return parsed.data;
}

/** A UNIQUE violation from D1 as a readable 409. */
export function conflictOnUnique(e: unknown, message: string): never {
  if (/UNIQUE/i.test(String(e))) throw new DomainError("CONFLICT", message);
  throw e;
}
