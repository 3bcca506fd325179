export { type BootcampApi, bootcampApi, type LearnerLesson, type ReviewSubmission } from "./bootcamp";
export {
  API_ROUTES,
  type ApiClient,
  type ApiClientOptions,
  type Credentials,
  createApiClient,
  type FetchLike,
  type ListQuery,
  type ListResult,
  type SortOrder,
} from "./client";
export { type CrmApi, crmApi, type ListParams, type ProjectOverview } from "./crm";
export { ApiError, type ApiErrorCode, type ErrorEnvelope, ErrorEnvelopeSchema, isApiError } from "./errors";
export { portalApi } from "./portal";
export {
  type AccessibleTenant,
  AccessibleTenantSchema,
  type AuthUser,
  AuthUserSchema,
  CurrentTenantResponseSchema,
  type Health,
  HealthSchema,
  type ListMeta,
  type LoginResponse,
  LoginResponseSchema,
  type MeResponse,
  MeResponseSchema,
  type Row,
  RowSchema,
  type Tenant,
  TenantSchema,
} from "./schemas";
export {
  type AccessToken,
  AccessTokenSchema,
  type CreateAccessTokenInput,
  type CreatedAccessToken,
  CreatedAccessTokenSchema,
  TOKEN_ROUTES,
  tokensApi,
} from "./tokens";
