/**
 * The islands' one way to the API: `callApi` from @fataplus/api-client/http (same-origin `/api/*` through the
 * site's proxy, the same URL building, body reading and ApiError as the typed server client, without zod:
 * about 1 KB gzipped), the data API's writes on top of it, and a refusal as the form shows it. Answers are
 * typed from the domain (`import type`); the server code checks them, islands trust their own API.
 */
import type { EntityRow } from "@fataplus/api-client";
import { ApiError, callApi, type FieldErrors, type Method, readBody } from "@fataplus/api-client/http";
import type { ExposedEntity } from "@fataplus/domain";
import { apiErrorText, fieldErrorsIn } from "../i18n/errors";
import type { Lang } from "../i18n/ui";

export { ApiError, callApi, type FieldErrors, type Method };

const item = (entity: ExposedEntity, id?: string) =>
  `/api/data/${entity}${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;

/** A data row of a project: `/api/data/<entity>[/<id>]?tenant=…` (create, update, remove). */
export const dataApi = (tenant: string) => ({
  create: async <E extends ExposedEntity>(entity: E, values: Record<string, unknown>) =>
    (await callApi<{ data: EntityRow<E> }>("POST", item(entity), { tenant, body: values })).data,
  update: async <E extends ExposedEntity>(entity: E, id: string, values: Record<string, unknown>) =>
    (await callApi<{ data: EntityRow<E> }>("PUT", item(entity, id), { tenant, body: values })).data,
  remove: async (entity: ExposedEntity, id: string) => {
    await callApi("DELETE", item(entity, id), { tenant });
  },
});

/** The page's language (`<html lang>`), French unless it says English; French outside a browser. */
export const pageLang = (): Lang =>
  typeof document !== "undefined" && document.documentElement.lang.startsWith("en") ? "en" : "fr";

/**
 * The refusal in the reader's language (i18n/errors.ts: from its code and its fields' keys) and its per-field
 * problems, or `fallback` when no answer of the API's came.
 */
export function describeFailure(
  error: unknown,
  fallback: string,
  lang: Lang = pageLang(),
): { message: string; fields: FieldErrors } {
  return { message: apiErrorText(lang, error, fallback), fields: fieldErrorsIn(lang, error) };
}

/** A refusal read from a body by hand (an upload's XMLHttpRequest, which shows progress): the same ApiError. */
export const refusalOf = (status: number, text: string): ApiError =>
  ApiError.fromResponse(status, readBody(text).value);

/** The HTTP status of a refusal (0 when the request got no answer). */
export const statusOf = (error: unknown): number => (error instanceof ApiError ? error.status : 0);
