/**
 * Card payments against a local fake of Stripe's API (test/fake-stripe.global.ts; decision 028): the client
 * starts a Checkout session for an invoice's balance; Stripe's webhook is verified (a bad or tampered signature
 * changes nothing), records the payment once whatever the number of deliveries, and only on the invoice and
 * tenant it names; a provider that does not answer in time gives a readable refusal; without a provider, the
 * offline default says to pay by transfer.
 */
import { env } from "cloudflare:workers";
import { startInvoicePayment, tenantRoles } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, scenario, systemCtx } from "../../test/factories.ts";

const FAKE = (env as unknown as { FAKE_STRIPE_URL: string }).FAKE_STRIPE_URL;
const SECRET = "whsec_test_only_0123456789";

let s: Awaited<ReturnType<typeof setup>>;
const setup = () => scenario({ tenants: ["A", "B"], seed: true, roles: tenantRoles });
beforeAll(async () => {
  s = await setup();
});

const draft = {
  currency: "EUR",
  buyer: { name: "Client carte" },
  lines: [{ description: "Site", quantity_milli: 1000, unit_price_minor: 100_000, vat_bp: 2000 }],
};

async function issuedInvoice(tenant: "A" | "B") {
  const t = s.tenants[tenant].subdomain;
  const pm = s.members[tenant].project_manager.token;
  const d = await json<{ invoice: { id: string } }>(
    await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft }),
  );
  const out = await json<{ invoice: { id: string; number: string; total_minor: number } }>(
    await call("POST", `/api/app/portal/invoices/${d.invoice.id}/issue`, {
      token: pm,
      tenant: t,
      body: { version: 1 },
    }),
  );
  return out.invoice;
}

/** Stripe's signature scheme (t=…,v1=HMAC-SHA256(secret, "t.payload")), computed here, not by the library. */
async function sign(payload: string, secret = SECRET, t = Math.floor(Date.now() / 1000)) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${payload}`));
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `t=${t},v1=${hex}`;
}

const completed = (o: { id: string; tenant: string; invoice: string; amount: number; type?: string }) =>
  JSON.stringify({
    id: `evt_${o.id}`,
    object: "event",
    type: o.type ?? "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: o.id,
        object: "checkout.session",
        amount_total: o.amount,
        currency: "eur",
        payment_status: "paid",
        metadata: { tenant_id: o.tenant, invoice_id: o.invoice },
      },
    },
  });

const deliver = async (payload: string, signature?: string) =>
  call("POST", "/api/webhooks/stripe", {
    rawBody: payload,
    headers: { "content-type": "application/json", "stripe-signature": signature ?? (await sign(payload)) },
  });

const paymentsOf = async (invoiceId: string) =>
  (
    await db()
      .prepare("SELECT provider, provider_ref, amount_minor FROM invoice_payments WHERE invoice_id = ?")
      .bind(invoiceId)
      .all()
  ).results;

describe("paying an invoice by card", () => {
  it("the client starts a Checkout session for the balance; a partner can't; a draft isn't payable", async () => {
    const inv = await issuedInvoice("A");
    const t = s.tenants.A.subdomain;
    const res = await call("POST", `/api/app/portal/invoices/${inv.id}/checkout`, {
      token: s.members.A.client.token,
      tenant: t,
    });
    expect(res.status).toBe(200);
    const { url } = await json<{ url: string }>(res);
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_fake_/);
    const sessions = (await (await fetch(`${FAKE}/__sessions`)).json()) as Array<Record<string, string>>;
    const mine = sessions.find((x) => x["metadata[invoice_id]"] === inv.id);
    expect(mine).toMatchObject({
      mode: "payment",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": String(inv.total_minor),
      "metadata[tenant_id]": s.tenants.A.id,
      client_reference_id: inv.id,
    });
    expect(mine?.success_url).toContain(`${t}.`);
    expect(await paymentsOf(inv.id)).toEqual([]); // starting a payment records none
    expect(
      (
        await call("POST", `/api/app/portal/invoices/${inv.id}/checkout`, {
          token: s.members.A.partner.token,
          tenant: t,
        })
      ).status,
    ).toBe(403);
    const d = await json<{ invoice: { id: string } }>(
      await call("POST", "/api/app/portal/invoices", {
        token: s.members.A.project_manager.token,
        tenant: t,
        body: draft,
      }),
    );
    expect(
      (
        await call("POST", `/api/app/portal/invoices/${d.invoice.id}/checkout`, {
          token: s.members.A.client.token,
          tenant: t,
        })
      ).status,
    ).toBe(404);
  });

  it("a provider that doesn't answer in time: a readable refusal, nothing written", async () => {
    const inv = await issuedInvoice("A");
    await fetch(`${FAKE}/__slow`, { method: "POST", body: "on" });
    try {
      const res = await call("POST", `/api/app/portal/invoices/${inv.id}/checkout`, {
        token: s.members.A.client.token,
        tenant: s.tenants.A.subdomain,
      });
      expect(res.status).toBe(422);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/did not answer/);
    } finally {
      await fetch(`${FAKE}/__slow`, { method: "POST", body: "off" });
    }
    const audit = await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'invoice.checkout'")
      .bind(inv.id)
      .first("n");
    expect(audit).toBe(0);
  });

  it("without a provider, the offline default: pay by transfer", async () => {
    const inv = await issuedInvoice("A");
    await expect(
      startInvoicePayment({
        ctx: { ...systemCtx(s.tenants.A), role: "client" },
        input: { id: inv.id },
        provider: null,
        portalUrl: "https://x.test/factures",
      }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", message: expect.stringMatching(/bank transfer/) });
  });
});

describe("Stripe's webhook", () => {
  it("verifies the signature, records the payment once whatever the deliveries, on the invoice it names", async () => {
    const inv = await issuedInvoice("A");
    const payload = completed({
      id: `cs_${inv.id}`,
      tenant: s.tenants.A.id,
      invoice: inv.id,
      amount: inv.total_minor,
    });
    // a wrong secret, a tampered body, no signature: 400, nothing recorded
    expect((await deliver(payload, await sign(payload, "whsec_wrong"))).status).toBe(400);
    expect(
      (
        await deliver(
          payload.replace(`"amount_total":${inv.total_minor}`, '"amount_total":1'),
          await sign(payload),
        )
      ).status,
    ).toBe(400);
    expect((await deliver(payload, "")).status).toBe(400);
    expect(await paymentsOf(inv.id)).toEqual([]);
    // delivered, then delivered again (also concurrently): one payment
    const first = await deliver(payload);
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({ received: true, recorded: true });
    const replays = await Promise.all([deliver(payload), deliver(payload), deliver(payload)]);
    for (const r of replays) {
      expect(r.status).toBe(200);
      expect(await json(r)).toEqual({ received: true, recorded: false });
    }
    expect(await paymentsOf(inv.id)).toEqual([
      { provider: "stripe", provider_ref: `cs_${inv.id}`, amount_minor: inv.total_minor },
    ]);
    const got = await json<{ invoice: { status: string; paid_minor: number } }>(
      await call("GET", `/api/app/portal/invoices/${inv.id}`, {
        token: s.members.A.client.token,
        tenant: s.tenants.A.subdomain,
      }),
    );
    expect(got.invoice).toMatchObject({ status: "paid", paid_minor: inv.total_minor });
    const audit = await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'invoice.payment'")
      .bind(inv.id)
      .first("n");
    expect(audit).toBe(1);
  });

  it("another event type, another tenant's name, more than the balance: acknowledged, nothing recorded", async () => {
    const inv = await issuedInvoice("A");
    const other = completed({
      id: `cs_x_${inv.id}`,
      tenant: s.tenants.A.id,
      invoice: inv.id,
      amount: 10,
      type: "checkout.session.expired",
    });
    expect(await json(await deliver(other))).toEqual({ received: true, recorded: false });
    // B's tenant named with A's invoice (metadata can't move money across tenants)
    const crossed = completed({ id: `cs_b_${inv.id}`, tenant: s.tenants.B.id, invoice: inv.id, amount: 10 });
    expect(await json(await deliver(crossed))).toEqual({ received: true, recorded: false });
    const tooMuch = completed({
      id: `cs_big_${inv.id}`,
      tenant: s.tenants.A.id,
      invoice: inv.id,
      amount: inv.total_minor + 1,
    });
    expect(await json(await deliver(tooMuch))).toEqual({ received: true, recorded: false });
    expect(await paymentsOf(inv.id)).toEqual([]);
  });
});
