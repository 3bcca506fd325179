/**
 * A project's members and pending invitations, with what the viewer may do to each (decision 026): change a
 * member's role, remove a member (after a confirmation), re-send an invitation (a new link; the old one stops
 * working) or revoke it (after a confirmation). The page says which roles the viewer manages; the API decides
 * again. After a change the page reloads with a message (it is server-rendered).
 */
import { useEffect, useState } from "react";
import { callApi, describeFailure } from "../../lib/http";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { reloadWithFlash, secondaryButton, takeFlash } from "../ui/Modal";
import { toast } from "../ui/toast";

type Strings = Record<string, string>;
export type TeamMember = {
  user_id: number;
  email: string;
  name: string | null;
  role: string;
  status: string;
  you: boolean;
};
export type TeamInvitation = { id: string; email: string; role: string; expires: string; expired: boolean };

const fill = (text: string, vars: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

const badge = "inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap";
const roleClass: Record<string, string> = {
  client: "bg-stone-100 text-stone-800",
  partner: "bg-violet-100 text-violet-900",
  project_manager: "bg-sky-100 text-sky-900",
  admin: "bg-green-100 text-green-900",
};
const dangerLink =
  "rounded-lg border border-red-200 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 focus-visible:ring-2 focus-visible:ring-red-700";

type Pending = { kind: "remove"; member: TeamMember } | { kind: "revoke"; invitation: TeamInvitation } | null;

export default function TeamPanel(props: {
  tenant: string;
  members: TeamMember[];
  invitations: TeamInvitation[];
  /** The roles the viewer may grant, change and remove (roles.ts `managedRoles`). */
  manages: string[];
  /** Whether the viewer may re-send invitations (the agency's people: the new link is shown to them). */
  resends: boolean;
  s: Strings;
  empty: { members: string; invitations: string };
  title: { invitations: string };
}) {
  const { s } = props;
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  useEffect(() => {
    const flash = takeFlash();
    if (flash) toast(flash);
  }, []);
  const roleLabel = (r: string) => s[`role.${r}`] ?? r;
  const nameOf = (m: TeamMember) => m.name ?? m.email;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      toast(describeFailure(error, s.error ?? "").message);
      setBusy(false);
      setPending(null);
    }
  }

  const changeRole = (m: TeamMember, role: string) =>
    run(async () => {
      await callApi("PUT", `/api/app/project/members/${m.user_id}`, { tenant: props.tenant, body: { role } });
      reloadWithFlash(fill(s["member.roleChanged"] ?? "", { name: nameOf(m), role: roleLabel(role) }));
    });

  const resend = (i: TeamInvitation) =>
    run(async () => {
      const out = await callApi<{ acceptPath: string }>(
        "POST",
        `/api/app/project/invitations/${encodeURIComponent(i.id)}/resend`,
        { tenant: props.tenant },
      );
      setLink(new URL(out.acceptPath, location.origin).href);
      toast(fill(s["invitation.resent"] ?? "", { email: i.email }));
      setBusy(false);
    });

  const confirm = () =>
    run(async () => {
      if (pending?.kind === "remove") {
        await callApi("DELETE", `/api/app/project/members/${pending.member.user_id}`, {
          tenant: props.tenant,
        });
        reloadWithFlash(fill(s["member.removed"] ?? "", { name: nameOf(pending.member) }));
      } else if (pending?.kind === "revoke") {
        await callApi("DELETE", `/api/app/project/invitations/${encodeURIComponent(pending.invitation.id)}`, {
          tenant: props.tenant,
        });
        reloadWithFlash(fill(s["invitation.revoked"] ?? "", { email: pending.invitation.email }));
      }
    });

  const mayTouch = (role: string) => props.manages.includes(role);
  const anyActions = props.manages.length > 0;

  return (
    <div>
      {props.members.length === 0 ? (
        <p className="text-sm text-stone-600">{props.empty.members}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="members">
            <thead className="border-b border-stone-200 text-left text-stone-600">
              <tr>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  {s["member.name"]}
                </th>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  {s["member.email"]}
                </th>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  {s["member.role"]}
                </th>
                {anyActions && (
                  <th scope="col" className="py-2 font-semibold">
                    <span className="sr-only">{s["member.actions"]}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {props.members.map((m) => {
                const editable = anyActions && !m.you && mayTouch(m.role);
                return (
                  <tr key={m.user_id} data-testid={`member-${m.email}`}>
                    <td className="py-2 pr-4 font-medium">
                      {m.name ?? "—"}
                      {m.you && <span className="ml-1 text-stone-600">({s["member.you"]})</span>}
                      {m.status === "disabled" && (
                        <span className={`${badge} ml-2 bg-red-50 text-red-800`}>{s["member.disabled"]}</span>
                      )}
                    </td>
                    <td className="py-2 pr-4 text-stone-700">{m.email}</td>
                    <td className="py-2 pr-4">
                      {editable ? (
                        <select
                          aria-label={fill(s["member.roleOf"] ?? "", { name: nameOf(m) })}
                          value={m.role}
                          disabled={busy}
                          onChange={(e) => changeRole(m, e.currentTarget.value)}
                          className="rounded-lg border border-stone-300 bg-white px-2 py-1 text-sm"
                          data-testid="member-role"
                        >
                          {props.manages.map((r) => (
                            <option key={r} value={r}>
                              {roleLabel(r)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className={`${badge} ${roleClass[m.role] ?? ""}`}>{roleLabel(m.role)}</span>
                      )}
                    </td>
                    {anyActions && (
                      <td className="py-2 text-right">
                        {editable && (
                          <button
                            type="button"
                            className={dangerLink}
                            disabled={busy}
                            onClick={() => setPending({ kind: "remove", member: m })}
                            data-testid="member-remove"
                          >
                            {s["member.remove"]}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="mt-6 mb-2 font-semibold text-stone-900">{props.title.invitations}</h3>
      {props.invitations.length === 0 ? (
        <p className="text-sm text-stone-600">{props.empty.invitations}</p>
      ) : (
        <ul className="divide-y divide-stone-100 text-sm" data-testid="invitations">
          {props.invitations.map((i) => (
            <li
              key={i.id}
              className="flex flex-wrap items-center gap-3 py-2"
              data-testid={`invitation-${i.email}`}
            >
              <span className="font-medium">{i.email}</span>
              <span className={`${badge} ${roleClass[i.role] ?? ""}`}>{roleLabel(i.role)}</span>
              <span className={i.expired ? "font-medium text-red-700" : "text-stone-600"}>
                {i.expired
                  ? s["invitation.expired"]
                  : fill(s["invitation.expires"] ?? "", { date: i.expires })}
              </span>
              {mayTouch(i.role) && (
                <span className="ml-auto flex gap-2">
                  {props.resends && (
                    <button
                      type="button"
                      className={secondaryButton}
                      disabled={busy}
                      onClick={() => resend(i)}
                      data-testid="invitation-resend"
                    >
                      {s["invitation.resend"]}
                    </button>
                  )}
                  <button
                    type="button"
                    className={dangerLink}
                    disabled={busy}
                    onClick={() => setPending({ kind: "revoke", invitation: i })}
                    data-testid="invitation-revoke"
                  >
                    {s["invitation.revoke"]}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {link && (
        <div className="mt-3 rounded-lg border border-green-200 bg-green-50 p-3" data-testid="resent-link">
          <label htmlFor="resent-url" className="text-sm font-medium text-green-950">
            {s["invitation.newLink"]}
          </label>
          <input
            id="resent-url"
            readOnly
            value={link}
            onFocus={(e) => e.currentTarget.select()}
            className="mt-1 w-full rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-xs"
          />
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        busy={busy}
        title={
          pending?.kind === "remove"
            ? fill(s["member.removeTitle"] ?? "", { name: nameOf(pending.member) })
            : pending?.kind === "revoke"
              ? fill(s["invitation.revokeTitle"] ?? "", { email: pending.invitation.email })
              : ""
        }
        message={
          pending?.kind === "remove"
            ? fill(s["member.removeBody"] ?? "", { name: nameOf(pending.member) })
            : pending?.kind === "revoke"
              ? fill(s["invitation.revokeBody"] ?? "", { email: pending.invitation.email })
              : ""
        }
        confirmLabel={
          pending?.kind === "revoke" ? (s["invitation.revoke"] ?? "") : (s["member.remove"] ?? "")
        }
        cancelLabel={s.cancel ?? ""}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}
