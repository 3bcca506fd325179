/**
 * The bootcamp's pages talk to the API as the `bootcamp` tenant (its data lives there: decision 010). Forms post
 * to the page itself, which calls the API and redirects back (post/redirect/get), so these pages need no
 * JavaScript. Permissions stay in the API: a page only chooses what to show.
 */
import { type ApiError, type BootcampApi, bootcampApi, isApiError } from "@fataplus/api-client";
import type { CatalogueCohort, CatalogueCourse, VerifiedCertificate } from "@fataplus/domain";
import { BOOTCAMP_SUBDOMAIN, runsBootcamp } from "@fataplus/domain/vocabulary";
import type { AstroGlobal } from "astro";
import { type BootcampT, bootcampT } from "../i18n/bootcamp";
import { apiErrorText } from "../i18n/errors";
import { langOfPath } from "../i18n/routes";
import type { Lang } from "../i18n/ui";
import { serverApiClient } from "./api.server";
import { currentSession, loginRedirect, requireCrm, type Session } from "./session.server";

export const BOOTCAMP_TENANT = BOOTCAMP_SUBDOMAIN;

/** The public API, as the visitor: their address goes along for the applications' per-client limit. */
export function publicBootcamp(astro: AstroGlobal): BootcampApi {
  return bootcampApi(serverApiClient(astro.request, null, { anonymous: true }));
}

/** Whether the page offers the bootcamp staff's actions (courses, cohorts, enrolments): the domain's rule. */
export const isBootcampStaff = (session: Session): boolean => runsBootcamp(session.me);

export type BootcampSession = Session & { bc: BootcampApi; b: BootcampT };

/** A learner page: signed in (else to the sign-in page and back). */
export async function requireLearner(astro: AstroGlobal): Promise<BootcampSession | Response> {
  astro.response.headers.set("cache-control", "no-store");
  const session = await currentSession(astro);
  if (!session) return loginRedirect(astro);
  return {
    ...session,
    bc: bootcampApi(serverApiClient(astro.request, BOOTCAMP_TENANT)),
    b: bootcampT(session.lang),
  };
}

/** A staff or instructor page of the CRM. */
export async function requireBootcampTeam(astro: AstroGlobal): Promise<BootcampSession | Response> {
  const session = await requireCrm(astro);
  if (session instanceof Response) return session;
  return {
    ...session,
    bc: bootcampApi(serverApiClient(astro.request, BOOTCAMP_TENANT)),
    b: bootcampT(session.lang),
  };
}

/** The form of a POST, or null for other methods. */
export async function postedForm(astro: AstroGlobal): Promise<FormData | null> {
  if (astro.request.method !== "POST") return null;
  try {
    return await astro.request.formData();
  } catch {
    return new FormData();
  }
}

export const field = (form: FormData, name: string, max = 100_000): string =>
  String(form.get(name) ?? "")
    .trim()
    .slice(0, max);

/**
 * Runs a form's action: on success, redirects to `back` (303) with `done` in the query; on an API refusal,
 * returns its readable message for the page to show (and sets the status to the API's).
 */
export async function runAction(
  astro: AstroGlobal,
  action: () => Promise<unknown>,
  back: string,
  lang: Lang,
): Promise<Response | string> {
  try {
    await action();
    return astro.redirect(back, 303);
  } catch (e) {
    if (isApiError(e)) {
      astro.response.status = e.status >= 400 && e.status < 600 ? e.status : 400;
      return errorText(e, lang);
    }
    throw e;
  }
}

/** The API's refusal in the reader's language (i18n/errors.ts: its code and its fields' keys). */
export const errorText = (e: ApiError, lang: Lang): string => apiErrorText(lang, e, e.message);

export { moveId, parseQuiz, parseRubric, quizText } from "./bootcamp-forms";
export { isApiError };

/** Sends a submitted file on to the API as multipart, as the signed-in learner. */
export async function submitFileToApi(
  astro: AstroGlobal,
  enrolment: string,
  assignment: string,
  file: File,
  note: string,
): Promise<void> {
  await bootcampApi(serverApiClient(astro.request, BOOTCAMP_TENANT)).submitFile(
    enrolment,
    assignment,
    file,
    note,
  );
}

/*
 * Page-level loaders of the public bootcamp pages: they run in the page's frontmatter, before anything is
 * streamed, so that the status and cache headers they set reach the response.
 */

export async function loadCatalogue(astro: AstroGlobal): Promise<CatalogueCourse[] | null> {
  try {
    const { courses } = await publicBootcamp(astro).catalogue();
    astro.response.headers.set("cache-control", "public, max-age=60");
    return courses;
  } catch {
    astro.response.status = 503;
    astro.response.headers.set("cache-control", "no-store");
    return null;
  }
}

export async function loadPublicCertificate(astro: AstroGlobal): Promise<VerifiedCertificate | null> {
  const id = (astro.params.id ?? "").slice(0, 40);
  try {
    const { certificate } = await publicBootcamp(astro).verify(id);
    astro.response.headers.set("cache-control", "public, max-age=300");
    return certificate;
  } catch (e) {
    if (!isApiError(e)) throw e;
    astro.response.status = e.status === 404 || e.status === 400 ? 404 : 503;
    astro.response.headers.set("cache-control", "no-store");
    return null;
  }
}

export type ApplyState = {
  cohortId: string;
  found: { course: CatalogueCourse; cohort: CatalogueCohort } | null;
  error: string | null;
  done: boolean;
  values: { name: string; email: string; motivation: string };
};

export async function applyPage(astro: AstroGlobal): Promise<ApplyState> {
  astro.response.headers.set("cache-control", "no-store");
  const api = publicBootcamp(astro);
  const url = new URL(astro.request.url);
  const form = await postedForm(astro);
  const cohortId = (form ? field(form, "cohort_id", 60) : (url.searchParams.get("cohort") ?? "")).slice(
    0,
    60,
  );
  const state: ApplyState = {
    cohortId,
    found: null,
    error: null,
    done: false,
    values: { name: "", email: "", motivation: "" },
  };
  try {
    for (const course of (await api.catalogue()).courses) {
      const cohort = course.cohorts.find((h) => h.id === cohortId);
      if (cohort) state.found = { course, cohort };
    }
  } catch {
    state.found = null;
  }
  if (form) {
    state.values = {
      name: field(form, "name", 200),
      email: field(form, "email", 254),
      motivation: field(form, "motivation", 2000),
    };
    try {
      await api.apply({
        cohort_id: cohortId,
        name: state.values.name,
        email: state.values.email,
        ...(state.values.motivation ? { motivation: state.values.motivation } : {}),
      });
      state.done = true;
    } catch (e) {
      if (!isApiError(e)) throw e;
      astro.response.status = e.status >= 400 && e.status < 500 ? e.status : 503;
      state.error = errorText(e, langOfPath(url.pathname));
    }
  } else if (!state.found) astro.response.status = 404;
  return state;
}
