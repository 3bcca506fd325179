import { z } from "zod";
import { ApiError } from "./errors";
import {
  CurrentTenantResponseSchema,
  type Health,
  HealthSchema,
  itemResponseSchema,
  type ListMeta,
  type LoginResponse,
  LoginResponseSchema,
  listResponseSchema,
  type MeResponse,
  MeResponseSchema,
  type Row,
  RowSchema,
  type Tenant,
} from "./schemas";

/** The part of `fetch` the client uses; the global fetch and a Worker service binding both fit. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin (or prefix) the `/api/...` paths are appended to. `""` means same-origin relative URLs. */
  baseUrl: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Sent with every request (e.g. a forwarded Cookie header on the server). */
  headers?: Record<string, string> | undefined;
  /**
   * The project (tenant subdomain or id) every request is for, sent as `?tenant=`. On a project's subdomain
   * the site's proxy sets the tenant from the Host instead, and the API prefers that.
   */
  tenant?: string | undefined;
}

/** Every path the client calls, in one place. */
export const API_ROUTES = {
  health: "/api/health",
  currentTenant: "/api/public/tenant",
  login: "/api/auth/login",
  me: "/api/auth/me",
  logout: "/api/auth/logout",
  data: (entity: string) => `/api/data/${entityPath(entity)}`,
  dataItem: (entity: string, id: string | number) => `/api/data/${entityPath(entity)}/${idPath(id)}`,
} as const;

export type SortOrder = string | { by: string; dir?: "asc" | "desc" };

export interface ListQuery {
  /** A bknd where-clause, sent JSON-encoded in the `where` query parameter. */
  where?: Record<string, unknown> | undefined;
  /** `"name"`, `"-created_at"` or `{ by, dir }`. */
  sort?: SortOrder | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ListResult<T> {
  data: T[];
  meta: ListMeta;
}

export interface Credentials {
  email: string;
  password: string;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestSpec<T> {
  method: Method;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  /** Validates a 2xx body; `null` ignores the body. */
  schema: z.ZodType<T> | null;
}

const ENTITY_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function entityPath(entity: string): string {
  if (!ENTITY_NAME.test(entity)) throw new TypeError(`Invalid entity name: ${JSON.stringify(entity)}`);
  return entity;
}

function idPath(id: string | number): string {
  const value = String(id);
  if (value === "" || value === "." || value === "..")
    throw new TypeError(`Invalid id: ${JSON.stringify(id)}`);
  return encodeURIComponent(value);
}

function listParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.where !== undefined) params.set("where", JSON.stringify(query.where));
  if (query.sort !== undefined) {
    params.set("sort", typeof query.sort === "string" ? query.sort : JSON.stringify(query.sort));
  }
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  if (query.offset !== undefined) params.set("offset", String(query.offset));
  return params;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const defaultHeaders = options.headers ?? {};

  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    const params = new URLSearchParams(spec.query);
    if (options.tenant && !params.has("tenant")) params.set("tenant", options.tenant);
    const query = params.toString();
    const url = `${baseUrl}${spec.path}${query ? `?${query}` : ""}`;
    const headers: Record<string, string> = { ...defaultHeaders, accept: "application/json" };
    const init: RequestInit = { method: spec.method, headers };
    if (spec.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(spec.body);
    }

    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, "NETWORK_ERROR", `${spec.method} ${spec.path} failed: ${reason}`);
    }

    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      throw ApiError.fromResponse(response.status, parsed.ok ? parsed.value : text);
    }
    if (spec.schema === null) return undefined as T;
    if (!parsed.ok) {
      throw new ApiError(
        response.status,
        "INVALID_RESPONSE",
        `${spec.method} ${spec.path} did not return JSON`,
      );
    }
    const result = spec.schema.safeParse(parsed.value);
    if (!result.success) {
      throw new ApiError(
        response.status,
        "INVALID_RESPONSE",
        `${spec.method} ${spec.path} returned an unexpected body: ${z.prettifyError(result.error)}`,
        result.error.issues,
      );
    }
    return result.data;
  }

  return {
    /** The validated request primitive, for the area modules (crm.ts, tokens.ts…). */
    request,

    /** The same client for another project (tenant subdomain or id). */
    forTenant(tenant: string) {
      return createApiClient({ ...options, tenant });
    },

    /** `GET /api/health` */
    health(): Promise<Health> {
      return request({ method: "GET", path: API_ROUTES.health, schema: HealthSchema });
    },

    /** `GET /api/public/tenant`: the tenant of the current subdomain (404 NOT_FOUND if unknown). */
    async currentTenant(): Promise<Tenant> {
      const body = await request({
        method: "GET",
        path: API_ROUTES.currentTenant,
        schema: CurrentTenantResponseSchema,
      });
      return body.tenant;
    },

    /** `POST /api/auth/login` */
    login(credentials: Credentials): Promise<LoginResponse> {
      return request({
        method: "POST",
        path: API_ROUTES.login,
        body: { email: credentials.email, password: credentials.password },
        schema: LoginResponseSchema,
      });
    },

    /** `GET /api/auth/me`: the signed-in user and their tenants, or null when not signed in (401). */
    async me(): Promise<MeResponse | null> {
      try {
        return await request({ method: "GET", path: API_ROUTES.me, schema: MeResponseSchema });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },

    /** `POST /api/auth/logout` */
    logout(): Promise<void> {
      return request({ method: "POST", path: API_ROUTES.logout, schema: null });
    },

    /** `GET /api/data/:entity` with `where` (JSON), `sort`, `limit`, `offset`. */
    async list<T = Row>(
      entity: string,
      query: ListQuery = {},
      schema?: z.ZodType<T>,
    ): Promise<ListResult<T>> {
      const row = (schema ?? RowSchema) as z.ZodType<T>;
      const body = await request({
        method: "GET",
        path: API_ROUTES.data(entity),
        query: listParams(query),
        schema: listResponseSchema(row),
      });
      return { data: body.data, meta: body.meta ?? {} };
    },

    /** `GET /api/data/:entity/:id` */
    async get<T = Row>(entity: string, id: string | number, schema?: z.ZodType<T>): Promise<T> {
      const row = (schema ?? RowSchema) as z.ZodType<T>;
      const body = await request({
        method: "GET",
        path: API_ROUTES.dataItem(entity, id),
        schema: itemResponseSchema(row),
      });
      return body.data;
    },

    /** `POST /api/data/:entity` */
    async create<T = Row>(
      entity: string,
      values: Record<string, unknown>,
      schema?: z.ZodType<T>,
    ): Promise<T> {
      const row = (schema ?? RowSchema) as z.ZodType<T>;
      const body = await request({
        method: "POST",
        path: API_ROUTES.data(entity),
        body: values,
        schema: itemResponseSchema(row),
      });
      return body.data;
    },

    /** `PUT /api/data/:entity/:id` */
    async update<T = Row>(
      entity: string,
      id: string | number,
      values: Record<string, unknown>,
      schema?: z.ZodType<T>,
    ): Promise<T> {
      const row = (schema ?? RowSchema) as z.ZodType<T>;
      const body = await request({
        method: "PUT",
        path: API_ROUTES.dataItem(entity, id),
        body: values,
        schema: itemResponseSchema(row),
      });
      return body.data;
    },

    /** `DELETE /api/data/:entity/:id` */
    async remove(entity: string, id: string | number): Promise<void> {
      await request({ method: "DELETE", path: API_ROUTES.dataItem(entity, id), schema: null });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
