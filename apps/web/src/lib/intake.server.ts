/**
 * The public intake page (/intake, /en/intake). Server-rendered, and complete without JavaScript: the form
 * posts to the page, which validates with the SAME zod schema as `POST /api/intake` (@fataplus/domain), then
 * forwards to the API. With JavaScript (components/intake/intake-form.ts) the steps show one at a time and the
 * form posts JSON to /api/intake directly, keeping the answers in sessionStorage if the network fails.
 */
import { intakeApi, isApiError } from "@fataplus/api-client";
import { intakeInput } from "@fataplus/domain/schemas";
import { INTAKE_LIMITS } from "@fataplus/domain/vocabulary";
import type { AstroGlobal } from "astro";
import type { IntakeT } from "../i18n/intake";
import { serverApiClient } from "./api.server";

export const INTAKE_FIELDS = [
  "name",
  "email",
  "phone",
  "organisation",
  "role",
  "project_type",
  "goals",
  "features",
  "assets",
  "links",
  "budget",
  "timeline",
] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

export type IntakeFormState = {
  lang: "fr" | "en";
  key: string;
  values: Partial<Record<IntakeField, string>>;
  errors: Partial<Record<IntakeField, string>>;
  formError: string | null;
  done: { email: string } | null;
  /** True on a first GET: the browser may restore answers it kept. */
  fresh: boolean;
};

/** The localised message of a field, with its cap filled in. */
export function fieldError(t: IntakeT, field: string): string {
  const key = `err.${field}` as Parameters<IntakeT>[0];
  const max = (INTAKE_LIMITS as Record<string, number>)[field] ?? 0;
  try {
    return t(key, { max });
  } catch {
    return t("err.summary");
  }
}

const newKey = () => crypto.randomUUID();

export async function intakePage(
  astro: AstroGlobal,
  lang: "fr" | "en",
  t: IntakeT,
): Promise<IntakeFormState> {
  astro.response.headers.set("cache-control", "no-store");
  const state: IntakeFormState = {
    lang,
    key: newKey(),
    values: {},
    errors: {},
    formError: null,
    done: null,
    fresh: true,
  };
  if (astro.request.method !== "POST") return state;
  state.fresh = false;
  const data = await astro.request.formData();
  const text = (name: string, max: number) => String(data.get(name) ?? "").slice(0, max);
  for (const f of INTAKE_FIELDS) state.values[f] = text(f, 4000);
  state.key = text("idempotency_key", 100) || newKey();
  const body: Record<string, unknown> = { locale: lang, idempotency_key: state.key };
  for (const f of INTAKE_FIELDS) if (state.values[f] !== "") body[f] = state.values[f];
  const website = text("website", INTAKE_LIMITS.honeypot + 1);
  if (website) body.website = website;

  const parsed = intakeInput.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      if ((INTAKE_FIELDS as readonly string[]).includes(field) && !state.errors[field as IntakeField]) {
        state.errors[field as IntakeField] = fieldError(t, field);
      }
    }
    if (parsed.error.issues.some((i) => String(i.path[0]) === "idempotency_key")) {
      state.formError = t("err.idempotency_key");
    }
    astro.response.status = 400;
    return state;
  }

  try {
    // As the visitor (their address goes along for the API's per-client limit).
    await intakeApi(serverApiClient(astro.request, astro.locals.tenant, { anonymous: true })).submit(body);
    return { ...state, done: { email: String(body.email) } };
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 429) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      astro.response.status = 429;
      return { ...state, formError: t("err.rate", { minutes }) };
    }
    if (error.status === 409) {
      astro.response.status = 409;
      return { ...state, formError: t("err.conflict") };
    }
    if (error.status === 400) {
      for (const field of Object.keys(error.fields)) {
        if ((INTAKE_FIELDS as readonly string[]).includes(field)) {
          state.errors[field as IntakeField] = fieldError(t, field);
        }
      }
      astro.response.status = 400;
      return { ...state, formError: Object.keys(state.errors).length ? null : t("err.unavailable") };
    }
    astro.response.status = 503;
    return { ...state, formError: t("err.unavailable") };
  }
}
