/**
 * One search across everything the caller may read in a tenant: each entity whose definition says how it is
 * searched (records/entities.ts: clients and projects by name, tasks and leads by title, notes by body).
 * Entities the role may not read are skipped, not counted. Each entity is one query on the full-text index
 * (search/fts.ts, decision 016) with the tenant named inside the MATCH expression: it reads `limit` index rows
 * and `limit` records at most, whatever the tenant holds and whatever the others hold; one D1 batch in all.
 *
 * A record matches when its label has a word starting with each word typed, in any order, accents and case
 * aside ("ecole web" finds "Site web de l'École"). Per entity, the `limit` newest matching records are shown,
 * most recently updated first.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { can, type ExposedEntity } from "../kernel/roles.ts";
import { entities, exposedEntityNames } from "../records/entities.ts";
import { ftsMatch, ftsTerms } from "./fts.ts";

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

/** A column of the record (`x`), or SQL NULL where the entity has none. */
const column = (c: string) => (c === "NULL" ? "NULL" : `x.${c}`);

/** Most recently updated first, then by id: the order the search has always shown. */
const byUpdate = (a: SearchHit, b: SearchHit) =>
  a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

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
  const terms = ftsTerms(query);
  if (searched.length === 0 || terms === null)
    return { query, results: [], searched: searched.map((s) => s.entity) };
  const batches = await ctx.db.batch<Omit<SearchHit, "entity">>(
    searched.map((s) =>
      ctx.db
        .prepare(
          `SELECT x.id, ${column(s.label)} AS label, ${column(s.status)} AS status,
             ${column(s.project)} AS project_id, x.updated_at
           FROM search_fts f JOIN ${s.entity} x ON x.rowid = f.rowid >> 3
           WHERE search_fts MATCH ? AND x.tenant_id = ?
           ORDER BY f.rowid DESC LIMIT ?`,
        )
        .bind(ftsMatch(s.entity, [ctx.tenant.id], terms), ctx.tenant.id, limit),
    ),
  );
  const results = searched.flatMap(({ entity }, i) =>
    (batches[i]?.results ?? []).map((r): SearchHit => ({ entity, ...r })).sort(byUpdate),
  );
  return { query, results, searched: searched.map((s) => s.entity) };
}
