/**
 * The full-text index of the search and the CRM lists (migrations/0011_search_fts.sql, decision 016).
 *
 * One FTS5 table, `search_fts`, indexes clients (name; email), projects (name), tasks (title), leads (title;
 * contact_name) and notes (body), kept by triggers in the same statement as every write. A record's FTS rowid is
 * its rowid * 8 + its entity's number, so `x.rowid = search_fts.rowid >> 3` finds it by rowid. Its `scope`
 * column holds one token, '0' + the entity + the tenant id without dashes ("0tasksFP2026X7K9M3P1A"): a query
 * names its tenant inside the MATCH expression, and FTS returns that tenant's rows only, newest first, as few
 * as the LIMIT asks (it never reads the others).
 *
 * What a person types is never FTS syntax. A query is cut into words at white space, each word into the
 * letters and digits the tokenizer keeps; a word becomes one quoted phrase of those (so `"`, `*`, `:`, `^`,
 * parentheses, `AND`/`OR`/`NOT`/`NEAR` and column names are plain text), searched as a prefix when its last
 * part has two characters or more, and the words are ANDed, inside the one column searched. A query without a
 * letter or digit matches nothing. Never read the FTS table's columns, only its rowid: with external content a
 * column read looks its row up in the view `search_source`, which has no index.
 */
import type { ExposedEntity } from "../kernel/roles.ts";

/** The entity's number in the FTS rowid (rowid * 8 + n): fixed by the migration's view and triggers. */
export const ftsEntityNumber = {
  clients: 1,
  projects: 2,
  tasks: 3,
  leads: 4,
  notes: 5,
} as const satisfies Record<ExposedEntity, number>;

/**
 * The tables of the index (the FTS table and its shadow tables): derived from the records by triggers, with no
 * tenant_id of their own (the scope token carries it), never exported, rebuilt by `rebuildSearchIndex`.
 */
export const searchIndexTables = [
  "search_fts",
  "search_fts_config",
  "search_fts_data",
  "search_fts_idx",
] as const;

/** The view the index is built from (its external content). */
export const searchIndexView = "search_source";

/** Characters the unicode61 tokenizer keeps in a token (letters, digits, private use); the rest separates. */
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

/**
 * The MATCH terms of what a person typed: each word a quoted phrase of its tokens, a prefix when its last token
 * has 2 characters or more (prefix indexes serve 2 to 8; a one-letter prefix would merge every word starting
 * with that letter), the words ANDed. Null when nothing is left to match.
 */
export function ftsTerms(query: string): string | null {
  const phrases: string[] = [];
  for (const word of query.normalize("NFC").split(/\s+/u)) {
    const tokens = word.split(SEPARATORS).filter((t) => t !== "");
    const last = tokens.at(-1);
    if (last === undefined) continue;
    // tokens hold letters and digits only; a `"` can't be in one, doubling it is belt and braces
    const phrase = `"${tokens.join(" ").replaceAll('"', '""')}"`;
    phrases.push([...last].length >= 2 ? `${phrase}*` : phrase);
  }
  return phrases.length === 0 ? null : phrases.join(" ");
}

/** The scope token of an entity's rows in one tenant (the migration's view and triggers write the same). */
export function ftsScopeToken(entity: ExposedEntity, tenantId: string): string {
  return `0${entity}${tenantId.replaceAll("-", "")}`;
}

/**
 * The MATCH expression: `terms` (from `ftsTerms`) in `columns` of `entity`'s rows of these tenants. The scope
 * tokens are quoted like the terms: tenant ids come from the database, never from the caller, but nothing
 * here relies on it.
 */
export function ftsMatch(
  entity: ExposedEntity,
  tenantIds: readonly string[],
  terms: string,
  columns: "label" | "label extra" = "label",
): string {
  const scope = tenantIds.map((t) => `"${ftsScopeToken(entity, t).replaceAll('"', '""')}"`).join(" OR ");
  return `scope : (${scope}) AND {${columns}} : (${terms})`;
}

/**
 * The MATCH expression of `terms` in `columns` of every tenant's rows (no scope token): for a read that
 * filters the records by tenant afterwards, keeping `entity`'s FTS rowids only (`rowid & 7`).
 */
export function ftsMatchAnyTenant(terms: string, columns: "label" | "label extra" = "label"): string {
  return `{${columns}} : (${terms})`;
}

/**
 * Ids of `entity`'s rows in these tenants whose searched text (the label, and a client's email or a lead's
 * contact name) has every word of `q`, newest first, at most `limit`: what a list's text filter can join on
 * (`id IN (…)`) instead of a LIKE over every row. Reads at most `limit` index rows and `limit` records.
 * Empty when `q` has no letter or digit, or no tenant is given.
 */
export async function matchIds({
  db,
  tenantIds,
  entity,
  q,
  limit,
}: {
  db: D1Database;
  tenantIds: readonly string[];
  entity: ExposedEntity;
  q: string;
  limit: number;
}): Promise<string[]> {
  const terms = ftsTerms(q);
  if (terms === null || tenantIds.length === 0 || limit < 1) return [];
  const { results } = await db
    .prepare(
      `SELECT x.id FROM search_fts f JOIN ${entity} x ON x.rowid = f.rowid >> 3
       WHERE search_fts MATCH ? AND x.tenant_id IN (SELECT value FROM json_each(?))
       ORDER BY f.rowid DESC LIMIT ?`,
    )
    .bind(ftsMatch(entity, tenantIds, terms, "label extra"), JSON.stringify(tenantIds), limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Rebuilds the whole index from the records (after anything that bypassed the triggers or renumbered rowids). */
export async function rebuildSearchIndex({ db }: { db: D1Database }): Promise<void> {
  await db.prepare("INSERT INTO search_fts (search_fts) VALUES ('rebuild')").run();
}

/**
 * Whether the index matches the records, token for token (FTS5's integrity check against its content: it reads
 * every record, like a rebuild). Returns the problem found, or null.
 */
export async function checkSearchIndex({ db }: { db: D1Database }): Promise<string | null> {
  try {
    await db.prepare("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)").run();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
