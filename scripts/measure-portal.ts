/**
 * `node scripts/measure-portal.ts`: the portal's two figures, against a running stack (start it with
 * `PREVIEW_API_PORT=… PREVIEW_WEB_PORT=… node scripts/preview.ts`; demo data):
 *  - upload throughput of a 10 MB PDF through POST /api/app/portal/documents (sniff, hash, R2 put, D1 batch),
 *    5 runs, median and best, in MB/s;
 *  - WebSocket delivery latency: from the start of POST /api/app/portal/messages (project manager) to the
 *    client's socket receiving the message, 30 messages, median and p95 in ms. Through the API directly and
 *    through the site's /ws proxy.
 * Env: API_URL (default http://localhost:8797), WEB_URL (default http://localhost:4331).
 */
const API = process.env.API_URL ?? "http://localhost:8797";
const WEB = process.env.WEB_URL ?? "http://localhost:4331";
const PASSWORD = "Fataplus-demo-2026!";

async function login(email: string): Promise<string> {
  const res = await fetch(`${API}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}`, "x-fataplus-tenant": "acme" });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? 0;

const pm = await login("pm.acme@fata.plus");
const client = await login("client@acme.test");

// --- upload throughput ---------------------------------------------------------------------------------
const size = 10 * 1024 * 1024;
const rates: number[] = [];
for (let run = 0; run < 5; run++) {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode(`%PDF-1.4\n% measure ${run} ${Date.now()}\n`));
  for (let i = 64; i < size; i += 4096) bytes[i] = (i * 31 + run) & 0xff;
  const form = new FormData();
  form.set("file", new File([bytes], "measure.pdf", { type: "application/pdf" }));
  form.set("title", `Mesure ${run}`);
  const t0 = performance.now();
  const res = await fetch(`${API}/api/app/portal/documents`, {
    method: "POST",
    headers: auth(pm),
    body: form,
  });
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const doc = (await res.json()) as { id: string };
  rates.push(size / 1024 / 1024 / (ms / 1000));
  await fetch(`${API}/api/app/portal/documents/${doc.id}`, { method: "DELETE", headers: auth(pm) });
}

// --- WebSocket delivery ----------------------------------------------------------------------------------
async function latency(base: string, label: string): Promise<string> {
  const ticket = await fetch(`${API}/api/app/portal/messages/ticket`, {
    method: "POST",
    headers: auth(client),
  });
  const { url } = (await ticket.json()) as { url: string };
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}${url}&tenant=acme`);
  const waiting = new Map<string, (t: number) => void>();
  ws.addEventListener("message", (e) => {
    const event = JSON.parse(String(e.data)) as { type: string; message?: { body: string } };
    const body = event.message?.body;
    if (body) waiting.get(body)?.(performance.now());
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`${label}: socket failed`)));
  });
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const body = `latency ${label} ${i} ${Date.now()}`;
    const received = new Promise<number>((resolve) => waiting.set(body, resolve));
    const t0 = performance.now();
    await fetch(`${API}/api/app/portal/messages`, {
      method: "POST",
      headers: { ...auth(pm), "content-type": "application/json" },
      body: JSON.stringify({ body }),
    });
    samples.push((await received) - t0);
  }
  ws.close();
  return `${label}: median ${median(samples).toFixed(1)} ms, p95 ${p95(samples).toFixed(1)} ms (30 messages)`;
}

const direct = await latency(API, "API /ws");
const viaSite = await latency(WEB, "site /ws proxy");
console.log(
  `upload 10 MB: median ${median(rates).toFixed(1)} MB/s, best ${Math.max(...rates).toFixed(1)} MB/s (5 runs)`,
);
console.log(`WebSocket delivery (post → received), ${direct}`);
console.log(`WebSocket delivery (post → received), ${viaSite}`);
