/**
 * The course player and quizzes in a real browser (decision 032): staff seed a course of their own through the
 * API (two modules, a gating quiz, a cohort, an enrolment), the learner starts, moves with next, fails then
 * passes the quiz, which opens the next module, and the course page offers to resume where they stopped; the
 * learner's header fits a phone; staff edit the cohort, revoke the certificate (the public page says so) and
 * reorder lessons from the keyboard in the CRM.
 */
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import {
  DEMO,
  DEMO_PASSWORD,
  fetchAt,
  freshPage,
  screenshot,
  sessionCookie,
  signIn,
  siteUrl,
} from "./stack.ts";

const context = useBrowserContext();
const stamp = Date.now().toString(36);
const learnerEmail = `depth-${stamp}@example.test`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ids = { course: "", m1: "", m2: "", quiz: "", cohort: "" };
let invitation = "";

/** A call to the bootcamp's API through the site, as staff. */
async function api(
  cookie: string,
  method: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const origin = new URL(siteUrl("/")).origin;
  const res = await fetchAt(`${origin}/api/app/bootcamp${path}?tenant=bootcamp`, {
    method,
    headers: { "content-type": "application/json", origin, cookie },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const idOf = (r: Record<string, unknown>) => String(r.id);

describe("the course player and a gating quiz", () => {
  it("staff seed a course with two modules and a quiz that gates the second", async () => {
    const cookie = await sessionCookie(DEMO.staff);
    ids.course = idOf(
      await api(cookie, "POST", "/courses", {
        slug: `depth-${stamp}`,
        title: `Depth ${stamp}`,
        status: "published",
      }),
    );
    ids.m1 = idOf(
      await api(cookie, "POST", "/modules", { course_id: ids.course, title: "Bases", position: 1 }),
    );
    ids.m2 = idOf(
      await api(cookie, "POST", "/modules", { course_id: ids.course, title: "Suite", position: 2 }),
    );
    for (const [module_id, title, position] of [
      [ids.m1, "Leçon A", 1],
      [ids.m1, "Leçon B", 2],
      [ids.m2, "Leçon C", 1],
    ] as const)
      await api(cookie, "POST", "/lessons", {
        module_id,
        title,
        position,
        body_md: `## ${title}\n\nDu **texte**.`,
      });
    ids.quiz = idOf(
      await api(cookie, "POST", "/quizzes", {
        module_id: ids.m1,
        title: "Contrôle",
        gates_next: true,
        max_attempts: 2,
        pass_percent: 100,
        questions: [
          {
            kind: "single",
            prompt: "Qui interroger ?",
            choices: [
              { text: "Les utilisateurs", correct: true, feedback: "Oui." },
              { text: "Le client seul", feedback: "Une voix parmi d'autres." },
            ],
          },
          { kind: "short", prompt: "Le nom de la carte ?", accepted: ["carte d'empathie"] },
        ],
      }),
    );
    ids.cohort = idOf(
      await api(cookie, "POST", "/cohorts", {
        course_id: ids.course,
        name: `Depth ${stamp}`,
        start_date: day(-10),
      }),
    );
    const enrolment = await api(cookie, "POST", "/enrolments", {
      cohort_id: ids.cohort,
      email: learnerEmail,
      name: `Lina ${stamp}`,
    });
    invitation = siteUrl(String(enrolment.acceptPath));
    expect(invitation).toContain("/invitation?token=");
  });

  it("the learner starts, moves on, fails then passes the quiz, which opens the next module, and resumes", async () => {
    const page = await freshPage(context());
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(invitation, { waitUntil: "domcontentloaded" });
    await page.locator("#password").fill(DEMO_PASSWORD);
    await page.locator("#confirm").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: /activer mon compte/i }).click();
    await page.getByRole("status").waitFor();
    await signIn(page, learnerEmail);
    await page
      .getByRole("link", { name: /ouvrir le cours/i })
      .first()
      .click();
    expect(await page.getByTestId("learner-name").textContent()).toContain(learnerEmail); // the account has no name yet
    expect(await page.getByTestId("module-locked").count()).toBe(1);
    expect((await page.getByTestId("module-progress").allTextContents())[0]).toMatch(/0\/2/);
    await page.getByTestId("resume-link").click();
    expect(await page.locator("h1").textContent()).toBe("Leçon A");
    expect(await page.getByTestId("lesson-body").getAttribute("class")).toContain("prose");
    await page.getByRole("button", { name: /marquer comme terminée/i }).click();
    await page.getByTestId("lesson-completed").waitFor();
    await page.getByTestId("lesson-next").click();
    expect(await page.locator("h1").textContent()).toBe("Leçon B");
    expect(await page.getByTestId("lesson-next").count()).toBe(0); // the next module is locked
    await page.getByTestId("lesson-quiz-link").click();

    // a wrong attempt: feedback per answer, one attempt left
    await page.getByLabel("Le client seul").check();
    await page.getByLabel(/votre réponse/i).fill("persona");
    await page.getByRole("button", { name: /valider mes réponses/i }).click();
    await page.getByTestId("quiz-result").waitFor();
    const feedback = await page.getByTestId("quiz-feedback").allTextContents();
    expect(feedback[0]).toMatch(/réponse incorrecte.*une voix parmi d'autres/i);
    expect(await page.getByTestId("quiz-attempts-left").textContent()).toMatch(
      /1 tentative\(s\) restante\(s\) sur 2/,
    );
    // what they typed is still there for the second attempt
    expect(await page.getByLabel(/votre réponse/i).inputValue()).toBe("persona");
    await page.getByLabel("Les utilisateurs").check();
    await page.getByLabel(/votre réponse/i).fill("  Carte d'Empathie ");
    await page.getByRole("button", { name: /valider mes réponses/i }).click();
    await page.getByTestId("quiz-passed").waitFor();
    expect(await page.getByTestId("quiz-result").textContent()).toMatch(/2 \/ 2/);
    await screenshot(page, "bootcamp-quiz-passed");

    await page
      .getByRole("link", { name: /retour au cours/i })
      .first()
      .click();
    expect(await page.getByTestId("module-locked").count()).toBe(0);
    expect(await page.getByTestId("resume-link").textContent()).toMatch(/reprendre : leçon b/i);
    await page.getByTestId("resume-link").click();
    await page.getByTestId("lesson-next").click();
    expect(await page.locator("h1").textContent()).toBe("Leçon C");
    // finishing the course (no assignment in it) issues the certificate
    await page.getByRole("button", { name: /marquer comme terminée/i }).click();
    await page.getByTestId("lesson-completed").waitFor();
    await page.getByTestId("lesson-previous").click();
    expect(await page.locator("h1").textContent()).toBe("Leçon B");
    await page.getByRole("button", { name: /marquer comme terminée/i }).click();
    await page.getByTestId("lesson-completed").waitFor();

    // the learner's pages fit a phone: no sideways scroll, the header's sign-out in reach
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload({ waitUntil: "domcontentloaded" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.getByRole("button", { name: /se déconnecter/i }).isVisible()).toBe(true);
    await screenshot(page, "bootcamp-lesson-phone");
    expect(problems).toEqual([]); // no CSP violation or script error on the player's pages
    await page.close();
  });
});

describe("an instructor's tools", () => {
  it("edits the cohort and revokes the certificate with a reason; the public page says revoked", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl(`/crm/bootcamp/cohorts/${ids.cohort}`), { waitUntil: "domcontentloaded" });
    await page.getByTestId("edit-cohort").click();
    await page.locator("#c-name").fill(`Depth ${stamp} renamed`);
    await page.locator("#c-end").fill(day(60));
    await page.getByRole("button", { name: /enregistrer/i }).click();
    await page.getByTestId("form-done").waitFor();
    expect(await page.locator("h1").textContent()).toContain(`Depth ${stamp} renamed`);
    const certId =
      (await page.getByTestId("roster").locator("a.font-mono").first().textContent())?.trim() ?? "";
    expect(certId).toMatch(/^FPC-/);
    await page
      .getByText(/révoquer le certificat/i)
      .first()
      .click();
    await page.getByLabel(/motif/i).fill("Travail d'un autre");
    await page.getByTestId("revoke-submit").click();
    await page.getByTestId("form-done").waitFor();
    await page.goto(siteUrl(`/bootcamp/certificates/${certId}`), { waitUntil: "domcontentloaded" });
    expect(await page.getByTestId("certificate-revoked").textContent()).toMatch(/révoqué le/i);
    expect(await page.content()).not.toContain("Travail d'un autre");
    await screenshot(page, "bootcamp-certificate-revoked");
    await page.close();
  });

  it("reorders a module's lessons from the keyboard", async () => {
    const page = await freshPage(context());
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl(`/crm/bootcamp/courses/${ids.course}`), { waitUntil: "domcontentloaded" });
    const lessonTitles = async () =>
      (
        await page
          .getByTestId("crm-module")
          .first()
          .getByTestId("crm-lesson")
          .locator(":scope > details > summary")
          .allTextContents()
      ).map((t) => t.trim().split(" J+")[0]);
    expect(await lessonTitles()).toEqual(["Leçon A", "Leçon B"]);
    await page.getByRole("button", { name: "Descendre « Leçon A »" }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("form-done").waitFor();
    expect(await lessonTitles()).toEqual(["Leçon B", "Leçon A"]);
    await screenshot(page, "bootcamp-crm-reorder");
    expect(problems).toEqual([]); // the drag-and-drop script runs under the CSP
    await page.close();
  });
});
