import { isApiError, notificationsApi } from "@fataplus/api-client";
import {
  type NotificationChannel,
  type NotificationKind,
  notificationChannels,
  notificationKinds,
} from "@fataplus/domain/vocabulary";
import type { APIRoute } from "astro";
import { accountPath } from "../../i18n/account";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/**
 * The notification preferences' forms (components/account/NotificationsSection.astro): one's choices per kind,
 * and (agency admins) the agency's digest interval. The API decides; this only relays.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  const form = await request.formData();
  const lang = form.get("lang") === "en" ? "en" : "fr";
  const api = notificationsApi(serverApiClient(request, locals.tenant));
  const back = (outcome: string) =>
    new Response(null, {
      status: 303,
      headers: {
        location: `${accountPath(lang)}?notifications=${outcome}#notif-prefs-title`,
        "cache-control": "no-store",
      },
    });
  try {
    if (form.get("action") === "digest") {
      await api.setDigestMinutes(Number(form.get("digest_minutes")));
      return back("digest");
    }
    const choices: Array<{ kind: NotificationKind; channel: NotificationChannel }> = [];
    for (const kind of notificationKinds) {
      const value = form.get(`kind.${kind}`);
      const channel = notificationChannels.find((c) => c === value);
      if (channel) choices.push({ kind, channel });
    }
    if (choices.length === 0) return back("failed");
    await api.setPreferences(choices);
    return back("saved");
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 401) return new Response(null, { status: 303, headers: { location: "/login" } });
    return back("failed");
  }
};
