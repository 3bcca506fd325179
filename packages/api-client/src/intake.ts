/**
 * The intake's API: the public form (`POST /api/intake`) and staff's side of a lead from it (its intake,
 * analysis and proposal; `/api/app/crm/leads/:id/*`). Answers typed from the domain verbs (see schemas.ts).
 */
import type { decideLead, getIntakeLead, sendProposal, updateProposal } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { anyObject, type Out, shaped } from "./schemas";

const lead = (id: string) => `/api/app/crm/leads/${encodeURIComponent(id)}`;

export type IntakeLead = Out<typeof getIntakeLead>;

export function intakeApi(api: ApiClient) {
  const r = api.request;
  const proposal = <T>() => shaped<{ proposal: T }>(z.looseObject({ proposal: anyObject }));
  return {
    /** The public form: 201 created, 200 replayed (same idempotency key), 202 ignored (the honeypot). */
    submit: (body: Record<string, unknown>) =>
      r({
        method: "POST",
        path: "/api/intake",
        body,
        schema: z.looseObject({ ok: z.literal(true), subdomain: z.string().optional() }),
      }),
    lead: (id: string) =>
      r({
        method: "GET",
        path: `${lead(id)}/intake`,
        schema: shaped<IntakeLead>(z.looseObject({ lead: anyObject, intake: anyObject, tenant: anyObject })),
      }),
    saveProposal: (id: string, body: unknown) =>
      r({
        method: "PUT",
        path: `${lead(id)}/proposal`,
        body,
        schema: proposal<Out<typeof updateProposal>>(),
      }),
    sendProposal: (id: string, version: number) =>
      r({
        method: "POST",
        path: `${lead(id)}/proposal/send`,
        body: { version },
        schema: proposal<Out<typeof sendProposal>>(),
      }),
    decide: (id: string, decision: "accept" | "reject") =>
      r({
        method: "POST",
        path: `${lead(id)}/decision`,
        body: { decision },
        schema: shaped<Out<typeof decideLead>>(anyObject),
      }),
  };
}

export type IntakeApi = ReturnType<typeof intakeApi>;
