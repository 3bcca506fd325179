import { isApiError, notificationsApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/** Where "mark all as read" may send the browser back to: one of the notification lists, nothing else. */
const BACK = new Set(["/crm/notifications", "/notifications", "/en/notifications"]);

/**
 * "Mark all as read" (components/notifications/NotificationList.astro): on a portal, that project's; in the
 * CRM, all of the caller's. The API decides; this only relays.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  const form = await request.formData();
  const next = String(form.get("next") ?? "");
  const back = BACK.has(next) ? next : "/notifications";
  try {
    await notificationsApi(serverApiClient(request, locals.tenant)).markAllRead();
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 401) return new Response(null, { status: 303, headers: { location: "/login" } });
  }
  return new Response(null, {
    status: 303,
    headers: { location: `${back}?marked=1`, "cache-control": "no-store" },
  });
};
