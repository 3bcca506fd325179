/**
 * The intake: what the public form asks and `POST /api/intake` accepts (one zod schema for both), and what an
 * analysis of it holds. The form reads its field caps from INTAKE_LIMITS, so the browser's `maxlength` and the
 * server's refusal are the same numbers.
 */
import { z } from "zod";
import {
  type AnswerKey,
  answerKeys,
  type BudgetBand,
  budgetBands,
  complexities,
  INTAKE_LIMITS,
  intakeSteps,
  type ProjectType,
  phaseKeys,
  projectTypes,
  type Timeline,
  timelines,
} from "../vocabulary/intake.ts";

export {
  type AnswerKey,
  answerKeys,
  type BudgetBand,
  budgetBands,
  complexities,
  INTAKE_LIMITS,
  intakeSteps,
  type ProjectType,
  phaseKeys,
  projectTypes,
  type Timeline,
  timelines,
};

/** Each band's bounds in cents (EUR); `unknown` has none. */
export const BUDGET_BAND_CENTS: Record<BudgetBand, { min: number; max: number } | null> = {
  lt_5k: { min: 0, max: 500_000 },
  "5k_15k": { min: 500_000, max: 1_500_000 },
  "15k_40k": { min: 1_500_000, max: 4_000_000 },
  "40k_100k": { min: 4_000_000, max: 10_000_000 },
  gt_100k: { min: 10_000_000, max: 50_000_000 },
  unknown: null,
};

/** Weeks available per timeline answer (upper bound), for the analyser's timeline risk. */
export const TIMELINE_WEEKS: Record<Timeline, number | null> = {
  asap: 4,
  "1_3_months": 13,
  "3_6_months": 26,
  "6_plus_months": null,
  flexible: null,
};

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((s) => (s ? s : undefined));

const linkList = z
  .string()
  .max(INTAKE_LIMITS.links, `must be at most ${INTAKE_LIMITS.links} characters`)
  .optional()
  .transform((s, ctx) => {
    const parts = (s ?? "")
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length > INTAKE_LIMITS.maxLinks) {
      ctx.addIssue({ code: "custom", message: `at most ${INTAKE_LIMITS.maxLinks} links` });
      return z.NEVER;
    }
    const urls: string[] = [];
    for (const p of parts) {
      const withScheme = /^https?:\/\//i.test(p) ? p : `https://${p}`;
      let url: URL;
      try {
        url = new URL(withScheme);
      } catch {
        ctx.addIssue({ code: "custom", message: `"${p.slice(0, 60)}" is not a web address` });
        return z.NEVER;
      }
      if (!/^https?:$/.test(url.protocol) || !url.hostname.includes(".")) {
        ctx.addIssue({ code: "custom", message: `"${p.slice(0, 60)}" is not a web address` });
        return z.NEVER;
      }
      urls.push(url.toString());
    }
    return urls;
  });

/** The body of `POST /api/intake` and the form's fields (the honeypot `website` must stay empty). */
export const intakeInput = z.strictObject({
  locale: z.enum(["fr", "en"]).default("fr"),
  idempotency_key: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,100}$/, "must be 16 to 100 letters, digits, - or _"),
  name: text(INTAKE_LIMITS.name).min(1, "is required"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(INTAKE_LIMITS.email)),
  phone: optionalText(INTAKE_LIMITS.phone),
  organisation: text(INTAKE_LIMITS.organisation).min(2, "is required"),
  role: optionalText(INTAKE_LIMITS.role),
  project_type: z.enum(projectTypes, { message: "choose a kind of project" }),
  goals: text(INTAKE_LIMITS.goals).min(10, "tell us a little more (10 characters or more)"),
  features: optionalText(INTAKE_LIMITS.features),
  assets: optionalText(INTAKE_LIMITS.assets),
  links: linkList,
  budget: z.enum(budgetBands, { message: "choose a budget band" }),
  timeline: z.enum(timelines, { message: "choose a timeline" }),
  /** Honeypot: hidden from people, filled by naive bots. */
  website: z.string().max(INTAKE_LIMITS.honeypot).optional(),
});
export type IntakeInput = z.input<typeof intakeInput>;
export type Intake = z.output<typeof intakeInput>;

const range = z
  .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
  .refine((r) => r.max >= r.min, "max must be at least min");

const cited = z.strictObject({ text: z.string().trim().min(1).max(500), source: z.enum(answerKeys) });

/** What every analyser returns (the AI adapters' output is validated against it before it is used). */
export const analysisSchema = z.strictObject({
  summary: z.string().trim().min(1).max(1500),
  project_type: z.enum(projectTypes),
  requirements: z.array(cited).min(1).max(30),
  risks: z.array(cited).max(20),
  open_questions: z.array(z.string().trim().min(1).max(500)).max(20),
  complexity: z.enum(complexities),
  effort_days: range,
  budget_cents: range,
  phases: z
    .array(
      z.strictObject({
        phase: z.enum(phaseKeys),
        name: z.string().trim().min(1).max(200),
        deliverable: z.string().trim().min(1).max(500),
        effort_days: z.number().int().min(0).max(1000),
        source: z.enum(answerKeys),
      }),
    )
    .min(1)
    .max(10),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** The JSON Schema of an analysis, given to the AI adapters as the structured output they must produce. */
export const analysisJsonSchema = z.toJSONSchema(analysisSchema) as Record<string, unknown>;
