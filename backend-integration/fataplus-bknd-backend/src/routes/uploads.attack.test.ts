/**
 * ASVS level 2 file-upload items against both upload routes (portal documents, bootcamp submissions): HTML,
 * SVG with a script, files whose name and declared type lie about their bytes, and oversized files are
 * refused and leave nothing in R2 or D1; what is accepted is served as an attachment, nosniff, under its real
 * type. (The portal's own suite covers HTML-as-PDF, shell scripts, executables and the 25 MB cap.)
 */
import { env, exports } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { type BootcampRefs, enrolMember, seedBootcamp } from "../../test/bootcamp-factories.ts";
import { call, json, scenario, type TestUser } from "../../test/factories.ts";
import { pdfBytes, pngBytes, upload } from "../../test/portal-factories.ts";

const enc = new TextEncoder();
const SVG_SCRIPT = enc.encode(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
);
const HTML = enc.encode("<!doctype html><html><body><script>fetch('/api/app/tokens')</script></body></html>");
/** The PNG signature followed by an HTML page: a polyglot a careless server would serve inline. */
const PNG_HTML = new Uint8Array([...pngBytes(), ...HTML]);

/** Files that must be refused, with the name and the declared type they arrive with. */
const hostile: Array<[string, Uint8Array, string, string]> = [
  ["SVG with a script, as SVG", SVG_SCRIPT, "logo.svg", "image/svg+xml"],
  ["SVG with a script, named and declared as PNG", SVG_SCRIPT, "logo.png", "image/png"],
  ["HTML named and declared as PNG", HTML, "photo.png", "image/png"],
  ["HTML named and declared as PDF", HTML, "report.pdf", "application/pdf"],
  ["HTML as HTML", HTML, "page.html", "text/html"],
];

let A: TenantRef;
let pm: TestUser;
let T: TenantRef;
let refs: BootcampRefs;
let learner: TestUser;
let enrolment = "";

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "T"],
    names: { A: "Uploads", T: "Uploads bootcamp" },
    users: { pm: { in: { A: "project_manager" } }, learner: { in: { T: "client" } } },
  });
  ({ A, T } = s.tenants);
  ({ pm, learner } = s.users);
  refs = await seedBootcamp(T);
  enrolment = await enrolMember(T, refs.pastCohort, learner.email);
});

const r2Keys = async (prefix: string) => (await env.BUCKET.list({ prefix })).objects.map((o) => o.key).sort();
const rows = async (table: string, tenant: TenantRef) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
      .bind(tenant.id)
      .first<{ n: number }>()
  )?.n ?? 0;

function submit(file: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  form.set("file", new File([file.bytes], file.name, { type: file.type }));
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(
      `https://bknd.test/api/app/bootcamp/enrolments/${enrolment}/assignments/${refs.assignment}/submission`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${learner.token}`, "x-fataplus-tenant": T.subdomain },
        body: form,
      },
    ),
  );
}

describe("portal document uploads", () => {
  it.each(hostile)("%s is refused and leaves nothing", async (_, bytes, name, type) => {
    const before = [await r2Keys(`tenants/${A.id}/`), await rows("document_versions", A)];
    const res = await upload(pm.token, A.subdomain, { bytes, name, type });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect([await r2Keys(`tenants/${A.id}/`), await rows("document_versions", A)]).toEqual(before);
  });

  it("a PNG/HTML polyglot is stored as what its bytes are and served as an attachment, nosniff, never as HTML", async () => {
    const res = await upload(
      pm.token,
      A.subdomain,
      { bytes: PNG_HTML, name: "x.html", type: "text/html" },
      { visibility: "client" },
    );
    expect(res.status).toBe(201);
    const doc = await json<{ latest: { id: string; mime_type: string; file_name: string } }>(res);
    expect(doc.latest.mime_type).toBe("image/png");
    expect(doc.latest.file_name).toBe("x.png");
    const link = await call("POST", "/api/app/portal/downloads", {
      token: pm.token,
      tenant: A.subdomain,
      body: { version_id: doc.latest.id },
    });
    expect(link.status).toBe(200);
    const { url } = await json<{ url: string }>(link);
    const file = await call(
      "GET",
      new URL(url, "https://bknd.test").pathname + new URL(url, "https://bknd.test").search,
      {
        tenant: A.subdomain,
      },
    );
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment/);
  });
});

describe("bootcamp submission uploads", () => {
  it.each(hostile)("%s is refused and leaves nothing", async (_, bytes, name, type) => {
    const before = [await r2Keys(`bootcamp/${T.id}/`), await rows("bootcamp_submissions", T)];
    const res = await submit({ bytes, name, type });
    expect(res.status, name).toBe(400);
    expect([await r2Keys(`bootcamp/${T.id}/`), await rows("bootcamp_submissions", T)]).toEqual(before);
  });

  it("an oversized file is refused with a 413 and leaves nothing", async () => {
    const before = await r2Keys(`bootcamp/${T.id}/`);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(pdfBytes());
    const res = await submit({ bytes: big, name: "big.pdf", type: "application/pdf" });
    expect(res.status).toBe(413);
    expect(await r2Keys(`bootcamp/${T.id}/`)).toEqual(before);
  });

  it("a real PDF declared as something else is stored as a PDF under a clean name", async () => {
    const res = await submit({
      bytes: pdfBytes("essay"),
      name: "../../My essay<1>.exe",
      type: "application/octet-stream",
    });
    expect(res.status).toBe(201);
    const row = await env.DB.prepare(
      "SELECT file_name, file_type FROM bootcamp_submissions WHERE tenant_id = ? ORDER BY rowid DESC LIMIT 1",
    )
      .bind(T.id)
      .first<{ file_name: string; file_type: string }>();
    expect(row).toEqual({ file_name: "My essay1.pdf", file_type: "application/pdf" });
  });
});
