/**
 * The portal workspace in the browser (components/portal/Workspace.astro), without a framework so the portal
 * home stays within the public pages' JavaScript budget:
 *  - forms marked `data-json` send their fields as JSON to `data-endpoint` (confirming `data-confirm` first),
 *    forms marked `data-upload` send a file with a progress line, then the page reloads its server-drawn lists;
 *  - `data-download` buttons ask for a signed link (15 minutes) and open it;
 *  - the message thread listens on /ws/messages (ticket first), reconnects with backoff and, before each
 *    reconnection, catches up with `after=<last seq seen>`, so no message is lost or shown twice.
 * Calls go through lib/http (the islands' one caller); answers are typed from the domain.
 */
import type { Message } from "@fataplus/domain";
import { DEFAULT_TIME_ZONE, formatInZone } from "@fataplus/domain/vocabulary";
import { callApi, describeFailure, type Method, refusalOf } from "./http";

type Msg = Message;

export function startPortal(): void {
  const root = document.querySelector<HTMLElement>("[data-portal]");
  if (!root) return;
  const tenant = root.dataset.tenant ?? "";
  const side = root.dataset.side ?? "";
  const withTenant = (path: string) =>
    tenant ? `${path}${path.includes("?") ? "&" : "?"}tenant=${encodeURIComponent(tenant)}` : path;

  async function api<T>(
    method: Method,
    path: string,
    opts: { body?: unknown; query?: Record<string, number> } = {},
  ): Promise<T> {
    try {
      return await callApi<T>(method, path, { tenant: tenant || undefined, ...opts });
    } catch (err) {
      throw new Error(describeFailure(err, root?.dataset.err || "Error").message);
    }
  }

  const showError = (form: HTMLElement, message: string) => {
    const slot = form.querySelector<HTMLElement>("[data-error]");
    if (slot) slot.textContent = message;
    else alert(message);
  };

  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-json]")) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
      const body: Record<string, string> = {};
      for (const [k, v] of new FormData(form))
        if (typeof v === "string" && v.trim() !== "") body[k] = v.trim();
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = true;
      try {
        const method =
          form.dataset.method === "DELETE" || form.dataset.method === "PUT" ? form.dataset.method : "POST";
        await api(method, form.dataset.endpoint ?? "", method === "DELETE" ? {} : { body });
        location.reload();
      } catch (err) {
        showError(form, err instanceof Error ? err.message : String(err));
        if (button) button.disabled = false;
      }
    });
  }

  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-upload]")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const progress = form.querySelector<HTMLElement>("[data-progress]");
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      showError(form, "");
      if (button) button.disabled = true;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", withTenant("/api/app/portal/documents"));
      xhr.setRequestHeader("accept", "application/json");
      xhr.upload.addEventListener("progress", (p) => {
        if (progress && p.lengthComputable)
          progress.textContent = (root.dataset.uploading ?? "{pct}").replace(
            "{pct}",
            String(Math.round((p.loaded / p.total) * 100)),
          );
      });
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) return location.reload();
        showError(
          form,
          describeFailure(refusalOf(xhr.status, xhr.responseText), root.dataset.err ?? "Error").message,
        );
        if (progress) progress.textContent = "";
        if (button) button.disabled = false;
      });
      xhr.addEventListener("error", () => {
        showError(form, root.dataset.err ?? "Error");
        if (button) button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  root.addEventListener("click", async (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-download]");
    if (!button) return;
    button.disabled = true;
    try {
      const { url } = await api<{ url: string }>("POST", "/api/app/portal/downloads", {
        body: { version_id: button.dataset.download },
      });
      root.dataset.lastLink = withTenant(url);
      location.assign(withTenant(url));
    } catch (err) {
      alert(err instanceof Error ? err.message : String(err));
    } finally {
      button.disabled = false;
    }
  });

  const thread = root.querySelector<HTMLOListElement>("[data-thread]");
  if (thread) startThread(thread);

  function startThread(list: HTMLOListElement): void {
    let last = Number(list.dataset.lastSeq || "0");
    const status = root?.querySelector<HTMLElement>("[data-live-status]");
    const unread = root?.querySelector<HTMLElement>("[data-unread]");
    // in the reader's zone, with its offset, as the server draws the thread (decision 030)
    const fmt = {
      format: (d: Date) =>
        formatInZone(d, {
          locale: root?.dataset.lang === "en" ? "en" : "fr",
          timeZone: root?.dataset.timeZone ?? DEFAULT_TIME_ZONE,
        }),
    };
    const setStatus = (live: boolean) => {
      if (!status) return;
      status.textContent = (live ? root?.dataset.live : root?.dataset.offline) ?? "";
      status.dataset.state = live ? "live" : "offline";
    };
    const append = (m: Msg, follow = true) => {
      if (list.querySelector(`[data-seq="${m.seq}"]`)) return; // already shown (live and catch-up overlap)
      list.querySelector("[data-empty]")?.remove();
      const li = document.createElement("li");
      li.dataset.seq = String(m.seq);
      li.className = `max-w-[85%] rounded-lg px-3 py-2 ${m.author_side === side ? "ml-auto bg-green-50" : "bg-stone-100"}`;
      const meta = document.createElement("p");
      meta.className = "text-xs text-stone-600";
      const who = m.author_side === "agency" ? root?.dataset.agencyLabel : root?.dataset.clientLabel;
      meta.textContent = `${m.author_name} · ${who ?? ""} · ${fmt.format(new Date(m.created_at))}`;
      const text = document.createElement("p");
      text.className = "whitespace-pre-wrap break-words";
      text.dataset.body = "";
      text.textContent = m.body; // text, never HTML
      li.appendChild(meta);
      li.appendChild(text);
      // in seq order, whatever order live events and catch-up pages arrive in
      const after = [...list.querySelectorAll<HTMLElement>("[data-seq]")].find(
        (el) => Number(el.dataset.seq) > m.seq,
      );
      list.insertBefore(li, after ?? null);
      last = Math.max(last, m.seq);
      list.dataset.lastSeq = String(last);
      if (follow) list.scrollTop = list.scrollHeight;
    };
    const markRead = async () => {
      if (document.visibilityState !== "visible" || last === 0) return;
      try {
        const r = await api<{ unread: number }>("POST", "/api/app/portal/messages/read", {
          body: { seq: last },
        });
        if (unread) unread.hidden = r.unread === 0;
      } catch {}
    };
    const catchUp = async () => {
      for (;;) {
        const page = await api<{ rows: Msg[] }>("GET", "/api/app/portal/messages", {
          query: { after: last, limit: 200 },
        });
        for (const m of page.rows) append(m);
        if (page.rows.length < 200) break;
      }
    };

    list.scrollTop = list.scrollHeight; // the latest messages first in view
    const older = root?.querySelector<HTMLButtonElement>("[data-older]");
    older?.addEventListener("click", async () => {
      const first = Number(list.querySelector<HTMLElement>("[data-seq]")?.dataset.seq ?? "1");
      older.disabled = true;
      try {
        const page = await api<{ rows: Msg[] }>("GET", "/api/app/portal/messages", {
          query: { before: first, limit: 50 },
        });
        const height = list.scrollHeight;
        for (const m of page.rows) append(m, false);
        list.scrollTop = list.scrollHeight - height; // keep the reader where they were
        older.hidden = page.rows.length === 0 || (page.rows[0]?.seq ?? 1) <= 1;
      } catch (err) {
        alert(err instanceof Error ? err.message : String(err));
      } finally {
        older.disabled = false;
      }
    });
    let socket: WebSocket | null = null;
    let retry = 0;
    const connect = async () => {
      try {
        await catchUp();
        const { url } = await api<{ url: string }>("POST", "/api/app/portal/messages/ticket");
        const ws = new WebSocket(
          `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${withTenant(url)}`,
        );
        socket = ws;
        ws.addEventListener("open", () => {
          retry = 0;
          setStatus(true);
          void catchUp(); // anything posted between the catch-up and the subscription
        });
        ws.addEventListener("message", (e) => {
          answered = true;
          if (typeof e.data !== "string" || e.data === "pong") return;
          const event = JSON.parse(e.data) as { type: string; message?: Msg };
          // the bell re-reads its own count (the event carries no notification: decision 027)
          if (event.type === "message" || event.type === "notifications")
            window.dispatchEvent(new Event("fataplus:notifications"));
          if (event.type === "message" && event.message) {
            if (event.message.seq > last + 1) void catchUp();
            append(event.message);
            void markRead();
          }
        });
        ws.addEventListener("close", () => drop(ws));
      } catch {
        setStatus(false);
        schedule();
      }
    };
    const schedule = () => {
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.min(500 * 2 ** retry, 15_000) * (0.5 + Math.random() / 2));
    };
    // A socket counts as gone as soon as it is dropped: the reconnection never waits for a closing handshake
    // (a browser waits up to a minute for one that a proxy lost), and a late close of an old socket is ignored.
    const drop = (ws: WebSocket) => {
      if (socket !== ws) return;
      socket = null;
      setStatus(false);
      try {
        ws.close();
      } catch {}
      schedule();
    };
    // A ping every 30 s keeps proxies from closing an idle socket; a socket that answered nothing since the
    // last ping is half-open (a network that dropped without a word) and is replaced.
    let answered = true;
    setInterval(() => {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      if (!answered) return drop(socket);
      answered = false;
      socket.send("ping");
    }, 30_000);
    document.addEventListener("visibilitychange", () => void markRead());
    // Lets a test (or a flaky network) drop the socket: the view must reconnect and catch up.
    (window as unknown as { __portalDrop?: () => void }).__portalDrop = () => socket && drop(socket);
    void connect();
    void markRead();

    const form = root?.querySelector<HTMLFormElement>("form[data-message]");
    form?.addEventListener("submit", async (e) => {
      e.preventDefault();
      const field = form.querySelector<HTMLTextAreaElement>("textarea[name=body]");
      const text = field?.value.trim() ?? "";
      if (!text) return;
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = true;
      showError(form, "");
      try {
        const m = await api<Msg>("POST", "/api/app/portal/messages", { body: { body: text } });
        if (m.seq > last + 1) await catchUp();
        append(m);
        if (field) field.value = "";
      } catch (err) {
        showError(form, err instanceof Error ? err.message : String(err));
      } finally {
        if (button) button.disabled = false;
      }
    });
    form?.querySelector("textarea")?.addEventListener("keydown", (e) => {
      const k = e as KeyboardEvent;
      if (k.key === "Enter" && (k.ctrlKey || k.metaKey)) form.requestSubmit();
    });
  }
}
