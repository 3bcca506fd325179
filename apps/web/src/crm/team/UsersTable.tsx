/**
 * The agency's accounts (agency admins): deactivate one, after a confirmation (every session and API token of
 * theirs ends at once), or reactivate it. The API refuses one's own account and the last active admin.
 */
import { useEffect, useState } from "react";
import { callApi, describeFailure } from "../../lib/http";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { reloadWithFlash, secondaryButton, takeFlash } from "../ui/Modal";
import { toast } from "../ui/toast";

type Strings = Record<string, string>;
export type AgencyUserRow = {
  id: number;
  email: string;
  name: string | null;
  role: string;
  status: string;
  projects: number;
  you: boolean;
};

const fill = (text: string, vars: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
const badge = "inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap";
const statusClass: Record<string, string> = {
  active: "bg-green-100 text-green-900",
  disabled: "bg-red-100 text-red-900",
  invited: "bg-stone-100 text-stone-800",
};

export default function UsersTable(props: { users: AgencyUserRow[]; s: Strings }) {
  const { s } = props;
  const [pending, setPending] = useState<AgencyUserRow | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const flash = takeFlash();
    if (flash) toast(flash);
  }, []);

  async function setStatus(u: AgencyUserRow, status: "active" | "disabled") {
    setBusy(true);
    try {
      await callApi("PUT", `/api/app/agency/users/${u.id}/status`, { body: { status } });
      reloadWithFlash(
        fill(s[status === "disabled" ? "users.deactivated" : "users.reactivated"] ?? "", { email: u.email }),
      );
    } catch (error) {
      toast(describeFailure(error, s.error ?? "").message);
      setBusy(false);
      setPending(null);
    }
  }

  if (props.users.length === 0) return <p className="text-stone-600">{s["users.empty"]}</p>;
  return (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
      <table className="w-full text-sm" data-testid="users">
        <thead className="border-b border-stone-200 text-left text-stone-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-semibold">
              {s["member.name"]}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {s["member.email"]}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {s["users.agencyRole"]}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {s["users.projects"]}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {s["users.status"]}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              <span className="sr-only">{s["member.actions"]}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {props.users.map((u) => (
            <tr key={u.id} data-testid={`user-${u.email}`}>
              <td className="px-4 py-2 font-medium">
                {u.name ?? "—"}
                {u.you && <span className="ml-1 text-stone-600">({s["member.you"]})</span>}
              </td>
              <td className="px-4 py-2 text-stone-700">{u.email}</td>
              <td className="px-4 py-2">{s[`users.agency.${u.role}`] ?? u.role}</td>
              <td className="px-4 py-2">{u.projects}</td>
              <td className="px-4 py-2">
                <span className={`${badge} ${statusClass[u.status] ?? ""}`} data-testid="user-status">
                  {s[`users.status.${u.status}`] ?? u.status}
                </span>
              </td>
              <td className="px-4 py-2 text-right">
                {!u.you && u.status === "active" && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => setPending(u)}
                    className="rounded-lg border border-red-200 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 focus-visible:ring-2 focus-visible:ring-red-700"
                    data-testid="user-deactivate"
                  >
                    {s["users.deactivate"]}
                  </button>
                )}
                {u.status === "disabled" && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => setStatus(u, "active")}
                    className={secondaryButton}
                    data-testid="user-reactivate"
                  >
                    {s["users.reactivate"]}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={pending !== null}
        busy={busy}
        title={fill(s["users.deactivateTitle"] ?? "", { email: pending?.email ?? "" })}
        message={s["users.deactivateBody"] ?? ""}
        confirmLabel={s["users.deactivate"] ?? ""}
        cancelLabel={s.cancel ?? ""}
        onConfirm={() => pending && setStatus(pending, "disabled")}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}
