/**
 * Pure helpers of the clients and leads screens (no DOM, no fetch): which projects a user may create records
 * in, the list parameters a page may send to the API, notices after a redirect, and readable field errors.
 */
import type { FieldErrors } from "../ui/api";

export type TenantOption = { id: string; name: string; subdomain: string; kind: string | null };

type MeTenant = {
  id: string;
  name: string;
  subdomain: string;
  kind?: string | null | undefined;
  role?: string | null | undefined;
};

/**
 * Projects where the user may create clients and leads: the ones they manage (project manager or admin of
 * the project; agency staff and admins get that role everywhere from /me). The agency's own workspace comes
 * first and is the default.
 */
export function manageableTenants(tenants: readonly MeTenant[] | undefined): {
  options: TenantOption[];
  defaultId: string | null;
} {
  const options = (tenants ?? [])
    .filter((t) => t.role === "project_manager" || t.role === "admin")
    .map((t) => ({ id: t.id, name: t.name, subdomain: t.subdomain, kind: t.kind ?? null }))
    .sort(
      (a, b) => Number(b.kind === "agency") - Number(a.kind === "agency") || a.name.localeCompare(b.name),
    );
  const agency = options.find((t) => t.kind === "agency");
  return { options, defaultId: agency?.id ?? options[0]?.id ?? null };
}

type Query = Record<string, string>;

const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
  value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

const pageOf = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : undefined;
};

const pageSizeOf = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
};

export const clientSorts = ["name", "created_at", "updated_at"] as const;
export const leadSorts = ["title", "created_at", "updated_at", "value_cents", "stage"] as const;
export const clientKindValues = ["organization", "contact"] as const;
export const leadStageValues = ["new", "qualified", "proposal", "won", "lost"] as const;

/** The API parameters of the clients list, from the page's query string (anything unknown is dropped). */
export function clientListParams(query: Query, tenantIds: readonly string[]) {
  return {
    q: query.q?.trim() || undefined,
    sort: pick(query.sort, clientSorts),
    dir: pick(query.dir, ["asc", "desc"] as const),
    page: pageOf(query.page),
    pageSize: pageSizeOf(query.pageSize),
    kind: pick(query.kind, clientKindValues),
    tenant: pick(query.tenant, tenantIds),
  };
}

/** The API parameters of the leads list; the kanban shows one page of the most recently updated leads. */
export function leadListParams(query: Query, tenantIds: readonly string[], view: "table" | "kanban") {
  const common = { q: query.q?.trim() || undefined, tenant: pick(query.tenant, tenantIds) };
  if (view === "kanban") return { ...common, sort: "updated_at", dir: "desc", pageSize: 100 };
  return {
    ...common,
    sort: pick(query.sort, leadSorts),
    dir: pick(query.dir, ["asc", "desc"] as const),
    page: pageOf(query.page),
    pageSize: pageSizeOf(query.pageSize),
    stage: pick(query.stage, leadStageValues),
  };
}

export const viewOf = (query: Query): "table" | "kanban" => (query.view === "table" ? "table" : "kanban");

export const notices = ["created", "saved", "deleted"] as const;
export type Notice = (typeof notices)[number];
export const noticeOf = (url: URL): Notice | undefined =>
  pick(url.searchParams.get("notice") ?? undefined, notices);

/**
 * Field errors in the user's language: zod's messages are English and technical, so known fields get a
 * sentence from `messages`; an unknown field keeps the schema's own message.
 */
export function readableErrors(fields: FieldErrors, messages: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) out[field] = messages[field] ?? message;
  return out;
}

/**
 * An amount typed by a person, in major units: "12 000,50" (French), "12,000.50" (English), "12000", "12 000 €".
 * A lone comma is a decimal comma in French and a thousands separator in English ("12,000").
 */
export function parseAmount(raw: string, lang: "fr" | "en" = "fr"): number {
  let s = raw.replace(/[\s\u00a0\u202f€]/g, "");
  if (s.includes(",") && s.includes(".")) s = s.replace(/,/g, "");
  else if (lang === "en" && /^\d{1,3}(,\d{3})+$/.test(s)) s = s.replace(/,/g, "");
  else s = s.replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(s) ? Number(s) : Number.NaN;
}

/** Cents for a money input ("" → null; a bad amount → NaN, which the schema refuses). */
export function centsOf(raw: string, lang: "fr" | "en" = "fr"): number | null {
  if (raw.trim() === "") return null;
  const n = parseAmount(raw, lang);
  return Number.isNaN(n) ? Number.NaN : Math.round(n * 100);
}
