/**
 * The public intake: `POST /api/intake` (no session; honeypot, per-IP rate limit, field caps and an idempotency
 * key are enforced by the domain verb). The analyser is picked from the configuration: Claude when an API key
 * is set, Workers AI when an `AI` binding exists, else the built-in one (decision 009).
 */
import {
  builtinAnalyser,
  claudeAnalyser,
  type IntakeAnalyser,
  submitIntake,
  workersAiAnalyser,
} from "@fataplus/domain";
import type { AnalyserConfig } from "../config.ts";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, systemCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

export function configuredAnalyser(config: AnalyserConfig): IntakeAnalyser {
  switch (config.kind) {
    case "claude": {
      const { kind: _, ...opts } = config;
      return claudeAnalyser(opts);
    }
    case "workers-ai": {
      const { kind: _, ...opts } = config;
      return workersAiAnalyser(opts);
    }
    case "builtin":
      return builtinAnalyser;
  }
}

/** The public site's origin for links in emails: configuration (PUBLIC_SITE_URL), never the request. */
export const siteOrigin = (c: AppContext): string => c.get("config").siteUrl;

export const clientIp = (c: AppContext) => c.req.header("cf-connecting-ip") ?? "local";

export function registerIntakeRoutes(server: AppServer): void {
  server.post("/api/intake", async (c) => {
    try {
      const result = await submitIntake({
        ctx: systemCtx(c),
        input: await readJsonBody(c.req.raw, { maxBytes: 32_768, what: "The form" }),
        ip: clientIp(c),
        siteOrigin: siteOrigin(c),
        analyser: configuredAnalyser(c.get("config").analyser),
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
