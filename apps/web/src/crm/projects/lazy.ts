/**
 * Loads ./actions (schemas + API client) once, on the first focus of a form or at submit at the latest, and
 * the kanban's status moves as one small fetch (no client library on the board's first load).
 */
let pending: Promise<typeof import("./actions")> | null = null;

export function loadActions(): Promise<typeof import("./actions")> {
  pending ??= import("./actions").catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** For onFocus / onPointerEnter: start loading, ignore failures (submit will retry and report). */
export function warmActions(): void {
  loadActions().catch(() => undefined);
}

/**
 * PUT /api/data/<entity>/<id>?tenant=<sub> with { status }, through the site's proxy. Throws an Error with the
 * API's message when it refuses, so the kanban puts the card back and says why.
 */
export async function saveStatus(entity: "tasks" | "projects", tenant: string, id: string, status: string) {
  const url = `/api/data/${entity}/${encodeURIComponent(id)}?tenant=${encodeURIComponent(tenant)}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ status }),
    });
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error));
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message || `HTTP ${res.status}`);
  }
}
