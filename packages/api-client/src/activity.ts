/** Timelines of clients and leads (decision 030). Needs a client made with `forTenant` (the record's tenant). */
import type { RecordTimeline } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { shaped } from "./schemas";

export function activityApi(api: ApiClient) {
  return {
    /** `GET /api/app/project/timeline/:subject/:id`: a page of the record's history, newest first. */
    timeline: (subject: "clients" | "leads", id: string, before?: string | null) =>
      api.request({
        method: "GET",
        path: `/api/app/project/timeline/${subject}/${encodeURIComponent(id)}`,
        query: before ? { before } : undefined,
        schema: shaped<RecordTimeline>(z.looseObject({ rows: z.array(z.looseObject({})) })),
      }),
  };
}
