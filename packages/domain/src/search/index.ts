/**
 * One search across everything the caller may read in a tenant: each entity whose definition says how it is
 * searched (records/entities.ts: clients and projects by name, tasks and leads by title). Entities the role may not read are skipped, not counted. Each query names the
 * tenant and runs on an index whose first column is tenant_id; one D1 batch in all.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { can, type ExposedEntity } from "../kernel/roles.ts";
import { entities, exposedEntityNames } from "../records/entities.ts";

export const searchInput = z.strictObject({
  query: z.string().trim().min(2, "must be at least 2 characters").max(100),
  limit: z.number().int().min(1).max(50).default(10),
});

export type SearchHit = {
  entity: ExposedEntity;
  id: string;
  label: string;
  status: string | null;
  project_id: string | null;
  updated_at: string;
};

/** `%term%` for LIKE with `ESCAPE '\'`: % and _ typed by the user match themselves. */
function contains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export async function searchEverything({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<{ query: string; results: SearchHit[]; searched: ExposedEntity[] }> {
  const { query, limit } = parse(searchInput, input, "search");
  const searched = exposedEntityNames.flatMap((e) => {
    const s = entities[e].search;
    return s && can(ctx.role, e, "read") ? [{ entity: e, ...s }] : [];
  });
  if (searched.length === 0) return { query, results: [], searched: [] };
  const pattern = contains(query);
  const batches = await ctx.db.batch<Omit<SearchHit, "entity">>(
    searched.map((s) =>
      ctx.db
        .prepare(
          `SELECT id, ${s.label} AS label, ${s.status} AS status, ${s.project} AS project_id, updated_at
           FROM ${s.entity} WHERE tenant_id = ? AND ${s.label} LIKE ? ESCAPE '\\'
           ORDER BY updated_at DESC, id LIMIT ?`,
        )
        .bind(ctx.tenant.id, pattern, limit),
    ),
  );
  const results = searched.flatMap(({ entity }, i) =>
    (batches[i]?.results ?? []).map((r) => ({ entity, ...r })),
  );
  return { query, results, searched: searched.map((s) => s.entity) };
}
