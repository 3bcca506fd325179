import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, scenario, unique } from "../../test/factories.ts";

let ip = 0;
const post = (body: unknown) =>
  call("POST", "/api/intake", { body, headers: { "cf-connecting-ip": `198.51.100.${++ip}` } });

const intake = (email: string, organisation: string) => ({
  locale: "en",
  idempotency_key: unique("review-key-000000"),
  name: "Someone",
  email,
  organisation,
  project_type: "agritech_platform",
  goals: "Track the vanilla harvest of 300 growers and pay them by mobile money.",
  features: "Offline app\nMobile money payouts",
  budget: "15k_40k",
  timeline: "3_6_months",
});

const membershipsOf = async (email: string) =>
  (
    await db()
      .prepare("SELECT m.tenant_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?")
      .bind(email)
      .all<{ tenant_id: string }>()
  ).results.map((r) => r.tenant_id);

const tenantOf = async (subdomain: string) =>
  String(
    (await db().prepare("SELECT id FROM tenants WHERE subdomain = ?").bind(subdomain).first<{ id: string }>())
      ?.id,
  );

async function tokenFor(email: string, tenantId: string): Promise<string> {
  const row = await db()
    .prepare("SELECT text_body FROM email_outbox WHERE to_address = ? AND about_tenant_id = ?")
    .bind(email, tenantId)
    .first<{ text_body: string }>();
  const m = /invitation\?token=([A-Za-z0-9_%-]+)/.exec(row?.text_body ?? "");
  if (!m?.[1]) throw new Error("no invitation mail");
  return decodeURIComponent(m[1]);
}

beforeAll(async () => {
  await scenario({ tenants: ["agency"], agency: ["agency"], names: { agency: "Agency (review)" } });
});

describe("an address that has an unclaimed account", () => {
  it("gets no membership from a stranger's later form: it joins only when its owner accepts that invitation", async () => {
    const email = `${unique("victim")}@example.test`;
    // The owner asked for a first project: an unclaimed account with that project's membership.
    const first = await json<{ subdomain: string }>(await post(intake(email, `Owner Co ${unique("")}`)));
    const firstTenant = await tenantOf(first.subdomain);
    expect(await membershipsOf(email)).toEqual([firstTenant]);
    // Someone else types the same address into the public form.
    const second = await json<{ subdomain: string }>(await post(intake(email, `Stranger Ltd ${unique("")}`)));
    const strangerTenant = await tenantOf(second.subdomain);
    expect(await membershipsOf(email)).toEqual([firstTenant]);

    // The owner claims their account from the first mail, then decides about the second one signed in.
    const claimed = await call("POST", "/api/auth/invitations/accept", {
      body: { token: await tokenFor(email, firstTenant), password: "Owner-password-12345" },
    });
    expect(claimed.status).toBe(201);
    const login = await json<{ token: string }>(
      await call("POST", "/api/auth/login", { body: { email, password: "Owner-password-12345" } }),
    );
    const joined = await call("POST", "/api/auth/invitations/accept", {
      token: login.token,
      body: { token: await tokenFor(email, strangerTenant) },
    });
    expect(joined.status).toBe(201);
    expect((await membershipsOf(email)).sort()).toEqual([firstTenant, strangerTenant].sort());
  });
});

describe("an organisation name on two lines", () => {
  it("is accepted, and its mail subject is one line", async () => {
    const email = `${unique("lines")}@example.test`;
    const res = await post(intake(email, `Acme ${unique("")}\r\nSecond line`));
    expect(res.status, await res.clone().text()).toBe(201);
    const mail = await db()
      .prepare("SELECT subject FROM email_outbox WHERE to_address = ?")
      .bind(email)
      .first<{ subject: string }>();
    expect(mail?.subject).toMatch(/^Your project request for Acme \S+ Second line — Fataplus$/);
  });
});

describe("a link typed as a name or an organisation", () => {
  it("is left out of the mail sent to the address given (the form can't mail a stranger our link to theirs)", async () => {
    const email = `${unique("spam")}@example.test`;
    const body = {
      ...intake(email, `Win a prize at evil-${unique("")}.example`),
      name: "Go to https://evil.example/x",
    };
    const res = await post(body);
    expect(res.status, await res.clone().text()).toBe(201);
    const mail = await db()
      .prepare("SELECT subject, text_body FROM email_outbox WHERE to_address = ?")
      .bind(email)
      .first<{ subject: string; text_body: string }>();
    expect(mail?.subject).toBe("Your project request — Fataplus");
    expect(mail?.text_body).toMatch(/^Hello,\n/);
    // (the link itself is on our domain: the project's subdomain is derived from the organisation)
    expect(mail?.text_body).not.toMatch(/\.example\b|https:\/\/evil/);
  });
});
