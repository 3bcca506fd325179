/**
 * The public intake: `POST /api/intake` (no session; honeypot, per-IP rate limit, field caps and an idempotency
 * key are enforced by the domain verb). The analyser is picked from the configuration: Claude when an API key
 * is set, Workers AI when an `AI` binding exists, else the built-in one (decision 009).
 */
import {
  type AiBinding,
  builtinAnalyser,
  claudeAnalyser,
  type IntakeAnalyser,
  submitIntake,
  workersAiAnalyser,
} from "@fataplus/domain";
import type { Context, Hono } from "hono";
import { parseConfig } from "../config.ts";
import { readJsonBody } from "../http/body.ts";
import { toResponse } from "../http/errors.ts";
import { runtimeEnv } from "../runtime.ts";

type AnalyserEnv = {
  AI?: AiBinding;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  ANTHROPIC_MODEL?: string;
  WORKERS_AI_MODEL?: string;
};

export function configuredAnalyser(env: AnalyserEnv): IntakeAnalyser {
  if (env.ANTHROPIC_API_KEY) {
    return claudeAnalyser({
      apiKey: env.ANTHROPIC_API_KEY,
      ...(env.ANTHROPIC_BASE_URL ? { baseUrl: env.ANTHROPIC_BASE_URL } : {}),
      ...(env.ANTHROPIC_MODEL ? { model: env.ANTHROPIC_MODEL } : {}),
    });
  }
  if (env.AI && typeof env.AI.run === "function") {
    return workersAiAnalyser({
      ai: env.AI,
      ...(env.WORKERS_AI_MODEL ? { model: env.WORKERS_AI_MODEL } : {}),
    });
  }
  return builtinAnalyser;
}

/** The public site's origin for links in emails: configuration (PUBLIC_SITE_URL), never the request. */
export const siteOrigin = (_c?: Context): string => parseConfig(runtimeEnv()).siteUrl;

export const clientIp = (c: Context) => c.req.header("cf-connecting-ip") ?? "local";

export function registerIntakeRoutes(server: Hono): void {
  server.post("/api/intake", async (c) => {
    try {
      const env = runtimeEnv() as unknown as Env & AnalyserEnv;
      const result = await submitIntake({
        ctx: { db: env.DB, now: () => new Date() },
        input: await readJsonBody(c.req.raw, { maxBytes: 32_768, what: "The form" }),
        ip: clientIp(c),
        siteOrigin: siteOrigin(c),
        analyser: configuredAnalyser(env),
      });
      // A bot that filled the honeypot gets the same answer shape as a person, with nothing created.
      if (result.status === "ignored") return c.json({ ok: true }, 202, { "cache-control": "no-store" });
      return c.json(
        { ok: true, replayed: result.status === "replayed", subdomain: result.subdomain },
        result.status === "created" ? 201 : 200,
        { "cache-control": "no-store" },
      );
    } catch (err) {
      return toResponse(err);
    }
  });
}
