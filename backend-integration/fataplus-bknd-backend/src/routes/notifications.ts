/**
 * Notifications' routes (docs/decisions/027-notifications.md). Thin: read the request, call the verb.
 *
 *   GET  /api/app/notifications                 the caller's own, newest first (?before=<cursor>&limit=)
 *   GET  /api/app/notifications/count           their unread count (stops at 100)
 *   POST /api/app/notifications/read            { ids } marks some of theirs read
 *   POST /api/app/notifications/read-all        "mark all as read"
 *   GET|PUT /api/app/account/notifications      their preferences per kind
 *   GET|PUT /api/app/agency/notifications       the agency's digest interval (agency admins)
 *   POST /api/app/agency/notifications/run      the cron's notification pass, now (agency admins)
 *   GET|POST /api/notifications/unsubscribe     an e-mail's signed link (public: the token is the permission)
 * A request that names a project (the portal's host, or ?tenant=) reads that project's notifications only, once
 * the gate has let the caller into it; without one (the CRM), every project the caller may still open.
 */
import {
  countUnread,
  describeUnsubscribe,
  getNotificationPreferences,
  getNotificationSettings,
  listNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  type NotificationReader,
  notifyTasksDue,
  sendNotificationEmails,
  setDigestMinutes,
  setNotificationPreferences,
  unsubscribe,
} from "@fataplus/domain";
import { filesSecret, requestNow } from "../config.ts";
import { type AppContext, type AppServer, identityCtx, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { filtersOf, handle, jsonBody, jsonObject } from "../http/handler.ts";

const N = "/api/app/notifications";

/** The reader: in the project the request names (checked like every tenant route), or across the caller's. */
function readerOf(c: AppContext): NotificationReader {
  const named = c.get("access")?.tenantRef;
  const person = identityCtx(c);
  if (!named) return { db: person.db, identity: person.identity, tenant: null, now: person.now };
  const ctx = tenantCtx(c);
  return { db: ctx.db, identity: person.identity, tenant: ctx.tenant, now: ctx.now };
}

export function registerNotificationRoutes(server: AppServer): void {
  server.get(
    N,
    handle((c) => listNotifications({ ctx: readerOf(c), input: filtersOf(c) })),
  );
  server.get(
    `${N}/count`,
    handle((c) => countUnread({ ctx: readerOf(c) })),
  );
  server.post(
    `${N}/read`,
    handle(async (c) => markNotificationsRead({ ctx: readerOf(c), input: await jsonBody(c) })),
  );
  server.post(
    `${N}/read-all`,
    handle((c) => markAllNotificationsRead({ ctx: readerOf(c) })),
  );
  server.get(
    "/api/app/account/notifications",
    handle((c) => getNotificationPreferences({ ctx: identityCtx(c) })),
  );
  server.put(
    "/api/app/account/notifications",
    handle(async (c) => setNotificationPreferences({ ctx: identityCtx(c), input: await jsonObject(c) })),
  );
  server.get(
    "/api/app/agency/notifications",
    handle((c) => getNotificationSettings({ ctx: identityCtx(c) })),
  );
  server.put(
    "/api/app/agency/notifications",
    handle(async (c) => setDigestMinutes({ ctx: identityCtx(c), input: await jsonObject(c) })),
  );
  server.post(
    "/api/app/agency/notifications/run",
    handle(async (c) => {
      const ctx = identityCtx(c);
      // admins only (the settings' check), then the cron's pass at the request's clock (moved only outside production)
      await getNotificationSettings({ ctx });
      const config = c.get("config");
      const now = requestNow(config, c.req.raw);
      const due = await notifyTasksDue({ db: ctx.db, now });
      const report = await sendNotificationEmails({
        db: ctx.db,
        now,
        siteUrl: config.siteUrl,
        secret: filesSecret(config),
      });
      // the mail it queued leaves after the answer, like any write's (src/index.ts sees the outbox INSERT)
      return { ...report, tasks_due: due.notified };
    }),
  );
}

/** The unsubscribe link of a notification e-mail: GET says what it stops, POST stops it (no sign-in). */
export function registerUnsubscribeRoutes(server: AppServer): void {
  const run = (c: AppContext, token: unknown, apply: boolean) => {
    const config = c.get("config");
    const args = {
      db: c.env.DB,
      secret: filesSecret(config),
      input: { token },
      now: requestNow(config, c.req.raw),
    };
    return apply ? unsubscribe(args) : describeUnsubscribe(args);
  };
  server.get("/api/notifications/unsubscribe", async (c) => {
    try {
      return c.json(await run(c, new URL(c.req.url).searchParams.get("token") ?? "", false));
    } catch (err) {
      return toResponse(err);
    }
  });
  server.post("/api/notifications/unsubscribe", async (c) => {
    try {
      const body = await jsonObject(c);
      return c.json(await run(c, body.token, true));
    } catch (err) {
      return toResponse(err);
    }
  });
}
