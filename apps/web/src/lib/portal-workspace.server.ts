/**
 * The portal workspace's data for a page (portal home or the CRM's project portal page), read through the
 * same proxy as the browser's calls (cookie forwarded, tenant from the host or the CRM's project), in parallel.
 */
import { env } from "cloudflare:workers";
import type {
  ActivityItem,
  Approval,
  DocumentRow,
  FileRequest,
  MessagePage,
  PortalCounters,
} from "@fataplus/domain";
import { forwardToApi } from "./proxy";

export type Workspace = {
  documents: DocumentRow[];
  requests: FileRequest[];
  approvals: Approval[];
  messages: MessagePage;
  activity: ActivityItem[];
  counters: PortalCounters | null;
};

export async function loadWorkspace(request: Request, tenant: string, agency: boolean): Promise<Workspace> {
  const origin = new URL(request.url).origin;
  const cookie = request.headers.get("cookie");
  const get = async <T>(path: string, fallback: T): Promise<T> => {
    const res = await forwardToApi(
      env.API,
      new Request(`${origin}/api/app/portal/${path}`, { headers: cookie ? { cookie } : {} }),
      tenant,
    );
    if (!res.ok) {
      console.error("portal workspace", path, res.status);
      return fallback;
    }
    return (await res.json()) as T;
  };
  const [documents, requests, approvals, messages, activity, counters] = await Promise.all([
    get<{ rows: DocumentRow[] }>("documents", { rows: [] }),
    get<{ rows: FileRequest[] }>("requests", { rows: [] }),
    get<{ rows: Approval[] }>("approvals", { rows: [] }),
    get<MessagePage>("messages?limit=50", { rows: [], last_seq: 0, read_seq: 0, unread: 0 }),
    get<{ rows: ActivityItem[] }>("activity", { rows: [] }),
    agency ? get<PortalCounters | null>("counters", null) : Promise.resolve(null),
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
  const cookie = request.headers.get("cookie");
  const res = await forwardToApi(
    env.API,
    new Request(`${new URL(request.url).origin}/api/app/portal/messages?limit=1`, {
      headers: cookie ? { cookie } : {},
    }),
    tenant,
  );
  if (!res.ok) return 0;
  return ((await res.json()) as MessagePage).unread;
}
