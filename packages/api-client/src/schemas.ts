import { z } from "zod";

/** `GET /api/health` */
export const HealthSchema = z.object({
  ok: z.boolean(),
  service: z.string(),
});
export type Health = z.infer<typeof HealthSchema>;

/** A client project (tenant), as exposed publicly on its subdomain. */
export const TenantSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  subdomain: z.string().min(1),
});
export type Tenant = z.infer<typeof TenantSchema>;

/** `GET /api/public/tenant` */
export const CurrentTenantResponseSchema = z.object({ tenant: TenantSchema });

/** The signed-in user. Extra fields from the backend are kept. */
export const AuthUserSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  email: z.string(),
  name: z.string().nullish(),
  role: z.string().nullish(),
  locale: z.string().nullish(),
});
export type AuthUser = z.infer<typeof AuthUserSchema>;

/** `POST /api/auth/login`: the session cookie comes in Set-Cookie; the token is optional. */
export const LoginResponseSchema = z.looseObject({
  user: AuthUserSchema,
  token: z.string().optional(),
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** A tenant the signed-in user can open, with their role in it. */
export const AccessibleTenantSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  subdomain: z.string().min(1),
  kind: z.string().nullish(),
  role: z.string().nullish(),
});
export type AccessibleTenant = z.infer<typeof AccessibleTenantSchema>;

/** `GET /api/auth/me` (401 UNAUTHENTICATED when nobody is signed in). */
export const MeResponseSchema = z.looseObject({
  user: AuthUserSchema,
  tenants: z.array(AccessibleTenantSchema).optional(),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** A data row when the caller gives no schema of its own. */
export const RowSchema = z.record(z.string(), z.unknown());
export type Row = z.infer<typeof RowSchema>;

export const ListMetaSchema = z.record(z.string(), z.unknown());
export type ListMeta = z.infer<typeof ListMetaSchema>;

/** `GET /api/data/:entity` → `{ data: [...], meta: {...} }` */
export function listResponseSchema<T>(row: z.ZodType<T>) {
  return z.object({ data: z.array(row), meta: ListMetaSchema.optional() });
}

/** `GET|POST|PUT /api/data/:entity[/:id]` → `{ data: {...} }` */
export function itemResponseSchema<T>(row: z.ZodType<T>) {
  return z.object({ data: row });
}
