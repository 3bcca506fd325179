/**
 * Saved views: a user's named filters and sort for one CRM screen, stored as a query string of allow-listed
 * keys. Only their owner lists or deletes them.
 */
import { z } from "zod";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import {
  MAX_VIEWS_PER_SCREEN,
  normalizeViewQuery,
  type ViewScreen,
  viewKeys,
  viewScreens,
} from "../vocabulary/crm.ts";
import type { CrmCtx } from "./scope.ts";

export { MAX_VIEWS_PER_SCREEN, normalizeViewQuery, type ViewScreen, viewKeys, viewScreens };

export const saveViewInput = z.strictObject({
  screen: z.enum(viewScreens),
  name: z.string().trim().min(1, "give the view a name").max(80),
  query: z.string().max(500),
});

export type SavedView = { id: string; screen: ViewScreen; name: string; query: string; created_at: string };

export async function listViews({ ctx, input }: { ctx: CrmCtx; input: { screen: string } }) {
  const screen = z.enum(viewScreens).safeParse(input.screen);
  if (!screen.success) throw validationError(screen.error.issues, "Unknown screen");
  const { results } = await ctx.db
    .prepare(
      "SELECT id, screen, name, query, created_at FROM saved_views WHERE user_id = ? AND screen = ? ORDER BY name LIMIT ?",
    )
    .bind(ctx.identity.id, screen.data, MAX_VIEWS_PER_SCREEN)
    .all<SavedView>();
  return results;
}

export async function saveView({ ctx, input }: { ctx: CrmCtx; input: unknown }): Promise<SavedView> {
  const { screen, name, query: raw } = parse(saveViewInput, input ?? {}, "view");
  const query = normalizeViewQuery(screen, raw);
  const count = await ctx.db
    .prepare("SELECT count(*) AS n FROM saved_views WHERE user_id = ? AND screen = ?")
    .bind(ctx.identity.id, screen)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= MAX_VIEWS_PER_SCREEN) {
    throw new DomainError(
      "CONFLICT",
      `You already have ${MAX_VIEWS_PER_SCREEN} views on this screen; delete one first.`,
    );
  }
  const view = { id: newId(), screen, name, query, created_at: nowIso(ctx.now()) };
  await ctx.db
    .prepare(
      "INSERT INTO saved_views (id, user_id, screen, name, query, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(view.id, ctx.identity.id, screen, name, query, view.created_at)
    .run();
  return view;
}

export async function deleteView({ ctx, input }: { ctx: CrmCtx; input: { id: string } }) {
  const res = await ctx.db
    .prepare("DELETE FROM saved_views WHERE id = ? AND user_id = ?")
    .bind(String(input.id).slice(0, 64), ctx.identity.id)
    .run();
  if (!res.meta.changes) throw new DomainError("NOT_FOUND", "No such view.");
}
