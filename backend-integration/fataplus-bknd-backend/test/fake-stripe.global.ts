/**
 * A local fake of the part of Stripe's API the adapter calls (decision 028), for the worker's tests: `POST
 * /v1/checkout/sessions` answers a session the way Stripe does (form-encoded in, JSON out, the secret key
 * checked), and records it; `GET /__sessions` lists what was created; `POST /__slow` (`on` / `off`) makes it
 * answer after 3 s (the adapter's timeout is shorter), for the timeout test. Never the real Stripe.
 */
import { createServer, type Server } from "node:http";

export const FAKE_STRIPE_KEY = "sk_test_fake_0123456789";

export default async function setup(): Promise<() => Promise<void>> {
  const sessions: Array<Record<string, string>> = [];
  let slow = false;
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.url === "/__sessions") return send(200, sessions);
      if (req.url === "/__slow") {
        slow = body === "on";
        return send(200, { slow });
      }
      if (req.method === "POST" && req.url === "/v1/checkout/sessions") {
        if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_KEY}`)
          return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
        const form = Object.fromEntries(new URLSearchParams(body));
        const answer = () => {
          n += 1;
          const id = `cs_test_fake_${Date.now().toString(36)}_${n}`;
          sessions.push({ id, ...form, idempotency_key: String(req.headers["idempotency-key"] ?? "") });
          send(200, {
            id,
            object: "checkout.session",
            url: `https://checkout.stripe.test/c/pay/${id}`,
            amount_total: Number(form["line_items[0][price_data][unit_amount]"] ?? 0),
            currency: form["line_items[0][price_data][currency]"],
            metadata: { tenant_id: form["metadata[tenant_id]"], invoice_id: form["metadata[invoice_id]"] },
            payment_status: "unpaid",
          });
        };
        if (slow) setTimeout(answer, 3000);
        else answer();
        return;
      }
      send(404, {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.url})` },
      });
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(Number(process.env.FAKE_STRIPE_PORT), "127.0.0.1", () => resolve()),
  );
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
