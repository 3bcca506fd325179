/**
 * The client portal's routes, used by the portal (client and agency) and by the CRM's project pages. Each
 * handler resolves the tenant and role from the gate (tenantCtx), calls one domain verb and maps errors once.
 *
 *   GET  /api/app/portal/home                       project, status, phases (money hidden from clients)
 *   GET  /api/app/portal/activity                   recent documents, requests and approvals
 *   GET  /api/app/portal/counters                   storage, downloads, messages, active users (agency)
 *   GET  /api/app/portal/documents                  list (clients: client-facing only)
 *   POST /api/app/portal/documents                  multipart upload: file, title?, visibility?, document_id?, request_id?
 *   GET  /api/app/portal/documents/:id              one document and its versions
 *   PUT  /api/app/portal/documents/:id              title / visibility (agency)
 *   DELETE /api/app/portal/documents/:id            the document, its versions and files (agency)
 *   POST /api/app/portal/downloads                  { version_id } → a signed link, 15 minutes
 *   GET/POST /api/app/portal/requests               requested files (create: agency)
 *   POST /api/app/portal/requests/:id/review        { decision: accept | changes, comment }
 *   POST /api/app/portal/requests/remind            overdue reminders to the e-mail outbox (agency)
 *   GET/POST /api/app/portal/approvals              approvals (ask: agency)
 *   POST /api/app/portal/approvals/:id/decision     { decision: approve | changes, comment } (client)
 *   GET/POST /api/app/portal/messages               the thread (?after=seq to catch up); post → live broadcast
 *   POST /api/app/portal/messages/read              { seq } read marker
 *   POST /api/app/portal/messages/ticket            a 60 s ticket for the WebSocket at /ws/messages
 * Signed links are served by GET /api/files/:token (../files.ts), which needs no session.
 */
import {
  BOOTCAMP_SUBDOMAIN,
  type Ctx,
  createFileRequest,
  DomainError,
  decideApproval,
  deleteDocument,
  getDocument,
  getPortalCounters,
  getPortalHome,
  issueDownloadLink,
  listApprovals,
  listDocuments,
  listFileRequests,
  listMessages,
  listPortalActivity,
  markMessagesRead,
  postMessage,
  requestApproval,
  reviewFileRequest,
  signToken,
  updateDocument,
  uploadDocument,
  WS_TICKET_TTL_SECONDS,
} from "@fataplus/domain";
import { filesSecret } from "../config.ts";
import { type AppContext, type AppServer, tenantCtx as appTenantCtx } from "../http/context.ts";
import { handle, jsonBody, queryOf } from "../http/handler.ts";
import { remindOverdue } from "../jobs/reminders.ts";
import { broadcast } from "../realtime/hub.ts";

const P = "/api/app/portal";

/**
 * The project's context for a portal route. The bootcamp's tenant has no project portal: its learners are
 * `client` members, and a portal there would give them one message thread, activity and document list shared
 * with every other learner (decision 010: learners see only their own work).
 */
function tenantCtx(c: AppContext): Ctx {
  const ctx = appTenantCtx(c);
  if (ctx.tenant.subdomain === BOOTCAMP_SUBDOMAIN)
    throw new DomainError("NOT_FOUND", "The bootcamp has no project portal.");
  return ctx;
}

/** The query string without `tenant` (which names the project for the gate, not a filter). */
function filters(c: AppContext): Record<string, string> {
  const { tenant: _tenant, ...rest } = queryOf(c);
  return rest;
}

/** Reads a multipart upload without trusting its declared type or name for anything but the name. */
async function readUpload(c: AppContext) {
  const max = c.get("config").files.uploadMaxBytes;
  const declared = Number(c.req.header("content-length") ?? "0");
  // Multipart overhead is small; anything far above the cap is refused before it is read.
  if (declared > max + 64 * 1024)
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `The file is larger than ${Math.floor(max / 1024 / 1024)} MB.`,
    );
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data"))
    throw new DomainError("VALIDATION", "Send the file as multipart/form-data with a `file` field.");
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    throw new DomainError("VALIDATION", "The upload could not be read: send multipart/form-data.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string")
    throw new DomainError("VALIDATION", "Attach a file in the `file` field.", {
      details: [{ path: "file", message: "required" }],
    });
  if (file.size > max)
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `The file is larger than ${Math.floor(max / 1024 / 1024)} MB.`,
    );
  const meta: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (k !== "file" && typeof v === "string" && v !== "") meta[k] = v;
  return { meta, file_name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), max };
}

export function registerPortalRoutes(server: AppServer): void {
  server.get(
    `${P}/home`,
    handle(async (c) => getPortalHome({ ctx: tenantCtx(c) })),
  );
  server.get(
    `${P}/activity`,
    handle(async (c) => ({ rows: await listPortalActivity({ ctx: tenantCtx(c), limit: 20 }) })),
  );
  server.get(
    `${P}/counters`,
    handle(async (c) => getPortalCounters({ ctx: tenantCtx(c) })),
  );

  server.get(
    `${P}/documents`,
    handle(async (c) => listDocuments({ ctx: tenantCtx(c), input: filters(c) })),
  );
  server.post(
    `${P}/documents`,
    handle(async (c) => {
      const ctx = tenantCtx(c);
      const up = await readUpload(c);
      return uploadDocument({
        ctx,
        bucket: c.env.BUCKET,
        input: { ...up.meta, file_name: up.file_name, bytes: up.bytes },
        maxBytes: up.max,
      });
    }, 201),
  );
  server.get(
    `${P}/documents/:id`,
    handle(async (c) => getDocument({ ctx: tenantCtx(c), input: { id: c.req.param("id") } })),
  );
  server.put(
    `${P}/documents/:id`,
    handle(async (c) => {
      return updateDocument({
        ctx: tenantCtx(c),
        input: { id: c.req.param("id") ?? "", changes: await jsonBody(c) },
      });
    }),
  );
  server.delete(
    `${P}/documents/:id`,
    handle(async (c) =>
      deleteDocument({ ctx: tenantCtx(c), bucket: c.env.BUCKET, input: { id: c.req.param("id") } }),
    ),
  );
  server.post(
    `${P}/downloads`,
    handle(async (c) =>
      issueDownloadLink({
        ctx: tenantCtx(c),
        secret: filesSecret(c.get("config")),
        input: await jsonBody(c),
      }),
    ),
  );

  server.get(
    `${P}/requests`,
    handle(async (c) => listFileRequests({ ctx: tenantCtx(c) })),
  );
  server.post(
    `${P}/requests`,
    handle(async (c) => createFileRequest({ ctx: tenantCtx(c), input: await jsonBody(c) }), 201),
  );
  server.post(
    `${P}/requests/remind`,
    handle(async (c) => remindOverdue(tenantCtx(c), c.get("config"))),
  );
  server.post(
    `${P}/requests/:id/review`,
    handle(async (c) =>
      reviewFileRequest({
        ctx: tenantCtx(c),
        input: { id: c.req.param("id") ?? "", review: await jsonBody(c) },
      }),
    ),
  );

  server.get(
    `${P}/approvals`,
    handle(async (c) => listApprovals({ ctx: tenantCtx(c) })),
  );
  server.post(
    `${P}/approvals`,
    handle(async (c) => requestApproval({ ctx: tenantCtx(c), input: await jsonBody(c) }), 201),
  );
  server.post(
    `${P}/approvals/:id/decision`,
    handle(async (c) =>
      decideApproval({
        ctx: tenantCtx(c),
        input: { id: c.req.param("id") ?? "", decision: await jsonBody(c) },
      }),
    ),
  );

  server.get(
    `${P}/messages`,
    handle(async (c) => listMessages({ ctx: tenantCtx(c), input: filters(c) })),
  );
  server.post(
    `${P}/messages`,
    handle(async (c) => {
      const ctx = tenantCtx(c);
      const message = await postMessage({ ctx, input: await jsonBody(c) });
      await broadcast(c.env, ctx.tenant.id, { type: "message", message });
      return message;
    }, 201),
  );
  server.post(
    `${P}/messages/read`,
    handle(async (c) => markMessagesRead({ ctx: tenantCtx(c), input: await jsonBody(c) })),
  );
  server.post(
    `${P}/messages/ticket`,
    handle(async (c) => {
      const ctx = tenantCtx(c);
      if (ctx.actor.type !== "user") throw new DomainError("FORBIDDEN", "Only people open live views.");
      const exp = Math.floor(Date.now() / 1000) + WS_TICKET_TTL_SECONDS;
      const ticket = await signToken(filesSecret(c.get("config")), {
        kind: "ws",
        tenantId: ctx.tenant.id,
        userId: ctx.actor.userId,
        exp,
      });
      return {
        url: `/ws/messages?ticket=${encodeURIComponent(ticket)}`,
        expires_at: new Date(exp * 1000).toISOString(),
      };
    }),
  );
}
