/**
 * The portal workspace's data for a page (portal home or the CRM's project portal page), read with the typed
 * client through the same proxy as the browser's calls (cookie forwarded, tenant from the host or the CRM's
 * project), in parallel. A part the API refuses shows empty (and is logged) rather than failing the page.
 */
import { isApiError, type Out, portalApi } from "@fataplus/api-client";
import type {
  ActivityItem,
  Approval,
  DocumentRow,
  FileRequest,
  getPortalCounters,
  listMessages,
} from "@fataplus/domain";
import { serverApiClient } from "./api.server";

export type Workspace = {
  documents: DocumentRow[];
  requests: FileRequest[];
  approvals: Approval[];
  messages: Out<typeof listMessages>;
  activity: ActivityItem[];
  counters: Out<typeof getPortalCounters> | null;
};

/** A read of the workspace, or `fallback` when the API refuses it. */
async function orElse<T>(part: string, read: Promise<T>, fallback: T): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (!isApiError(error)) throw error;
    console.error("portal workspace", part, error.status);
    return fallback;
  }
}

export async function loadWorkspace(request: Request, tenant: string, agency: boolean): Promise<Workspace> {
  const portal = portalApi(serverApiClient(request, tenant));
  const [documents, requests, approvals, messages, activity, counters] = await Promise.all([
    orElse("documents", portal.documents(), { rows: [], total: 0, totalCapped: false }),
    orElse("requests", portal.requests(), { rows: [] }),
    orElse("approvals", portal.approvals(), { rows: [] }),
    orElse("messages", portal.messages({ limit: 50 }), { rows: [], last_seq: 0, read_seq: 0, unread: 0 }),
    orElse("activity", portal.activity(), { rows: [] }),
    agency ? orElse("counters", portal.counters(), null) : Promise.resolve(null),
  ]);
  return {
    documents: documents.rows,
    requests: requests.rows,
    approvals: approvals.rows,
    messages,
    activity: activity.rows,
    counters,
  };
}

/** The signed-in person's unread messages in a project (0 when the thread can't be read). */
export async function unreadMessages(request: Request, tenant: string): Promise<number> {
  const read = portalApi(serverApiClient(request, tenant)).messages({ limit: 1 });
  return (await orElse("unread", read, { rows: [], last_seq: 0, read_seq: 0, unread: 0 })).unread;
}
