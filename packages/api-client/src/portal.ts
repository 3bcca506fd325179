/**
 * The client portal's API (`/api/app/portal/*`), on a project's subdomain or with a `forTenant` client. Each
 * answer's type is the result of the domain verb its route answers with; bodies are checked for their outer
 * shape only (see schemas.ts `shaped`).
 */
import type {
  getPortalCounters,
  getPortalHome,
  getPortalProposal,
  listApprovals,
  listDocuments,
  listFileRequests,
  listMessages,
  listPortalActivity,
  respondToProposal,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { anyArray, anyObject, type Out, shaped } from "./schemas";

const P = "/api/app/portal";
const rows = z.looseObject({ rows: anyArray });

export function portalApi(api: ApiClient) {
  const r = api.request;
  return {
    home: () =>
      r({
        method: "GET",
        path: `${P}/home`,
        schema: shaped<Out<typeof getPortalHome>>(
          z.looseObject({ tenant: anyObject, role: z.string(), projects: anyArray }),
        ),
      }),
    documents: () =>
      r({ method: "GET", path: `${P}/documents`, schema: shaped<Out<typeof listDocuments>>(rows) }),
    requests: () =>
      r({ method: "GET", path: `${P}/requests`, schema: shaped<Out<typeof listFileRequests>>(rows) }),
    approvals: () =>
      r({ method: "GET", path: `${P}/approvals`, schema: shaped<Out<typeof listApprovals>>(rows) }),
    /** The latest `limit` messages (the thread's page), with the reader's unread count. */
    messages: (query: { limit?: number; before?: number; after?: number } = {}) =>
      r({
        method: "GET",
        path: `${P}/messages`,
        query,
        schema: shaped<Out<typeof listMessages>>(z.looseObject({ rows: anyArray, unread: z.number() })),
      }),
    activity: () =>
      r({
        method: "GET",
        path: `${P}/activity`,
        schema: shaped<{ rows: Out<typeof listPortalActivity> }>(rows),
      }),
    /** The agency's counters of the project (403 for clients). */
    counters: () =>
      r({ method: "GET", path: `${P}/counters`, schema: shaped<Out<typeof getPortalCounters>>(anyObject) }),
    proposal: () =>
      r({
        method: "GET",
        path: `${P}/proposal`,
        schema: shaped<Out<typeof getPortalProposal>>(z.looseObject({ proposal: anyObject })),
      }),
    respond: (body: {
      decision: string;
      version: number;
      note?: string;
      signer_name?: string;
      terms?: boolean;
      options?: number[];
    }) =>
      r({
        method: "POST",
        path: `${P}/proposal/respond`,
        body,
        schema: shaped<Out<typeof respondToProposal>>(anyObject),
      }),
  };
}

export type PortalApi = ReturnType<typeof portalApi>;
