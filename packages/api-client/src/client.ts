import type { ExposedEntity } from "@fataplus/domain";
import { z } from "zod";
import { ApiError } from "./errors";
import { type Answer, exchange, type FetchLike, type Method, type QueryValues } from "./http";
import {
  CurrentTenantResponseSchema,
  type EntityRow,
  type Health,
  HealthSchema,
  itemResponseSchema,
  type ListMeta,
  type LoginResponse,
  LoginResponseSchema,
  listResponseSchema,
  type MeResponse,
  MeResponseSchema,
  RowSchema,
  shaped,
  type Tenant,
} from "./schemas";

export type { FetchLike } from "./http";

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

/** Every path the client calls itself; the area modules (crm.ts, portal.ts…) name theirs. */
export const API_ROUTES = {
  health: "/api/health",
  currentTenant: "/api/public/tenant",
  login: "/api/auth/login",
  me: "/api/auth/me",
  logout: "/api/auth/logout",
  data: (entity: string) => `/api/data/${entityPath(entity)}`,
  dataItem: (entity: string, id: string | number) => `/api/data/${entityPath(entity)}/${idPath(id)}`,
  dataCount: (entity: string) => `/api/data/entity/${entityPath(entity)}/fn/count`,
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

export interface RequestSpec<T> {
  method: Method;
  path: string;
  query?: URLSearchParams | QueryValues | undefined;
  /** JSON, or a FormData sent as multipart. */
  body?: unknown;
  /** Extra headers for this call only. */
  headers?: Record<string, string> | undefined;
  /** Checks a 2xx body (its outer shape, typed from the domain: see `shaped`). */
  schema: z.ZodType<T>;
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

/** Whatever the answer's body, it is accepted (a write whose answer nobody reads). */
const ignored = z.unknown();

/**
 * The typed client: every call goes through http.ts's `exchange` (one URL builder, one body reader, one
 * ApiError), then its answer is checked against the call's schema.
 */
export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const defaultHeaders = options.headers ?? {};

  /** One call; the checked body and the answer's headers (for Set-Cookie, Retry-After…). */
  async function send<T>(spec: RequestSpec<T>): Promise<{ data: T; headers: Headers; status: number }> {
    const answer: Answer = await exchange(doFetch, baseUrl, {
      method: spec.method,
      path: spec.path,
      query: spec.query,
      body: spec.body,
      tenant: options.tenant,
      headers: { ...defaultHeaders, ...spec.headers },
    });
    const result = spec.schema.safeParse(answer.body);
    if (!result.success) {
      throw new ApiError(
        answer.status,
        "INVALID_RESPONSE",
        `${spec.method} ${spec.path} returned an unexpected body: ${z.prettifyError(result.error)}`,
        result.error.issues,
      );
    }
    return { data: result.data, headers: answer.headers, status: answer.status };
  }

  /** One call; its checked body. */
  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    return (await send(spec)).data;
  }

  const row = <E extends ExposedEntity>() => shaped<EntityRow<E>>(RowSchema);

  return {
    /** The checked request primitive, for the area modules (crm.ts, portal.ts…). */
    request,
    /** The same, with the answer's headers. */
    send,

    /** The same client for another project (tenant subdomain or id). */
    forTenant(tenant: string) {
      return createApiClient({ ...options, tenant });
    },

    /** The same client with more headers (e.g. a bearer token right after signing in). */
    withHeaders(headers: Record<string, string>) {
      return createApiClient({ ...options, headers: { ...defaultHeaders, ...headers } });
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

    /** `POST /api/auth/login`: the user, and the session's Set-Cookie headers to hand to the browser. */
    async login(credentials: Credentials): Promise<LoginResponse & { cookies: string[] }> {
      const { data, headers } = await send({
        method: "POST",
        path: API_ROUTES.login,
        body: { email: credentials.email, password: credentials.password },
        schema: LoginResponseSchema,
      });
      return { ...data, cookies: headers.getSetCookie() };
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

    /** `POST /api/auth/logout`: the Set-Cookie headers that clear the session. */
    async logout(): Promise<{ cookies: string[] }> {
      const { headers } = await send({ method: "POST", path: API_ROUTES.logout, schema: ignored });
      return { cookies: headers.getSetCookie() };
    },

    /** `GET /api/data/:entity` with `where` (JSON), `sort`, `limit`, `offset`. */
    async list<E extends ExposedEntity>(entity: E, query: ListQuery = {}): Promise<ListResult<EntityRow<E>>> {
      const body = await request({
        method: "GET",
        path: API_ROUTES.data(entity),
        query: listParams(query),
        schema: listResponseSchema(row<E>()),
      });
      return { data: body.data, meta: body.meta ?? {} };
    },

    /** `POST /api/data/entity/:entity/fn/count`: how many rows a where-clause matches (bknd's list has no total). */
    async count(entity: ExposedEntity, where: Record<string, unknown> = {}): Promise<number> {
      const body = await request({
        method: "POST",
        path: API_ROUTES.dataCount(entity),
        body: where,
        schema: z.looseObject({ count: z.number() }),
      });
      return body.count;
    },

    /** `GET /api/data/:entity/:id` */
    async get<E extends ExposedEntity>(entity: E, id: string | number): Promise<EntityRow<E>> {
      const body = await request({
        method: "GET",
        path: API_ROUTES.dataItem(entity, id),
        schema: itemResponseSchema(row<E>()),
      });
      return body.data;
    },

    /** `POST /api/data/:entity` */
    async create<E extends ExposedEntity>(entity: E, values: Record<string, unknown>): Promise<EntityRow<E>> {
      const body = await request({
        method: "POST",
        path: API_ROUTES.data(entity),
        body: values,
        schema: itemResponseSchema(row<E>()),
      });
      return body.data;
    },

    /** `PUT /api/data/:entity/:id` */
    async update<E extends ExposedEntity>(
      entity: E,
      id: string | number,
      values: Record<string, unknown>,
    ): Promise<EntityRow<E>> {
      const body = await request({
        method: "PUT",
        path: API_ROUTES.dataItem(entity, id),
        body: values,
        schema: itemResponseSchema(row<E>()),
      });
      return body.data;
    },

    /** `DELETE /api/data/:entity/:id` */
    async remove(entity: ExposedEntity, id: string | number): Promise<void> {
      await request({ method: "DELETE", path: API_ROUTES.dataItem(entity, id), schema: ignored });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
