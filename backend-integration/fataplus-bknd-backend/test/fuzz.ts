/**
 * Shared pieces of the property-based attack suite (src/bknd/gate/fuzz.test.ts, src/mcp/fuzz.test.ts): adversarial
 * JSON values, bknd where-clauses and query strings (fast-check arbitraries), and the checks every answer must
 * pass. The seed is fixed so a failure replays exactly; FUZZ_SEED / FUZZ_RUNS change them for a deeper run.
 */
import fc from "fast-check";
import { expect } from "vitest";

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** Runs per route (or tool); each run picks a role, so every role gets several. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 24);

/** bknd's where operators, and a few it does not know. */
export const operators = [
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$notin",
  "$nin",
  "$like",
  "$ilike",
  "$isnull",
  "$between",
  "$or",
  "$and",
  "$not",
  "$regex",
  "$where",
  "$set",
  "$attach",
  "$detach",
] as const;

/** Strings an attacker would try: injection, traversal, unicode, control characters, extreme lengths. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "' OR 1=1 --",
    '"; DROP TABLE tasks; --',
    "tenant_id",
    "../../etc/passwd",
    "..%2f..%2f",
    "%00",
    "\u0000",
    "\u202e\u200b\ufeff",
    "𝕏😀👩‍👩‍👧",
    "Ａｄｍｉｎ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "$" + "{7*7}{{7*7}}",
    "__proto__",
    "constructor",
    "prototype",
    "NaN",
    "-1",
    "1e309",
    "null",
    "true",
    "[]",
    "{}",
    "*",
    "%",
    "_",
    "x".repeat(5000),
  ),
);

export const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -0, 0.5),
);

/** Any JSON value, deep and wide enough to hit limits, with adversarial leaves. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(nastyString, fc.constantFrom(...operators)), tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** A value nested `depth` times: objects or arrays. */
export const deepNesting = fc
  .tuple(fc.integer({ min: 20, max: 400 }), fc.boolean())
  .map(([depth, arrays]) => {
    let v: unknown = "leaf";
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { $or: [v] };
    return v;
  });

export const hugeIn = fc.integer({ min: 90, max: 3000 }).map((n) => ({
  $in: Array.from({ length: n }, (_, i) => `x${i}`),
}));

/** A bknd where-clause over the given fields (and dotted, unknown and forbidden ones). */
export function whereClause(fields: readonly string[], extraValues: fc.Arbitrary<unknown>) {
  const key = fc.oneof(
    fc.constantFrom(...fields),
    fc.constantFrom(...fields).map((f) => `${f}.name`),
    fc.constantFrom("tenant_id", "tenant.id", "project.tenant_id", "users.email", "strategy_value"),
    nastyString,
  );
  const leaf = fc.oneof(nastyString, nastyNumber, fc.constant(null), extraValues);
  const condition = fc.oneof(
    leaf,
    fc
      .record({ op: fc.constantFrom(...operators), v: fc.oneof(leaf, fc.array(leaf, { maxLength: 4 })) })
      .map(({ op, v }) => ({ [op]: v })),
    hugeIn,
  );
  const flat = fc.dictionary(key, condition, { minKeys: 0, maxKeys: 4 });
  return fc.oneof(
    flat,
    fc.array(flat, { maxLength: 3 }).map((xs) => ({ $or: xs })),
    fc.tuple(flat, flat).map(([a, b]) => ({ $and: [a, { $or: [b, { tenant_id: { $ne: "" } }] }] })),
    deepNesting,
    nastyJson,
  );
}

/** Query-string parameters: bknd's list options, the tenant, and junk, JSON-encoded or raw. */
export function queryParams(fields: readonly string[], extraValues: fc.Arbitrary<unknown>) {
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.stringify(v) ?? "");
  const value = fc.oneof(
    nastyString,
    nastyNumber.map(String),
    json(whereClause(fields, extraValues)),
    fc.constantFrom(...fields),
    fc.constantFrom(...fields).map((f) => `-${f}`),
    extraValues.map((v) => String(v)),
  );
  const key = fc.oneof(
    fc.constantFrom(
      "where",
      "limit",
      "offset",
      "sort",
      "select",
      "with",
      "join",
      "tenant",
      "q",
      "page",
      "pageSize",
      "screen",
      "status",
      "stage",
      "_method",
      "__proto__",
    ),
    nastyString,
  );
  return fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => {
    const sp = new URLSearchParams();
    for (const [k, v] of pairs) sp.append(k, v);
    return sp.toString();
  });
}

/** Everything that would reveal the other tenant; `sent` is what the request itself carried (echoes are fine). */
export function expectNoLeak(text: string, markers: readonly string[], sent: string, what: string) {
  for (const m of markers) {
    if (m.length < 4 || sent.includes(m)) continue;
    expect(text.includes(m), `${what} leaks ${m}: ${text.slice(0, 300)}`).toBe(false);
  }
}

/** A 4xx must explain itself: JSON with a readable message, no stack trace, no SQL engine error. */
export function expectReadableAnswer(status: number, text: string, what: string) {
  expect(status, `${what} → ${status}: ${text.slice(0, 400)}`).toBeLessThan(500);
  expect(text, `${what} leaks internals`).not.toMatch(
    /\bat\s+\S+\s+\(\S+:\d+|\.ts:\d+:\d+|D1_ERROR|SQLITE_|no such column|syntax error/,
  );
  if (status >= 400 && status !== 404 && status !== 405 && text.length > 0) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${what} → ${status} without a JSON error: ${text.slice(0, 200)}`);
    }
    // Ours: { error: { code, message } }; JSON-RPC: { error: { code, message } }; bknd's schema validation
    // (agency admins working unscoped, as bknd's admin UI does): { valid: false, errors: [{ error }] }.
    const b = body as {
      error?: { message?: unknown } | string;
      message?: unknown;
      errors?: Array<{ error?: unknown }>;
    };
    const candidates = [
      b?.error,
      typeof b?.error === "object" ? b.error?.message : undefined,
      b?.message,
      Array.isArray(b?.errors) ? b.errors[0]?.error : undefined,
    ];
    const readable = (candidates.find((c) => typeof c === "string") as string | undefined) ?? "";
    expect(
      readable.length,
      `${what} → ${status} has no readable message: ${text.slice(0, 200)}`,
    ).toBeGreaterThan(5);
  }
}

/** A short account of a failed fast-check run (its counterexamples can be megabytes of $in lists). */
export function failureOf(out: {
  errorInstance?: unknown;
  seed: number;
  counterexamplePath?: string | null;
}): string {
  const err = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  return `${err.slice(0, 1500)}\n(seed ${out.seed}, path ${out.counterexamplePath})`;
}
