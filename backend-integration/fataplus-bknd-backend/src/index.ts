/** The bknd Worker's entry. */

import { rollupDueCounts } from "@fataplus/domain";
import { serve } from "bknd/adapter/cloudflare";
import { bkndConfig } from "./bknd/app.ts";
import { parseConfig } from "./config.ts";
import { deliverQueuedMail } from "./jobs/mail.ts";
import { remindAllProjects } from "./jobs/reminders.ts";
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

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    // Live updates of the portal (src/realtime/): authenticated by a signed ticket, not by bknd.
    if (new URL(request.url).pathname.startsWith("/ws/"))
      return handleWebSocket(request, env, parseConfig(env));
    const response = await bknd.fetch(rewriteDocumentedDataRoute(request), env, ctx);
    // A successful write may have queued mail in its batch: send it once the answer is on its way.
    if (request.method !== "GET" && request.method !== "HEAD" && response.status < 400) {
      ctx.waitUntil(deliverQueuedMail(env, parseConfig(env)));
    }
    return response;
  },
  async scheduled(_event: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    // Overdue requested files get their hourly reminder run first, so its mail leaves in the same pass.
    const config = parseConfig(env);
    ctx.waitUntil(remindAllProjects(env, config).then(() => deliverQueuedMail(env, config)));
    // Open tasks due before today move into each project's "overdue" row once a day (counters/index.ts).
    ctx.waitUntil(rollupDueCounts({ db: env.DB, today: new Date().toISOString().slice(0, 10) }));
  },
} satisfies ExportedHandler<Env>;
