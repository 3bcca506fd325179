/**
 * Inviting a member into a project (its admins and agency admins; the API refuses everyone else). The
 * acceptance link is shown once, to copy and send: the API keeps only a hash of the token.
 */
import { useRef, useState } from "react";
import type { InviteLabels, Option } from "../../i18n/crm-projects-tasks";
import type { FieldErrors } from "../ui/api";
import { Field } from "../ui/Field";
import { toast } from "../ui/toast";
import { loadActions, warmActions } from "./lazy";
import { primaryButton, secondaryButton } from "./Modal";

export default function InviteForm(props: { tenant: string; labels: InviteLabels; roles: Option[] }) {
  const L = props.labels;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const linkRef = useRef<HTMLInputElement>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setMessage(null);
    setBusy(true);
    let actions: Awaited<ReturnType<typeof loadActions>>;
    try {
      actions = await loadActions();
    } catch {
      setBusy(false);
      setMessage(L.error);
      return;
    }
    const checked = actions.check.invite({
      email: String(data.get("email") ?? ""),
      role: String(data.get("role") ?? ""),
    });
    if (!checked.ok) {
      setBusy(false);
      setErrors({ email: L.errEmail });
      form.querySelector<HTMLInputElement>("[name=email]")?.focus();
      return;
    }
    setErrors({});
    const input = checked.data as { email: string; role: string };
    try {
      const res = await actions.invite(props.tenant, input);
      setLink({ email: input.email, url: new URL(res.acceptPath, location.origin).href });
      form.reset();
      toast(L.done.replace("{email}", input.email));
    } catch (err) {
      const d = actions.describeFailure(err, L.error);
      if (d.fields.email) setErrors({ email: L.errEmail });
      setMessage(d.message);
    } finally {
      setBusy(false);
    }
  }

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
        onSubmit={submit}
        onFocus={warmActions}
        className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
      >
        <Field name="email" label={L.email} type="email" required error={errors.email} />
        <Field name="role" label={L.role} options={props.roles} defaultValue="client" />
        <button type="submit" disabled={busy} className={`${primaryButton} sm:mt-6`}>
          {busy ? L.sending : L.submit}
        </button>
      </form>
      {message && (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {message}
        </p>
      )}
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
