/**
 * Create or edit a lead, checked with the API's own zod schema (entities.leads) before it is sent. Errors
 * show next to their field in the user's language; the API's refusals are shown the same way and in a toast.
 * A new lead belongs to the project picked in the form (the agency's workspace by default).
 */
import { useState } from "react";
import type { ClStrings } from "../../i18n/crm-clients-leads";
import { centsOf, readableErrors, type TenantOption } from "../clients/logic";
import {
  FormAlert,
  loadSchemas,
  type Option,
  SubmitBar,
  useFocusFirstError,
  useProjectClients,
} from "../clients/shared";
import type { FieldErrors } from "../ui/api";
import { Field } from "../ui/Field";
import { readForm, zodFieldErrors } from "../ui/form";
import { dataApi, describeFailure } from "../ui/http";
import { toast } from "../ui/toast";

export type LeadValues = {
  id: string;
  title: string;
  contact_name: string | null;
  email: string | null;
  stage: string;
  value_cents: number | null;
  source: string | null;
  client_id: string | null;
  notes: string | null;
};

type Props = {
  L: ClStrings;
  lang: "fr" | "en";
  stages: Option[];
  clients: Option[];
  cancelHref: string;
} & (
  | { mode: "create"; tenants: TenantOption[]; defaultTenant: string }
  | { mode: "edit"; tenant: TenantOption; lead: LeadValues }
);

const kinds = {
  title: "text",
  contact_name: "text",
  email: "email",
  stage: "select",
  source: "text",
  client_id: "select",
  notes: "textarea",
} as const;

const amountInput = (cents: number | null | undefined, lang: "fr" | "en") =>
  cents === null || cents === undefined ? "" : String(cents / 100).replace(".", lang === "fr" ? "," : ".");

export function LeadForm(props: Props) {
  const { L } = props;
  const initialTenant = props.mode === "create" ? props.defaultTenant : props.tenant.id;
  const [tenantId, setTenantId] = useState(initialTenant);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const clients = useProjectClients(tenantId, { tenantId: initialTenant, options: props.clients });
  const lead = props.mode === "edit" ? props.lead : null;
  const messages = {
    title: L["err.title"],
    email: L["err.email"],
    value_cents: L["err.value"],
    client_id: L["err.id"],
    stage: L["err.id"],
    tenant: L["err.tenant"],
  };

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget;
    const values = readForm(form, kinds, { dropEmpty: props.mode === "create" });
    const cents = centsOf(String(new FormData(form).get("value") ?? ""), props.lang);
    if (cents !== null) values.value_cents = cents;
    else if (props.mode === "edit") values.value_cents = null;
    setBusy(true);
    let entities: Awaited<ReturnType<typeof loadSchemas>>["entities"];
    try {
      ({ entities } = await loadSchemas());
    } catch {
      setBusy(false);
      setAlert(L["form.failed"]);
      return;
    }
    const schema = props.mode === "create" ? entities.leads.create : entities.leads.update;
    const checked = zodFieldErrors(schema, values);
    const tenant = props.mode === "create" ? props.tenants.find((t) => t.id === tenantId) : props.tenant;
    const fieldErrors: FieldErrors = checked.ok ? {} : { ...checked.fields };
    if (!tenant) fieldErrors.tenant = L["err.tenant"];
    if (!checked.ok || !tenant) {
      setErrors(readableErrors(fieldErrors, messages));
      setAlert(L["form.fix"]);
      setBusy(false);
      return;
    }
    setErrors({});
    setAlert(null);
    try {
      const api = dataApi(tenant.subdomain);
      const row =
        props.mode === "create"
          ? await api.create("leads", checked.data as Record<string, unknown>)
          : await api.update("leads", props.lead.id, checked.data as Record<string, unknown>);
      const id = String(row.id ?? lead?.id ?? "");
      window.location.assign(
        `/crm/leads/${encodeURIComponent(tenant.subdomain)}/${encodeURIComponent(id)}?notice=${props.mode === "create" ? "created" : "saved"}`,
      );
    } catch (err) {
      const d = describeFailure(err, L["form.failed"]);
      setErrors(readableErrors(d.fields, messages));
      setAlert(d.message);
      toast(d.message, "error");
      setBusy(false);
    }
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={submit}
      onFocus={() => void loadSchemas().catch(() => undefined)}
      onChange={(e) => {
        const target = e.target as unknown as HTMLSelectElement;
        if (target.name === "tenant") setTenantId(target.value);
      }}
      className="grid max-w-2xl gap-5"
      data-testid="lead-form"
      aria-busy={busy || undefined}
    >
      <FormAlert message={alert} />
      {props.mode === "create" ? (
        <Field
          name="tenant"
          label={L["form.workspace"]}
          required
          hint={L["lead.workspaceHint"]}
          error={errors.tenant}
          defaultValue={props.defaultTenant}
          options={props.tenants.map((t) => ({ value: t.id, label: t.name }))}
        />
      ) : null}
      <Field name="title" label={L["form.title"]} required error={errors.title} defaultValue={lead?.title} />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          name="stage"
          label={L["form.stage"]}
          required
          error={errors.stage}
          defaultValue={lead?.stage ?? "new"}
          options={props.stages}
        />
        <Field
          name="value"
          label={L["form.value"]}
          inputMode="decimal"
          error={errors.value_cents}
          defaultValue={amountInput(lead?.value_cents, props.lang)}
        />
        <Field
          name="contact_name"
          label={L["form.contact"]}
          error={errors.contact_name}
          defaultValue={lead?.contact_name}
        />
        <Field
          name="email"
          type="email"
          label={L["form.email"]}
          error={errors.email}
          defaultValue={lead?.email}
        />
        <Field
          key={clients.tenantId}
          name="client_id"
          label={L["form.client"]}
          error={errors.client_id}
          defaultValue={lead?.client_id ?? ""}
          options={[
            { value: "", label: clients.loading ? L["form.loadingList"] : L["form.none"] },
            ...clients.options,
          ]}
        />
        <Field name="source" label={L["form.source"]} error={errors.source} defaultValue={lead?.source} />
      </div>
      <Field name="notes" textarea label={L["form.notes"]} error={errors.notes} defaultValue={lead?.notes} />
      <SubmitBar
        busy={busy}
        label={props.mode === "create" ? L["form.createLead"] : L["form.save"]}
        busyLabel={L["form.saving"]}
        cancelHref={props.cancelHref}
        cancelLabel={L["form.cancel"]}
      />
    </form>
  );
}
