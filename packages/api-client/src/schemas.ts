/**
 * Answers' types and the zod checks of their outer shape. A type comes from the domain (types only, erased):
 * the verb that builds the answer (`Out<typeof verb>`) or the domain's own type. The check is light on
 * purpose: it catches a wrong route or a broken proxy ("an object with `rows`"), while the body's fields are
 * the domain's promise, typed from it, not a second copy written here by hand.
 */
import type {
  EntityInput,
  ExposedEntity,
  Identity,
  listAccessibleTenants,
  TimeZoneView,
} from "@fataplus/domain";
import { z } from "zod";
import type { ErrorEnvelope } from "./errors";

/** What a domain verb resolves to: the body of the route that answers with it. */
export type Out<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

/** A check of a body's outer shape, typed as `T`, the domain's type of the whole body. */
export function shaped<T>(outer: z.ZodType): z.ZodType<T> {
  return outer.pipe(z.custom<T>());
}

export const anyObject = z.looseObject({});
export const anyArray = z.array(anyObject);

/** The backend's error envelope. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string(), details: z.unknown().optional() }),
}) satisfies z.ZodType<ErrorEnvelope>;

/** `GET /api/health` */
export const HealthSchema = z.object({ ok: z.boolean(), service: z.string() });
export type Health = z.infer<typeof HealthSchema>;

/** A client project (tenant), as exposed publicly on its subdomain (`GET /api/public/tenant`). */
export const TenantSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  subdomain: z.string().min(1),
});
export type Tenant = z.infer<typeof TenantSchema>;
export const CurrentTenantResponseSchema = z.object({ tenant: TenantSchema });

/** The signed-in user (the domain's identity, as `/api/auth/*` shows it). */
export type AuthUser = Identity;
/** A tenant the signed-in user can open, with their (effective) role in it. */
export type AccessibleTenant = Out<typeof listAccessibleTenants>[number];

/** `GET /api/auth/me` (401 UNAUTHENTICATED when nobody is signed in). */
export type MeResponse = { user: AuthUser; tenants: AccessibleTenant[]; zone: TimeZoneView };
export const MeResponseSchema = shaped<MeResponse>(
  z.looseObject({
    user: z.looseObject({ id: z.number(), email: z.string() }),
    tenants: z.array(z.looseObject({ id: z.string(), subdomain: z.string() })),
  }),
);

/** `POST /api/auth/login`: the session cookie comes in Set-Cookie, the token in the body. */
export type LoginResponse = { user: AuthUser; token: string };
export const LoginResponseSchema = shaped<LoginResponse>(
  z.looseObject({ user: z.looseObject({ id: z.number(), email: z.string() }), token: z.string() }),
);

/** A data row of the data API when nothing more is known about it. */
export const RowSchema = z.record(z.string(), z.unknown());
export type Row = z.infer<typeof RowSchema>;

export const ListMetaSchema = z.record(z.string(), z.unknown());
export type ListMeta = z.infer<typeof ListMetaSchema>;

/** Columns with no value read back as null (D1), not as absent. */
type Stored<T> = { [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };
type SystemColumns = { id: string; tenant_id: string; created_at: string; updated_at: string };

/**
 * A row of an entity of the data API: its system columns and its fields as the domain's create schema defines
 * them. A role's hidden fields (a client sees no budget) are absent from what it reads.
 */
export type EntityRow<E extends ExposedEntity> = SystemColumns & Stored<EntityInput<E>>;

/** `GET /api/data/:entity` → `{ data: [...], meta: {...} }` */
export function listResponseSchema<T>(row: z.ZodType<T>) {
  return z.object({ data: z.array(row), meta: ListMetaSchema.optional() });
}

/** `GET|POST|PUT /api/data/:entity[/:id]` → `{ data: {...} }` */
export function itemResponseSchema<T>(row: z.ZodType<T>) {
  return z.object({ data: row });
}
