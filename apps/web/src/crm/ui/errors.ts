/** The API's error `details` (`[{ path, message }]`) as one message per field: shared by api.ts and http.ts. */
export type FieldErrors = Record<string, string>;

export function fieldsOfDetails(details: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const d of Array.isArray(details) ? (details as unknown[]) : []) {
    const path = typeof d === "object" && d && "path" in d ? String((d as { path: unknown }).path) : "";
    const msg =
      typeof d === "object" && d && "message" in d ? String((d as { message: unknown }).message) : "";
    if (path && msg && !(path in fields)) fields[path] = msg;
  }
  return fields;
}
