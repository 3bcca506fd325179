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
 *   GET  /api/files/:token                          a signed link (public: the token is the permission)
 * Every portal verb refuses the bootcamp's tenant, which has no portal (packages/domain/src/portal/tenant.ts).
 */
import {
  createFileRequest,
  DomainError,
  decideApproval,
  deleteDocument,
  findTenant,
  getDocument,
  getPortalCounters,
  getPortalHome,
  issueDownloadLink,
  issueLiveTicket,
  listApprovals,
  listDocuments,
  listFileRequests,
  listMessages,
  listPortalActivity,
  markMessagesRead,
  messagePosted,
  notificationsChanged,
  postMessage,
  redeemDownload,
  remindOverdue,
  requestApproval,
  reviewFileRequest,
  updateDocument,
  uploadDocument,
} from "@fataplus/domain";
import { filesSecret, requestNow } from "../config.ts";
import { type AppContext, type AppServer, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { filtersOf, handle, jsonBody, param } from "../http/handler.ts";
import { readMultipart } from "../http/multipart.ts";
import { tenantRefOf } from "../http/request.ts";
import { broadcast } from "../realtime/hub.ts";

const P = "/api/app/portal";

/** A write that may have notified people: the project's open views re-read their unread count. */
async function tellViews(c: AppContext, result: unknown): Promise<unknown> {
  const tenantId = c.get("access")?.access.tenant?.id;
  if (tenantId) await broadcast(c.env, tenantId, notificationsChanged);
  return result;
}

/** Reads a multipart upload without trusting its declared type or name for anything but the name. */
async function readUpload(c: AppContext) {
  const max = c.get("config").files.uploadMaxBytes;
  const tooLarge = `The file is larger than ${Math.floor(max / 1024 / 1024)} MB.`;
  const form = await readMultipart(c, {
    maxBytes: max,
    tooLarge,
    notMultipart: "Send the file as multipart/form-data with a `file` field.",
    unreadable: "The upload could not be read: send multipart/form-data.",
  });
  const file = form.get("file");
  if (!file || typeof file === "string")
    throw new DomainError("VALIDATION", "Attach a file in the `file` field.", {
      details: [{ path: "file", message: "required", key: "required" }],
    });
  if (file.size > max) throw new DomainError("PAYLOAD_TOO_LARGE", tooLarge);
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
    handle(async (c) => listDocuments({ ctx: tenantCtx(c), input: filtersOf(c) })),
  );
  server.post(
    `${P}/documents`,
    handle(async (c) => {
      const ctx = tenantCtx(c);
      const up = await readUpload(c);
      return tellViews(
        c,
        await uploadDocument({
          ctx,
          bucket: c.env.BUCKET,
          input: { ...up.meta, file_name: up.file_name, bytes: up.bytes },
          maxBytes: up.max,
        }),
      );
    }, 201),
  );
  server.get(
    `${P}/documents/:id`,
    handle(async (c) => getDocument({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.put(
    `${P}/documents/:id`,
    handle(async (c) =>
      updateDocument({ ctx: tenantCtx(c), input: { id: param(c, "id"), changes: await jsonBody(c) } }),
    ),
  );
  server.delete(
    `${P}/documents/:id`,
    handle(async (c) =>
      deleteDocument({ ctx: tenantCtx(c), bucket: c.env.BUCKET, input: { id: param(c, "id") } }),
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
    handle(
      async (c) => tellViews(c, await createFileRequest({ ctx: tenantCtx(c), input: await jsonBody(c) })),
      201,
    ),
  );
  server.post(
    `${P}/requests/remind`,
    handle(async (c) => remindOverdue({ ctx: tenantCtx(c), siteUrl: c.get("config").siteUrl })),
  );
  server.post(
    `${P}/requests/:id/review`,
    handle(async (c) =>
      reviewFileRequest({ ctx: tenantCtx(c), input: { id: param(c, "id"), review: await jsonBody(c) } }),
    ),
  );

  server.get(
    `${P}/approvals`,
    handle(async (c) => listApprovals({ ctx: tenantCtx(c) })),
  );
  server.post(
    `${P}/approvals`,
    handle(
      async (c) => tellViews(c, await requestApproval({ ctx: tenantCtx(c), input: await jsonBody(c) })),
      201,
    ),
  );
  server.post(
    `${P}/approvals/:id/decision`,
    handle(async (c) =>
      tellViews(
        c,
        await decideApproval({
          ctx: tenantCtx(c),
          input: { id: param(c, "id"), decision: await jsonBody(c) },
        }),
      ),
    ),
  );

  server.get(
    `${P}/messages`,
    handle(async (c) => listMessages({ ctx: tenantCtx(c), input: filtersOf(c) })),
  );
  server.post(
    `${P}/messages`,
    handle(async (c) => {
      const ctx = tenantCtx(c);
      const message = await postMessage({ ctx, input: await jsonBody(c) });
      await broadcast(c.env, ctx.tenant.id, messagePosted(message));
      return message;
    }, 201),
  );
  server.post(
    `${P}/messages/read`,
    handle(async (c) => markMessagesRead({ ctx: tenantCtx(c), input: await jsonBody(c) })),
  );
  server.post(
    `${P}/messages/ticket`,
    handle(async (c) => issueLiveTicket({ ctx: tenantCtx(c), secret: filesSecret(c.get("config")) })),
  );
}

/**
 * GET /api/files/:token: a signed download link (packages/domain/src/portal/signed.ts). Public in the gate: the
 * token is the permission, valid 15 minutes, for one version in one tenant; the request's tenant (the site's
 * x-fataplus-tenant header, or ?tenant=) must be the token's. Outside production, the test clock header may
 * move "now" forward (src/config.ts).
 */
export function registerFileRoutes(server: AppServer): void {
  server.get("/api/files/:token", async (c) => {
    try {
      const ref = tenantRefOf(c);
      if (!ref) throw new DomainError("FORBIDDEN", "This link is not valid.");
      const tenant = await findTenant({ db: c.env.DB, ref });
      return await redeemDownload({
        db: c.env.DB,
        bucket: c.env.BUCKET,
        secret: filesSecret(c.get("config")),
        token: param(c, "token"),
        tenantId: tenant?.id ?? null,
        now: requestNow(c.get("config"), c.req.raw),
      });
    } catch (err) {
      return toResponse(err);
    }
  });
}
