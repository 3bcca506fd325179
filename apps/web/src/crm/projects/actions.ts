/**
 * What the project and task forms need only when they are used: the API's zod schemas (@fataplus/domain)
 * and the typed API client. Loaded on demand (`loadActions()`, see lazy.ts) so that a CRM page's first load
 * ships React, the tables' small islands and the kanban, and not zod, the client and the domain (~36 KB).
 */
import { crmApi } from "@fataplus/api-client";
import {
  createInvitationInput,
  entities,
  provisionProjectInput,
  type TenantRole,
  taskInput,
} from "@fataplus/domain";
import { browserCrm, describeError, projectApi } from "../ui/api";
import { zodFieldErrors } from "../ui/form";

export { describeError };

export const check = {
  provision: (values: unknown) => zodFieldErrors(provisionProjectInput, values),
  projectUpdate: (values: unknown) => zodFieldErrors(entities.projects.update, values),
  taskCreate: (values: unknown) => zodFieldErrors(taskInput, values),
  taskUpdate: (values: unknown) => zodFieldErrors(entities.tasks.update, values),
  invite: (values: unknown) => zodFieldErrors(createInvitationInput, values),
};

type Body = Record<string, unknown>;

export const provisionProject = (data: Body) => browserCrm.provisionProject(data);

export const invite = (tenant: string, data: Body) =>
  crmApi(projectApi(tenant)).invite(data as { email: string; role: TenantRole });

export const createRow = (tenant: string, entity: "tasks", data: Body) =>
  projectApi(tenant).create(entity, data);

export const updateRow = (tenant: string, entity: "tasks" | "projects", id: string, data: Body) =>
  projectApi(tenant).update(entity, id, data);

export const removeRow = (tenant: string, entity: "tasks", id: string) =>
  projectApi(tenant).remove(entity, id);

/** The HTTP status of an API error (0 when there was none). */
export const statusOf = (error: unknown) =>
  typeof error === "object" && error && "status" in error ? Number((error as { status: unknown }).status) : 0;
