/**
 * What the project and task forms need only when they are used: the API's zod schemas from
 * @fataplus/domain/schemas (zod weighs ~26 KB gzipped). Loaded on demand (`loadActions()`, see lazy.ts), so a
 * CRM page's first load ships React, the small islands and the kanban. Requests go through lib/http.
 */
import type { CreatedInvitation, Out } from "@fataplus/api-client";
import type { provisionProject as provision } from "@fataplus/domain";
import { createInvitationInput, entities, provisionProjectInput } from "@fataplus/domain/schemas";
import { callApi, dataApi, describeFailure, statusOf } from "../../lib/http";
import { zodFieldErrors } from "../ui/form";

export { describeFailure, statusOf };

export const check = {
  provision: (values: unknown) => zodFieldErrors(provisionProjectInput, values),
  projectUpdate: (values: unknown) => zodFieldErrors(entities.projects.update, values),
  taskCreate: (values: unknown) => zodFieldErrors(entities.tasks.create, values),
  taskUpdate: (values: unknown) => zodFieldErrors(entities.tasks.update, values),
  invite: (values: unknown) => zodFieldErrors(createInvitationInput, values),
};

type Body = Record<string, unknown>;

export const provisionProject = (data: Body) =>
  callApi<Out<typeof provision>>("POST", "/api/app/crm/projects", { body: data });

export const invite = (tenant: string, data: Body) =>
  callApi<CreatedInvitation>("POST", "/api/app/project/invitations", { tenant, body: data });

export const rows = dataApi;
