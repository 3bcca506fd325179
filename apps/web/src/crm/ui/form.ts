/**
 * Forms validate with the same zod schemas as the API (from @fataplus/domain) before sending, and show the
 * API's own field errors when it still refuses. Values come from <form> fields: empty text → null/absent.
 */
import { type MoneyLang, parseMoney } from "@fataplus/domain/vocabulary";
import type { z } from "zod";
import type { FieldErrors } from "../../lib/http";

/** Field errors from a zod schema, keyed by the first path segment (one message per field). */
export function zodFieldErrors(
  schema: z.ZodType,
  values: unknown,
): { ok: true; data: unknown } | { ok: false; fields: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_");
    if (!(key in fields)) fields[key] = issue.message;
  }
  return { ok: false, fields };
}

export type FieldKind = "text" | "email" | "textarea" | "select" | "date" | "money" | "number";

/**
 * Reads a form into a plain object: trimmed strings, empty → null (or dropped when `dropEmpty`), money typed
 * in major units in the user's language → cents (the domain's parseMoney: NaN when it is not an amount, which
 * the schema refuses), numbers → numbers.
 */
export function readForm(
  form: HTMLFormElement,
  kinds: Record<string, FieldKind>,
  opts: { dropEmpty?: boolean; lang?: MoneyLang } = {},
): Record<string, unknown> {
  const data = new FormData(form);
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const raw = String(data.get(name) ?? "").trim();
    if (raw === "") {
      if (!opts.dropEmpty) out[name] = null;
      continue;
    }
    if (kind === "money") out[name] = parseMoney(raw, opts.lang);
    else if (kind === "number") out[name] = Number(raw);
    else out[name] = raw;
  }
  return out;
}
