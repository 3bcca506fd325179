/**
 * Pure helpers of the clients and leads screens (no DOM, no fetch): which projects a user may create records
 * in, the list parameters a page may send to the API, notices after a redirect, and readable field errors.
 */
import {
  CRM_MAX_PAGE,
  CRM_MAX_PAGE_SIZE,
  clientKinds,
  clientSorts,
  leadSorts,
  leadStages,
  managesTenant,
  sortDirections,
} from "@fataplus/domain/vocabulary";
import type { FieldErrors } from "../../lib/http";

export type TenantOption = { id: string; name: string; subdomain: string; kind: string | null };

type MeTenant = {
  id: string;
  name: string;
  subdomain: string;
  kind?: string | null | undefined;
  role?: string | null | undefined;
};

/**
 * Projects where the user may create clients and leads: the ones they manage (the domain's managesTenant:
 * project manager or admin of the project; agency staff and admins get that role everywhere from /me). The
 * agency's own workspace comes first and is the default.
 */
export function manageableTenants(tenants: readonly MeTenant[] | undefined): {
  options: TenantOption[];
  defaultId: string | null;
} {
  const options = (tenants ?? [])
    .filter((t) => managesTenant(t.role))
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
  return Number.isInteger(n) && n >= 1 && n <= CRM_MAX_PAGE ? n : undefined;
};

const pageSizeOf = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= CRM_MAX_PAGE_SIZE ? n : undefined;
};

/** The API parameters of the clients list, from the page's query string (anything unknown is dropped). */
export function clientListParams(query: Query, tenantIds: readonly string[]) {
  return {
    q: query.q?.trim() || undefined,
    sort: pick(query.sort, clientSorts),
    dir: pick(query.dir, sortDirections),
    page: pageOf(query.page),
    pageSize: pageSizeOf(query.pageSize),
    kind: pick(query.kind, clientKinds),
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
    dir: pick(query.dir, sortDirections),
    page: pageOf(query.page),
    pageSize: pageSizeOf(query.pageSize),
    stage: pick(query.stage, leadStages),
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
