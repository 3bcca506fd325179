/**
 * The bell's count in the browser (components/notifications/Bell.astro): re-read from the API when a live
 * event says something may have changed (`fataplus:notifications`, sent by the portal's socket), when the tab
 * comes back, and every 30 seconds while it is visible. The API call names no project: on a portal the site
 * binds it to the host's, in the CRM it counts across the caller's projects.
 */
import { callApi } from "./http";

export const NOTIFICATIONS_EVENT = "fataplus:notifications";

export function startBell(): void {
  const bells = [...document.querySelectorAll<HTMLElement>("[data-bell]")];
  if (bells.length === 0) return;
  let busy = false;
  const refresh = async () => {
    if (busy) return;
    busy = true;
    try {
      const { unread } = await callApi<{ unread: number }>("GET", "/api/app/notifications/count");
      const shown = unread >= 100 ? "99+" : String(unread);
      for (const bell of bells) {
        const badge = bell.querySelector<HTMLElement>("[data-bell-count]");
        if (!badge) continue;
        badge.textContent = shown;
        badge.dataset.count = String(unread);
        badge.hidden = unread === 0;
        badge.setAttribute("aria-label", (bell.dataset.unreadLabel ?? "{n}").replace("{n}", shown));
        bell.dataset.ready = "true";
      }
    } catch {
      // signed out or offline: the count stays as it was
    } finally {
      busy = false;
    }
  };
  window.addEventListener(NOTIFICATIONS_EVENT, () => void refresh());
  void refresh();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void refresh();
  });
  setInterval(() => {
    if (document.visibilityState === "visible") void refresh();
  }, 30_000);
}
