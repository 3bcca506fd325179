/** Portal test helpers: real files (PDF, PNG) and multipart uploads through the real worker. */
import { exports } from "cloudflare:workers";

export { pdfBytes, pngBytes } from "@fataplus/domain/testing";

export async function upload(
  token: string,
  tenant: string,
  file: { bytes: Uint8Array; name: string; type?: string },
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([file.bytes], file.name, { type: file.type ?? "application/pdf" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request("https://bknd.test/api/app/portal/documents", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-fataplus-tenant": tenant },
      body: form,
    }),
  );
}

/** Opens the live socket of a tenant as a user: ticket, then the upgrade. Returns the response and socket. */
export async function openSocket(
  ticketUrl: string,
  tenant: string,
): Promise<{ status: number; ws: WebSocket | null; events: unknown[]; next: () => Promise<unknown> }> {
  const res = await (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`https://bknd.test${ticketUrl}`, {
      headers: { upgrade: "websocket", "x-fataplus-tenant": tenant },
    }),
  );
  const ws = res.webSocket;
  const events: unknown[] = [];
  const waiters: Array<(e: unknown) => void> = [];
  if (ws) {
    ws.accept();
    ws.addEventListener("message", (e) => {
      const data = JSON.parse(String(e.data)) as unknown;
      const w = waiters.shift();
      if (w) w(data);
      else events.push(data);
    });
  }
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const queued = events.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error("no event within 3 s")), 3000);
      waiters.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  return { status: res.status, ws: ws ?? null, events, next };
}
