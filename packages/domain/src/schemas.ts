/**
 * `@fataplus/domain/schemas`: the zod schemas of what the site sends, the same ones the verbs parse with, so a
 * form refuses exactly what the API would refuse. zod weighs ~26 KB gzipped: islands import this lazily
 * (`import("@fataplus/domain/schemas")` on a form's first focus or submit), never with the page.
 */

export { type ProvisionProjectInput, provisionProjectInput } from "./crm/provision.ts";
export { saveViewInput } from "./crm/views.ts";
export { type Intake, type IntakeInput, intakeInput } from "./intake/schema.ts";
export { createInvitationInput, passwordSchema } from "./invitations/index.ts";
export {
  type ClientInput,
  clientInput,
  entities,
  type LeadInput,
  leadInput,
  type ProjectInput,
  projectInput,
  type TaskInput,
  taskInput,
} from "./records/entities.ts";
export { createTenantInput, subdomainSchema } from "./tenants/index.ts";
export { type CreateTokenInput, createTokenInput } from "./tokens/index.ts";
