/**
 * Notifications (docs/decisions/027-notifications.md): the caller's own list, unread count and read marks (in
 * the project the client is bound to, or across the caller's projects), their preferences per kind, the
 * agency's digest interval (agency admins), and an e-mail's unsubscribe link (no session needed).
 */
import type {
  countUnread,
  describeUnsubscribe,
  getNotificationPreferences,
  getNotificationSettings,
  listNotifications,
  unsubscribe,
} from "@fataplus/domain";
import type { NotificationChannel, NotificationKind } from "@fataplus/domain/vocabulary";
import { z } from "zod";
import type { ApiClient } from "./client";
import { anyArray, type Out, shaped } from "./schemas";

export const NOTIFICATION_ROUTES = {
  list: "/api/app/notifications",
  count: "/api/app/notifications/count",
  read: "/api/app/notifications/read",
  readAll: "/api/app/notifications/read-all",
  preferences: "/api/app/account/notifications",
  agency: "/api/app/agency/notifications",
  unsubscribe: "/api/notifications/unsubscribe",
} as const;

export type NotificationList = Out<typeof listNotifications>;
export type NotificationPreferences = Out<typeof getNotificationPreferences>;

const unread = shaped<Out<typeof countUnread>>(z.looseObject({ unread: z.number() }));
const prefs = shaped<NotificationPreferences>(z.looseObject({ preferences: anyArray }));
const unsub = shaped<Out<typeof unsubscribe>>(z.looseObject({ kind: z.string(), channel: z.string() }));

export function notificationsApi(api: ApiClient) {
  const r = api.request;
  return {
    /** `GET /api/app/notifications`: one page, newest first (`before`: the previous page's `next`). */
    list: (
      query: { before?: string; limit?: number; surface?: "portal" | "crm"; locale?: "fr" | "en" } = {},
    ) =>
      r({
        method: "GET",
        path: NOTIFICATION_ROUTES.list,
        query,
        schema: shaped<NotificationList>(z.looseObject({ items: anyArray, unread: z.number() })),
      }),
    count: () => r({ method: "GET", path: NOTIFICATION_ROUTES.count, schema: unread }),
    markRead: (ids: string[]) =>
      r({ method: "POST", path: NOTIFICATION_ROUTES.read, body: { ids }, schema: unread }),
    markAllRead: () => r({ method: "POST", path: NOTIFICATION_ROUTES.readAll, schema: unread }),
    preferences: () => r({ method: "GET", path: NOTIFICATION_ROUTES.preferences, schema: prefs }),
    setPreferences: (preferences: Array<{ kind: NotificationKind; channel: NotificationChannel }>) =>
      r({ method: "PUT", path: NOTIFICATION_ROUTES.preferences, body: { preferences }, schema: prefs }),
    agencySettings: () =>
      r({
        method: "GET",
        path: NOTIFICATION_ROUTES.agency,
        schema: shaped<Out<typeof getNotificationSettings>>(z.looseObject({ digest_minutes: z.number() })),
      }),
    setDigestMinutes: (digest_minutes: number) =>
      r({
        method: "PUT",
        path: NOTIFICATION_ROUTES.agency,
        body: { digest_minutes },
        schema: shaped<Out<typeof getNotificationSettings>>(z.looseObject({ digest_minutes: z.number() })),
      }),
    /** What an unsubscribe link stops (nothing changes yet). */
    describeUnsubscribe: (token: string) =>
      r({
        method: "GET",
        path: NOTIFICATION_ROUTES.unsubscribe,
        query: { token },
        schema: shaped<Out<typeof describeUnsubscribe>>(
          z.looseObject({ kind: z.string(), channel: z.string() }),
        ),
      }),
    unsubscribe: (token: string) =>
      r({ method: "POST", path: NOTIFICATION_ROUTES.unsubscribe, body: { token }, schema: unsub }),
  };
}

export type NotificationsApi = ReturnType<typeof notificationsApi>;
