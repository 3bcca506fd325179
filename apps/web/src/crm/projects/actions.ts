/**
 * What the project and task forms need only when they are used: the API's zod schemas from @fataplus/domain
 * (zod and the domain weigh ~33 KB gzipped). Loaded on demand (`loadActions()`, see lazy.ts), so a CRM page's
 * first load ships React, the small islands and the kanban. Requests go through the kit's zod-free caller.
 */
import { createInvitationInput, entities, provisionProjectInput, type TenantRef } from "@fataplus/domain";
import { zodFieldErrors } from "../ui/form";
import { callApi, dataApi, describeFailure, HttpError } from "../ui/http";

export { describeFailure };

export const check = {
  provision: (values: unknown) => zodFieldErrors(provisionProjectInput, values),
  projectUpdate: (values: unknown) => zodFieldErrors(entities.projects.update, values),
  taskCreate: (values: unknown) => zodFieldErrors(entities.tasks.create, values),
  taskUpdate: (values: unknown) => zodFieldErrors(entities.tasks.update, values),
  invite: (values: unknown) => zodFieldErrors(createInvitationInput, values),
};

type Body = Record<string, unknown>;

export const provisionProject = (data: Body) =>
  callApi<{ tenant: TenantRef; projectId: string }>("POST", "/api/app/crm/projects", { body: data });

export const invite = (tenant: string, data: Body) =>
  callApi<{ id: string; token: string; expiresAt: string; acceptPath: string }>(
    "POST",
    "/api/app/project/invitations",
    { tenant, body: data },
  );

export const rows = dataApi;

/** The HTTP status of a refusal (0 when the request did not get an answer). */
export const statusOf = (error: unknown) => (error instanceof HttpError ? error.status : 0);
