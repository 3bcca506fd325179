/**
 * Inviting a member into a project (its admins and agency admins; the API refuses everyone else). The
 * acceptance link is shown once, to copy and send: the API keeps only a hash of the token.
 */
import { useRef, useState } from "react";
import type { InviteLabels, Option } from "../../i18n/crm-projects-tasks";
import { Field } from "../ui/Field";
import { primaryButton, secondaryButton } from "../ui/Modal";
import { toast } from "../ui/toast";
import { FormAlert, type Refusal } from "../ui/useCrmForm";
import { useActionsForm, warmActions } from "./lazy";

export default function InviteForm(props: { tenant: string; labels: InviteLabels; roles: Option[] }) {
  const L = props.labels;
  const { errors, alert, busy, setBusy, submit } = useActionsForm({
    failed: L.error,
    invalid: null,
    localise: () => ({ email: L.errEmail }),
    refused: (_, __, d): Refusal => ({
      message: d.message,
      fields: d.fields.email ? { email: L.errEmail } : {},
    }),
  });
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const linkRef = useRef<HTMLInputElement>(null);

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
    } catch {
      linkRef.current?.select();
      document.execCommand("copy");
    }
    toast(L.copied);
  }

  return (
    <div>
      <form
        noValidate
        onSubmit={(e) =>
          submit(e, {
            read: (form) => {
              const data = new FormData(form);
              return { email: String(data.get("email") ?? ""), role: String(data.get("role") ?? "") };
            },
            check: (actions, values) => actions.check.invite(values),
            send: async (actions, data, form) => {
              const input = data as { email: string; role: string };
              const res = await actions.invite(props.tenant, input);
              setLink({ email: input.email, url: new URL(res.acceptPath, location.origin).href });
              form.reset();
              toast(L.done.replace("{email}", input.email));
              setBusy(false);
            },
          })
        }
        onFocus={warmActions}
        className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
      >
        <Field name="email" label={L.email} type="email" required error={errors.email} />
        <Field name="role" label={L.role} options={props.roles} defaultValue="client" />
        <button type="submit" disabled={busy} className={`${primaryButton} sm:mt-6`}>
          {busy ? L.sending : L.submit}
        </button>
      </form>
      <FormAlert message={alert} className="mt-3 text-sm text-red-700" />
      {link && (
        <div className="mt-4 rounded-lg border border-green-200 bg-green-50 p-4" data-testid="invite-link">
          <p className="text-sm text-green-950">
            <strong>{L.done.replace("{email}", link.email)}</strong> {L.linkLead}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <label htmlFor="invite-url" className="sr-only">
              {L.linkLabel}
            </label>
            <input
              id="invite-url"
              ref={linkRef}
              readOnly
              value={link.url}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-xs"
            />
            <button type="button" onClick={copy} className={secondaryButton}>
              {L.copy}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
