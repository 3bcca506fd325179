/**
 * The CRM's lists and saved views: page sizes, the columns each list sorts by, the query keys a saved view
 * keeps, and the outbox's statuses. crm/lists.ts and crm/views.ts validate with these; the site builds its
 * links and filters from them.
 */

/** Rows per page of a CRM list unless the query asks otherwise, and the most it may ask for. */
export const CRM_PAGE_SIZE = 25;
export const CRM_MAX_PAGE_SIZE = 100;
/** The last page a CRM list serves. */
export const CRM_MAX_PAGE = 10_000;

export const sortDirections = ["asc", "desc"] as const;
export type SortDirection = (typeof sortDirections)[number];

export const clientSorts = ["name", "created_at", "updated_at"] as const;
export const leadSorts = ["title", "created_at", "updated_at", "value_cents", "stage"] as const;
export const projectSorts = ["name", "created_at", "due_date", "status"] as const;

export const viewScreens = ["clients", "leads", "projects", "tasks"] as const;
export type ViewScreen = (typeof viewScreens)[number];

/** The query keys each screen understands; anything else is dropped from a saved view. */
export const viewKeys: Readonly<Record<ViewScreen, readonly string[]>> = {
  clients: ["q", "sort", "dir", "kind", "tenant", "pageSize"],
  leads: ["q", "sort", "dir", "stage", "tenant", "view", "pageSize"],
  projects: ["q", "sort", "dir", "status", "phase", "view", "pageSize"],
  tasks: ["q", "sort", "dir", "status", "priority", "assignee", "view"],
};

export const MAX_VIEWS_PER_SCREEN = 20;

/** Keeps only the screen's keys, non-empty values, in a stable order. */
export function normalizeViewQuery(screen: ViewScreen, query: string): string {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const out = new URLSearchParams();
  for (const key of viewKeys[screen]) {
    const value = params.get(key);
    if (value) out.set(key, value.slice(0, 100));
  }
  return out.toString();
}

export const outboxStatuses = ["queued", "sending", "sent", "stored", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
