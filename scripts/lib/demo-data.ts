/**
 * Demo data for local development only (never a production migration): the agency workspace and two client
 * projects, with the six demo accounts of the README. Produces SQL for `wrangler d1 execute --local`.
 */
import { createHash } from "node:crypto";
import { hashPassword, newId, newTenantId } from "@fataplus/domain";

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
  out.push(...(await bootcampDemoSql()));
  for (const key of ["acme", "globex"] as const)
    out.push(...portalDemo(tenants[key].id, key === "acme" ? "fr" : "en"));
  return `${out.join("\n")}\n`;
}

/**
 * The bootcamp's demo (decision 010): its tenant comes with migration 0008, so rows take its id by subdomain.
 * An instructor and a learner (same demo password), two published courses, a cohort under way (the learner is
 * in it) and an upcoming one open for applications.
 */
async function bootcampDemoSql(): Promise<string[]> {
  const out: string[] = [];
  const inBootcamp = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    return `INSERT INTO ${table} ("tenant_id", ${cols.map((c) => `"${c}"`).join(", ")}) SELECT id, ${cols.map((c) => q(row[c])).join(", ")} FROM tenants WHERE subdomain = 'bootcamp';`;
  };
  const userId = (email: string) => `(SELECT id FROM users WHERE email = ${q(email)})`;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const people: Array<[string, string, string, "client" | "project_manager"]> = [
    ["instructor@fata.plus", "Ivy Instructrice", "fr", "project_manager"],
    ["learner@bootcamp.test", "Léa Apprenante", "fr", "client"],
  ];
  for (const [email, name, locale, role] of people) {
    out.push(
      insert("users", {
        email,
        name,
        role: "member",
        locale,
        status: "active",
        strategy: "password",
        strategy_value: await hashPassword(DEMO_PASSWORD),
      }),
    );
    out.push(
      `INSERT INTO memberships (tenant_id, user_id, role) SELECT t.id, u.id, ${q(role)} FROM tenants t, users u WHERE t.subdomain = 'bootcamp' AND u.email = ${q(email)};`,
    );
  }
  const courses = [
    {
      slug: "recherche-utilisateur",
      title: "Recherche utilisateur",
      summary: "Interroger, observer et synthétiser pour concevoir des produits utiles.",
      language: "fr",
      level: "beginner",
      modules: [
        [
          "Préparer la recherche",
          [
            [
              "Pourquoi la recherche ?",
              "# Pourquoi la recherche ?\n\nUn produit utile commence par **comprendre** ses utilisateurs.\n\n- Réduire le risque\n- Prioriser\n\nÀ lire : [Nielsen Norman Group](https://www.nngroup.com/articles/)",
              0,
            ],
            [
              "Le guide d'entretien",
              "## Le guide d'entretien\n\n1. Questions ouvertes\n2. Relances\n3. Pas de questions suggestives\n\n> « Racontez-moi la dernière fois que… »",
              0,
            ],
          ],
        ],
        [
          "Synthétiser",
          [
            [
              "La carte d'affinités",
              "## Carte d'affinités\n\nRegroupez les observations par thème, puis nommez les groupes.",
              7,
            ],
            [
              "Personas et parcours",
              "## Personas\n\nÀ partir des thèmes, décrivez 2 à 3 personas et leur parcours.",
              14,
            ],
          ],
        ],
      ],
      assignment: {
        title: "Plan d'entretiens",
        brief:
          "Rédigez un **plan d'entretiens** pour un produit de votre choix : objectifs, recrutement, guide.",
        rubric: [
          { criterion: "Objectifs clairs", points: 5 },
          { criterion: "Guide d'entretien", points: 10 },
          { criterion: "Recrutement", points: 5 },
        ],
      },
    },
    {
      slug: "ui-design-figma",
      title: "UI design with Figma",
      summary: "From frames and auto layout to components and a small design system.",
      language: "en",
      level: "intermediate",
      modules: [
        [
          "Figma foundations",
          [
            [
              "Frames and auto layout",
              "# Frames and auto layout\n\nUse **auto layout** for anything that grows.",
              0,
            ],
            [
              "Components and variants",
              "## Components\n\nBuild a button with variants: size, state, icon.",
              3,
            ],
          ],
        ],
      ],
      assignment: {
        title: "A sign-up screen",
        brief:
          "Design a **sign-up screen** for mobile using auto layout and components. Share the Figma link.",
        rubric: [
          { criterion: "Layout", points: 10 },
          { criterion: "Components", points: 10 },
        ],
      },
    },
  ] as const;
  for (const [ci, c] of courses.entries()) {
    const courseId = newId();
    out.push(
      inBootcamp("bootcamp_courses", {
        id: courseId,
        slug: c.slug,
        title: c.title,
        summary: c.summary,
        language: c.language,
        level: c.level,
        status: "published",
        position: ci,
      }),
    );
    for (const [mi, [title, lessons]] of c.modules.entries()) {
      const moduleId = newId();
      out.push(inBootcamp("bootcamp_modules", { id: moduleId, course_id: courseId, title, position: mi }));
      for (const [li, [ltitle, body, offset]] of lessons.entries()) {
        out.push(
          inBootcamp("bootcamp_lessons", {
            id: newId(),
            course_id: courseId,
            module_id: moduleId,
            title: ltitle,
            body_md: body,
            position: li,
            release_offset_days: offset,
          }),
        );
      }
    }
    out.push(
      inBootcamp("bootcamp_assignments", {
        id: newId(),
        course_id: courseId,
        title: c.assignment.title,
        brief_md: c.assignment.brief,
        due_offset_days: 10,
        rubric: JSON.stringify(c.assignment.rubric),
      }),
    );
    const current = newId();
    const upcoming = newId();
    out.push(
      inBootcamp("bootcamp_cohorts", {
        id: current,
        course_id: courseId,
        name: ci === 0 ? "Cohorte d'automne" : "Autumn cohort",
        start_date: day(-10),
        end_date: day(50),
        seats: 16,
        status: "closed",
      }),
      inBootcamp("bootcamp_cohorts", {
        id: upcoming,
        course_id: courseId,
        name: ci === 0 ? "Cohorte de janvier" : "January cohort",
        start_date: day(40),
        end_date: day(100),
        seats: 20,
        status: "open",
      }),
    );
    for (const cohort of [current, upcoming]) {
      out.push(
        `INSERT INTO bootcamp_cohort_instructors (id, tenant_id, cohort_id, user_id) SELECT ${q(newId())}, t.id, ${q(cohort)}, ${userId("instructor@fata.plus")} FROM tenants t WHERE t.subdomain = 'bootcamp';`,
      );
    }
    if (ci === 0) {
      out.push(
        `INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, user_id, status, invited_at, joined_at) SELECT ${q(newId())}, t.id, ${q(current)}, 'learner@bootcamp.test', 'Léa Apprenante', ${userId("learner@bootcamp.test")}, 'active', ${q(`${day(-12)}T09:00:00.000Z`)}, ${q(`${day(-11)}T09:00:00.000Z`)} FROM tenants t WHERE t.subdomain = 'bootcamp';`,
      );
    }
  }
  return out;
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
