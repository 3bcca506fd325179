/**
 * Creating a project (agency admins): validated with the API's own schema (provisionProjectInput) before it is
 * sent; the API's refusals come back on their fields (409: the subdomain is taken). On success, the project's
 * page.
 */
import { moneyInput, subdomainFrom } from "@fataplus/domain/vocabulary";
import { useRef, useState } from "react";
import { contactErrors, pickerStrings } from "../../i18n/crm-picker";
import type { Option, ProjectFormLabels } from "../../i18n/crm-projects-tasks";
import { ClientPicker } from "../ui/ClientPicker";
import { Field } from "../ui/Field";
import { readForm } from "../ui/form";
import { primaryButton } from "../ui/Modal";
import { FormAlert } from "../ui/useCrmForm";
import { useActionsForm, warmActions } from "./lazy";
import { localiseProjectErrors } from "./projectErrors";

const kinds = {
  name: "text",
  subdomain: "text",
  client_name: "text",
  description: "textarea",
  start_date: "date",
  due_date: "date",
  budget_cents: "money",
  estimate_cents: "money",
  status: "select",
  phase: "select",
} as const;

export default function NewProjectForm(props: {
  labels: ProjectFormLabels;
  statuses: Option[];
  phases: Option[];
  /** The host the portals live under, e.g. fata.plus or localhost:4321. */
  rootHost: string;
  currency: string;
  lang: "fr" | "en";
  /** Prefilled from a won lead (name, client, budget in cents). */
  initial?: { name: string; client: string; budget_cents: number | null };
}) {
  const L = { ...props.labels, errDateOrder: contactErrors[props.lang].dates };
  const { errors, alert, busy, submit } = useActionsForm({
    failed: L.error,
    invalid: L.errForm,
    localise: (fields) => localiseProjectErrors(fields, L),
    refused: (actions, error, d) => {
      const fields = localiseProjectErrors(d.fields, L);
      if (actions.statusOf(error) === 409) fields.subdomain = L.errSubdomainTaken;
      return { fields, message: Object.keys(fields).length > 0 ? L.errForm : d.message };
    },
    focusRefused: true,
  });
  const [sub, setSub] = useState(props.initial?.name ? subdomainFrom(props.initial.name) : "");
  const subTouched = useRef(false);

  function onInput(e: React.FormEvent<HTMLFormElement>) {
    const target = e.target as HTMLInputElement;
    if (target.name === "subdomain") {
      subTouched.current = target.value !== "";
      setSub(target.value.trim().toLowerCase());
    } else if (target.name === "name" && !subTouched.current) {
      const input = e.currentTarget.elements.namedItem("subdomain") as HTMLInputElement | null;
      // The domain's suggestion (what provisioning from the intake uses), once there is a name to start from.
      const next = target.value.trim() ? subdomainFrom(target.value) : "";
      if (input) input.value = next;
      setSub(next);
    }
  }

  const url = `${sub || "…"}.${props.rootHost}`;
  return (
    <form
      noValidate
      onSubmit={(e) =>
        submit(e, {
          read: (form) => ({ ...readForm(form, kinds, { lang: props.lang }), currency: props.currency }),
          check: (actions, values) => actions.check.provision(values),
          send: async (actions, data) => {
            const created = await actions.provisionProject(data as Record<string, unknown>);
            location.assign(`/crm/projects/${encodeURIComponent(created.tenant.subdomain)}`);
          },
        })
      }
      onInput={onInput}
      onFocus={warmActions}
      className="grid gap-5"
      data-testid="new-project-form"
    >
      <FormAlert message={alert} />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field name="name" label={L.name} required error={errors.name} defaultValue={props.initial?.name} />
        <div>
          <Field name="subdomain" label={L.subdomain} required error={errors.subdomain} defaultValue={sub} />
          <p className="mt-1 text-xs text-stone-600" aria-live="polite" data-testid="subdomain-hint">
            {L.subdomainHint.replace("{url}", url)}
          </p>
        </div>
      </div>
      <ClientPicker
        name="client_name"
        label={L.clientName}
        hint={L.clientNameHint}
        error={errors.client_name}
        strings={pickerStrings(props.lang)}
        defaultValue={props.initial?.client ? { id: null, name: props.initial.client } : undefined}
      />
      <Field name="description" label={L.description} textarea error={errors.description} />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field name="status" label={L.status} options={props.statuses} defaultValue="planned" />
        <Field name="phase" label={L.phase} options={props.phases} defaultValue="discovery" />
        <Field name="start_date" label={L.start} type="date" error={errors.start_date} />
        <Field name="due_date" label={L.due} type="date" error={errors.due_date} />
        <Field
          name="budget_cents"
          label={L.budget.replace("{currency}", props.currency)}
          inputMode="decimal"
          error={errors.budget_cents}
          defaultValue={moneyInput(props.initial?.budget_cents ?? null, props.lang)}
        />
        <Field
          name="estimate_cents"
          label={L.estimate.replace("{currency}", props.currency)}
          inputMode="decimal"
          error={errors.estimate_cents}
        />
      </div>
      <div>
        <button type="submit" disabled={busy} className={primaryButton}>
          {busy ? L.creating : L.submit}
        </button>
      </div>
    </form>
  );
}
