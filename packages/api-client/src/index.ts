/**
 * `@fataplus/api-client`: the site's typed client of the API, for server code (zod checks every answer's
 * outer shape; types come from the domain). Islands use `@fataplus/api-client/http` instead: the same
 * requests and errors, without zod.
 */
export { ACCOUNT_ROUTES, accountApi } from "./account";
export { activityApi } from "./activity";
export { authApi } from "./auth";
export { type BootcampApi, bootcampApi, type LearnerLesson, type ReviewSubmission } from "./bootcamp";
export {
  API_ROUTES,
  type ApiClient,
  type ApiClientOptions,
  type Credentials,
  createApiClient,
  type ListQuery,
  type ListResult,
  type RequestSpec,
  type SortOrder,
} from "./client";
export {
  type CreatedInvitation,
  type CrmApi,
  crmApi,
  type ListParams,
  type OutboxMessage,
  type OutboxPage,
  type ProjectOverview,
} from "./crm";
export {
  ApiError,
  type ApiErrorCode,
  type ErrorEnvelope,
  type FieldErrors,
  fieldErrorsOf,
  isApiError,
  type Problem,
  problemsOf,
} from "./errors";
export { callApi, type FetchLike, type Method, type QueryValues, readBody } from "./http";
export { type IntakeApi, type IntakeLead, intakeApi } from "./intake";
export { type MfaChallengeAnswer, mfaApi, type PasswordStep, type SecondFactorInput } from "./mfa";
export { type MoneyApi, moneyApi } from "./money";
export {
  NOTIFICATION_ROUTES,
  type NotificationList,
  type NotificationPreferences,
  type NotificationsApi,
  notificationsApi,
} from "./notifications";
export {
  type ConsentAnswer,
  type ConsentRequest,
  ConsentRequestSchema,
  OAUTH_ROUTES,
  oauthApi,
} from "./oauth";
export { PASSWORD_ROUTES, passwordsApi } from "./passwords";
export { type PortalApi, portalApi } from "./portal";
export {
  type AccessibleTenant,
  type AuthUser,
  type EntityRow,
  ErrorEnvelopeSchema,
  type Health,
  type ListMeta,
  type LoginResponse,
  type MeResponse,
  type Out,
  type Row,
  shaped,
  type Tenant,
} from "./schemas";
export { type SsoLinks, type SsoProviderButton, ssoApi } from "./sso";
export { type AgencyUsers, type ResentInvitation, TEAM_ROUTES, type TeamApi, teamApi } from "./team";
export { TIME_ZONE_ROUTES, timeZonesApi } from "./time-zones";
export {
  type AccessToken,
  AccessTokenSchema,
  type CreateAccessTokenInput,
  type CreatedAccessToken,
  CreatedAccessTokenSchema,
  TOKEN_ROUTES,
  tokensApi,
} from "./tokens";
export { type JobRun, type UsageSummary, usageApi, usageCsvPath } from "./usage";
