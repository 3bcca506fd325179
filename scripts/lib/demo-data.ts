/**
 * Demo data for local development only (never a production migration): the agency workspace and two client
 * projects, with the six demo accounts of the README. Produces SQL for `wrangler d1 execute --local`.
 */
import { createHash } from "node:crypto";
import { newId, newTenantId } from "../../packages/domain/src/ids.ts";
import { hashPassword } from "../../packages/domain/src/password.ts";

export const DEMO_PASSWORD = "Fataplus-demo-2026!";

const q = (v: unknown): string =>
  v === null || v === undefined
    ? "NULL"
    : typeof v === "number"
      ? String(v)
      : `'${String(v).replaceAll("'", "''")}'`;

function insert(table: string, row: Record<string, unknown>): string {
  const cols = Object.keys(row);
  return `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((c) => q(row[c])).join(", ")});`;
}

export async function demoSql(): Promise<string> {
  const out: string[] = [];
  const tenants = {
    fataplus: { id: newTenantId(), name: "Fataplus — Agence", subdomain: "fataplus", kind: "agency" },
    acme: { id: newTenantId(), name: "Acme — Plateforme AgriTech", subdomain: "acme", kind: "project" },
    globex: { id: newTenantId(), name: "Globex — Refonte UX", subdomain: "globex", kind: "project" },
  };
  for (const t of Object.values(tenants)) out.push(insert("tenants", { ...t, status: "active" }));

  const users: Array<
    [string, string, "admin" | "staff" | "member", string, Array<[keyof typeof tenants, string]>]
  > = [
    ["admin@fata.plus", "Awa Admin", "admin", "fr", [["fataplus", "admin"]]],
    ["staff@fata.plus", "Sam Staff", "staff", "fr", [["fataplus", "project_manager"]]],
    ["pm.acme@fata.plus", "Paul Manager (Acme)", "member", "fr", [["acme", "project_manager"]]],
    ["pm.globex@fata.plus", "Gina Manager (Globex)", "member", "en", [["globex", "project_manager"]]],
    ["client@acme.test", "Claire Client (Acme)", "member", "fr", [["acme", "client"]]],
    ["client@globex.test", "Greg Client (Globex)", "member", "en", [["globex", "client"]]],
  ];
  for (const [email, name, role, locale, memberships] of users) {
    out.push(
      insert("users", {
        email,
        name,
        role,
        locale,
        status: "active",
        strategy: "password",
        strategy_value: await hashPassword(DEMO_PASSWORD),
      }),
    );
    for (const [tenant, mrole] of memberships) {
      out.push(
        `INSERT INTO memberships (tenant_id, user_id, role) SELECT ${q(tenants[tenant].id)}, id, ${q(mrole)} FROM users WHERE email = ${q(email)};`,
      );
    }
  }

  const data: Record<
    keyof typeof tenants,
    {
      org: string;
      contact: string;
      project: string;
      budget: number;
      tasks: string[];
      leads: Array<[string, string, number]>;
    }
  > = {
    fataplus: {
      org: "Coopérative Vakinankaratra",
      contact: "Hery Rakoto",
      project: "Site vitrine Fataplus",
      budget: 1_200_000,
      tasks: ["Mettre à jour les études de cas", "Préparer la cohorte UX de janvier"],
      leads: [
        ["Application mobile pour une coopérative laitière", "new", 1_800_000],
        ["Audit UX d'une banque mobile", "qualified", 950_000],
        ["Formation Figma pour une ONG", "proposal", 420_000],
        ["Refonte e-commerce artisanat", "won", 2_600_000],
      ],
    },
    acme: {
      org: "Acme Agro SARL",
      contact: "Claire Client",
      project: "Plateforme de traçabilité AgriTech",
      budget: 4_500_000,
      tasks: [
        "Atelier de cadrage",
        "Maquettes du tableau de bord",
        "API de traçabilité des lots",
        "Recette avec les producteurs",
      ],
      leads: [["Extension : module de paiement mobile", "qualified", 800_000]],
    },
    globex: {
      org: "Globex Corporation",
      contact: "Greg Client",
      project: "Refonte UX de l'espace client",
      budget: 2_900_000,
      tasks: ["User research interviews", "Design system tokens", "Prototype review"],
      leads: [["Mobile companion app", "new", 1_500_000]],
    },
  };
  const statuses = ["done", "in_progress", "todo", "todo"] as const;
  for (const [key, d] of Object.entries(data) as Array<[keyof typeof tenants, (typeof data)["acme"]]>) {
    const tenantId = tenants[key].id;
    const orgId = newId();
    const projectId = newId();
    out.push(
      insert("clients", { id: orgId, tenant_id: tenantId, kind: "organization", name: d.org, email: null }),
    );
    out.push(
      insert("clients", {
        id: newId(),
        tenant_id: tenantId,
        kind: "contact",
        name: d.contact,
        organization_id: orgId,
        email: `${d.contact.toLowerCase().replace(/[^a-z]+/g, ".")}@example.test`,
      }),
    );
    out.push(
      insert("projects", {
        id: projectId,
        tenant_id: tenantId,
        client_id: orgId,
        name: d.project,
        status: "active",
        phase: key === "globex" ? "design" : "build",
        start_date: "2026-09-01",
        due_date: "2027-02-28",
        budget_cents: d.budget,
        estimate_cents: Math.round(d.budget * 0.9),
        currency: "EUR",
      }),
    );
    d.tasks.forEach((title, i) => {
      out.push(
        insert("tasks", {
          id: newId(),
          tenant_id: tenantId,
          project_id: projectId,
          title,
          status: statuses[i % statuses.length],
          priority: i === 2 ? "high" : "normal",
          due_date: `2026-${String(10 + (i % 3)).padStart(2, "0")}-15`,
        }),
      );
    });
    for (const [title, stage, value] of d.leads) {
      out.push(
        insert("leads", {
          id: newId(),
          tenant_id: tenantId,
          client_id: orgId,
          title,
          stage,
          value_cents: value,
          source: "demo",
        }),
      );
    }
  }
  for (const key of ["acme", "globex"] as const)
    out.push(...portalDemo(tenants[key].id, key === "acme" ? "fr" : "en"));
  return `${out.join("\n")}\n`;
}

/** Files of the portal demo documents, to put in the local R2 bucket after the SQL (scripts/lib/stack.ts). */
const files: Array<{ key: string; body: string }> = [];
export const demoFiles = (): ReadonlyArray<{ key: string; body: string }> => files;

const demoPdf = (text: string) =>
  `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;

/** The client portal of a project: two documents (one internal), an approval, requested files, messages. */
function portalDemo(tenantId: string, lang: "fr" | "en"): string[] {
  const out: string[] = [];
  const fr = lang === "fr";
  const docs = [
    {
      title: fr ? "Maquettes du tableau de bord" : "Dashboard mockups",
      visibility: "client",
      name: "maquettes.pdf",
    },
    { title: fr ? "Chiffrage interne" : "Internal estimate", visibility: "internal", name: "chiffrage.pdf" },
  ];
  const versions: string[] = [];
  for (const d of docs) {
    const id = newId();
    const versionId = newId();
    const body = demoPdf(`${tenantId} ${d.title}`);
    const key = `tenants/${tenantId}/documents/${id}/${versionId}`;
    files.push({ key, body });
    out.push(
      insert("documents", {
        id,
        tenant_id: tenantId,
        title: d.title,
        visibility: d.visibility,
        current_version: 1,
      }),
    );
    out.push(
      insert("document_versions", {
        id: versionId,
        tenant_id: tenantId,
        document_id: id,
        version: 1,
        file_name: d.name,
        mime_type: "application/pdf",
        size_bytes: Buffer.byteLength(body),
        sha256: createHash("sha256").update(body).digest("hex"),
        r2_key: key,
      }),
    );
    out.push(
      insert("audit_log", {
        id: newId(),
        tenant_id: tenantId,
        actor_type: "system",
        action: "document.upload",
        entity: "documents",
        entity_id: id,
        data: JSON.stringify({ title: d.title, visibility: d.visibility, version: 1 }),
        created_at: new Date().toISOString(),
      }),
    );
    versions.push(`${id}|${versionId}|${createHash("sha256").update(body).digest("hex")}`);
    out.push(
      `INSERT INTO tenant_counters (tenant_id, metric, value) VALUES (${q(tenantId)}, 'storage_bytes', ${Buffer.byteLength(body)}) ON CONFLICT (tenant_id, metric) DO UPDATE SET value = value + excluded.value;`,
    );
  }
  const [docId, versionId, sha] = (versions[0] ?? "").split("|");
  out.push(
    insert("approvals", {
      id: newId(),
      tenant_id: tenantId,
      document_id: docId,
      version_id: versionId,
      version: 1,
      sha256: sha,
      status: "pending",
    }),
  );
  const requests: Array<[string, string, string]> = fr
    ? [
        ["Logo en haute définition", "Format vectoriel (PDF) de préférence.", "2026-11-01"],
        ["Liste des coopératives partenaires", "Un tableur avec les contacts.", "2027-01-15"],
      ]
    : [
        ["Brand guidelines", "The latest PDF version.", "2026-11-01"],
        ["Interview recordings consent forms", "Signed forms, one PDF.", "2027-01-15"],
      ];
  for (const [title, description, due] of requests)
    out.push(
      insert("file_requests", {
        id: newId(),
        tenant_id: tenantId,
        title,
        description,
        due_date: due,
        status: "open",
      }),
    );
  const messages: Array<[string, string, string]> = fr
    ? [
        [
          "Paul Manager (Acme)",
          "agency",
          "Bonjour Claire, les maquettes du tableau de bord sont en ligne : pouvez-vous les approuver ?",
        ],
        ["Claire Client (Acme)", "client", "Merci Paul, je regarde cela cette semaine."],
      ]
    : [
        [
          "Gina Manager (Globex)",
          "agency",
          "Hi Greg, we need the brand guidelines to start the design system.",
        ],
        ["Greg Client (Globex)", "client", "Sure, I'll send them shortly."],
      ];
  messages.forEach(([author, side, body], i) => {
    out.push(
      insert("messages", {
        id: newId(),
        tenant_id: tenantId,
        seq: i + 1,
        author_name: author,
        author_side: side,
        body,
      }),
    );
  });
  out.push(
    `INSERT INTO tenant_counters (tenant_id, metric, value) VALUES (${q(tenantId)}, 'messages', ${messages.length});`,
  );
  return out;
}
