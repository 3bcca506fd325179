/** The bknd Worker's entry. */

// first: every log line, bknd's included, is one JSON object with the request's id, tenant and route
import "./http/console.ts";
import { rollupDueCounts } from "@fataplus/domain";
import { serve } from "bknd/adapter/cloudflare";
import { bkndConfig } from "./bknd/app.ts";
import { parseConfig } from "./config.ts";
import { toResponse } from "./http/errors.ts";
import { withApiHeaders } from "./http/headers.ts";
import { rewriteDeepHealth } from "./http/health.ts";
import { requestLogOf, runLogged } from "./http/observe.ts";
import { RequestScope, runInScope } from "./http/scope.ts";
import { scopedEnv } from "./http/scoped-d1.ts";
import { recordRequest } from "./http/usage.ts";
import { backupAllTenants, NIGHTLY_CRON } from "./jobs/backups.ts";
import { remindInvoices } from "./jobs/invoice-reminders.ts";
import { deliverQueuedMail } from "./jobs/mail.ts";
import { sendNotifications } from "./jobs/notifications.ts";
import { remindAllProjects } from "./jobs/reminders.ts";
import { recordRun } from "./jobs/runs.ts";
import { AUTHORIZE_PATH, isOAuthRequest, serveOAuth, startAuthorization } from "./oauth/provider.ts";
import { handleWebSocket } from "./realtime/ws.ts";

export { PortalHub } from "./realtime/hub.ts";

const bknd = serve<Env>(bkndConfig, () => ({ warm: true }));

/** Routes that are not bknd's `entity`, `schema`, `info`… but the documented `/api/data/:entity` contract. */
const BKND_DATA_SEGMENTS = new Set(["entity", "schema", "schema.json", "info", "sync", "raw", "types"]);

/**
 * The documented CRUD contract — GET|POST /api/data/:entity, GET|PUT|DELETE /api/data/:entity/:id — rewritten to
 * bknd's own routes before bknd routes the request (the gate then sees the canonical form).
 */
export function rewriteDocumentedDataRoute(request: Request): Request {
  const url = new URL(request.url);
  const m = /^\/api\/data\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
  if (!m?.[1] || BKND_DATA_SEGMENTS.has(m[1])) return request;
  const [, entity, id] = m;
  if (id === undefined && !["GET", "POST"].includes(request.method)) return request;
  if (id !== undefined && !["GET", "PUT", "DELETE"].includes(request.method)) return request;
  url.pathname = `/api/data/entity/${entity}${id === undefined ? "" : `/${id}`}`;
  const method = request.method === "PUT" ? "PATCH" : request.method;
  return new Request(url.toString(), {
    method,
    headers: request.headers,
    ...(method === "GET" || method === "DELETE" ? {} : { body: request.body }),
  });
}

/** Bodies up to this size are buffered, so that the request can be served again (src/http/scope.ts). */
const REPLAYABLE_BYTES = 262_144;

/**
 * The request as many times as it must be served: GET and HEAD always (the same object: nothing of it is
 * consumed), others when their body is small (declared by Content-Length and not a multipart upload), from a
 * buffered copy; null when it can be served only once.
 */
async function replayable(request: Request): Promise<(() => Request) | null> {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return () => request;
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  const type = request.headers.get("content-type") ?? "";
  if (!Number.isInteger(length) || length > REPLAYABLE_BYTES || /multipart/i.test(type)) return null;
  const body = await request.arrayBuffer();
  let served = 0;
  // the first serving takes the buffer itself, a second one (rare: src/http/scope.ts) a copy
  return () => new Request(request, { body: served++ === 0 ? body : body.slice(0) });
}

async function answer(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  scope: RequestScope,
): Promise<Response> {
  const response = await runInScope(scope, () =>
    bknd.fetch(rewriteDocumentedDataRoute(rewriteDeepHealth(request)), scopedEnv(env), ctx),
  );
  try {
    // an answer prepared from a hint whose check no statement carried (it read nothing): the check runs now
    await scope.settle();
  } catch (err) {
    if (!scope.failed) return toResponse(err); // unchecked, never answered
  }
  return response;
}

async function serveRequest(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  // Live updates of the portal (src/realtime/): authenticated by a signed ticket, not by bknd.
  if (new URL(request.url).pathname.startsWith("/ws/"))
    return handleWebSocket(request, env, parseConfig(env));
  const again = await replayable(request);
  let scope = new RequestScope(env.DB, { hints: again !== null });
  let response = await answer(again ? again() : request, env, ctx, scope);
  if (scope.failed && again) {
    // The caller's access is not what this isolate last saw: served again, the access read first.
    scope = new RequestScope(env.DB, { hints: false });
    response = await answer(again(), env, ctx, scope);
  }
  for (const task of scope.takeAfter()) ctx.waitUntil(task());
  // A write that queued mail in its batch: send it once the answer is on its way.
  if (scope.mailQueued && response.status < 400) {
    ctx.waitUntil(deliverQueuedMail(env, parseConfig(env)));
  }
  return response;
}

/** MCP by URL (src/oauth/): the authorization server's own routes, and MCP calls with its tokens; the rest as ever. */
function dispatch(request: Request, env: Env, ctx: ExecutionContext, url: URL): Promise<Response> {
  if (url.pathname === AUTHORIZE_PATH && request.method === "GET")
    return startAuthorization(request, env, parseConfig(env).siteUrl);
  if (isOAuthRequest(request)) return serveOAuth(request, env, ctx, serveRequest);
  return serveRequest(request, env, ctx);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const log = requestLogOf(request);
    return runLogged(log, async () => {
      const url = new URL(request.url);
      const response = withApiHeaders(await dispatch(request, env, ctx, url), url);
      recordRequest(env, log, response.status); // the access line and the tenant's usage (src/http/usage.ts)
      return response;
    });
  },
  async scheduled(event: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    // The nightly backup of every tenant to R2, recorded as the "backup" job (src/jobs/backups.ts).
    if (event.cron === NIGHTLY_CRON) {
      ctx.waitUntil(recordRun(env.DB, "backup", () => backupAllTenants({ db: env.DB, bucket: env.BUCKET })));
      return;
    }
    const config = parseConfig(env);
    // Recorded in job_runs (src/jobs/runs.ts): `npm run doctor` tells from it whether the cron runs.
    ctx.waitUntil(
      recordRun(env.DB, "cron", () =>
        Promise.all([
          // Overdue requested files get their hourly reminder run first, then the notification e-mails due
          // (decision 027) and the payment reminders (decision 028, once a day per invoice), so their mail
          // leaves in the same pass.
          remindAllProjects(env, config)
            .then(() => sendNotifications(env, config))
            .then(() => remindInvoices(env, config))
            .then(() => deliverQueuedMail(env, config)),
          // Open tasks due before today move into each project's "overdue" row once a day (counters/index.ts).
          rollupDueCounts({ db: env.DB, today: new Date().toISOString().slice(0, 10) }),
        ]),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
