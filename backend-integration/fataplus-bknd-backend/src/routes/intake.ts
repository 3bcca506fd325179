/**
 * The intake's routes (decision 009).
 *  - `POST /api/intake`, public: the intake form (no session; honeypot, per-IP rate limit, field caps and an
 *    idempotency key are enforced by the domain verb). The analyser is picked from the configuration: Claude
 *    when an API key is set, Workers AI when an `AI` binding exists, else the built-in one.
 *  - Behind sign-in: staff read a lead with its analysis and proposal, edit and send the proposal, accept or
 *    reject the lead (CRM); the client reads and answers the proposal (portal).
 */
import {
  builtinAnalyser,
  claudeAnalyser,
  decideLead,
  getIntakeLead,
  getPortalProposal,
  type IntakeAnalyser,
  respondToProposal,
  sendProposal,
  submitIntake,
  updateProposal,
  workersAiAnalyser,
} from "@fataplus/domain";
import type { AnalyserConfig } from "../config.ts";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, identityCtx, systemCtx, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { handle, jsonBody, param } from "../http/handler.ts";
import { clientIp } from "../http/request.ts";

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
const siteOrigin = (c: AppContext): string => c.get("config").siteUrl;

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

export function registerIntakeAppRoutes(server: AppServer): void {
  server.get(
    "/api/app/crm/leads/:id/intake",
    handle((c) => getIntakeLead({ ctx: identityCtx(c), input: { id: param(c, "id") } })),
  );
  server.put(
    "/api/app/crm/leads/:id/proposal",
    handle(async (c) => ({
      proposal: await updateProposal({
        ctx: identityCtx(c),
        input: { id: param(c, "id"), body: await jsonBody(c) },
      }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/proposal/send",
    handle(async (c) => ({
      proposal: await sendProposal({
        ctx: identityCtx(c),
        input: { id: param(c, "id"), body: await jsonBody(c) },
        siteOrigin: siteOrigin(c),
      }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/decision",
    handle(async (c) =>
      decideLead({ ctx: identityCtx(c), input: { id: param(c, "id"), body: await jsonBody(c) } }),
    ),
  );
  server.get(
    "/api/app/portal/proposal",
    handle(async (c) => getPortalProposal({ ctx: tenantCtx(c) })),
  );
  server.post(
    "/api/app/portal/proposal/respond",
    handle(async (c) =>
      respondToProposal({
        ctx: tenantCtx(c),
        input: await jsonBody(c),
        source: { ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null },
      }),
    ),
  );
}
