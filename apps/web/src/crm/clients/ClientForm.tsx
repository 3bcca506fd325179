/**
 * Create or edit a client. The body is checked with the API's own zod schema (entities.clients) before it is
 * sent; errors show next to their field, in the user's language, and the API's refusals are shown the same way.
 * A new client belongs to the project picked in the form (the agency's workspace by default).
 */
import { useState } from "react";
import type { ClStrings } from "../../i18n/crm-clients-leads";
import type { FieldErrors } from "../ui/api";
import { Field } from "../ui/Field";
import { readForm, zodFieldErrors } from "../ui/form";
import { dataApi, describeFailure } from "../ui/http";
import { toast } from "../ui/toast";
import { readableErrors, type TenantOption } from "./logic";
import {
  FormAlert,
  loadSchemas,
  type Option,
  SubmitBar,
  useFocusFirstError,
  useProjectClients,
} from "./shared";

export type ClientValues = {
  id: string;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  organization_id: string | null;
  notes: string | null;
};

type Props = {
  L: ClStrings;
  organizations: Option[];
  cancelHref: string;
} & (
  | { mode: "create"; tenants: TenantOption[]; defaultTenant: string }
  | { mode: "edit"; tenant: TenantOption; client: ClientValues }
);

const kinds = {
  kind: "select",
  name: "text",
  email: "email",
  phone: "text",
  organization_id: "select",
  notes: "textarea",
} as const;

export function ClientForm(props: Props) {
  const { L } = props;
  const initialTenant = props.mode === "create" ? props.defaultTenant : props.tenant.id;
  const [tenantId, setTenantId] = useState(initialTenant);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const orgs = useProjectClients(
    tenantId,
    { tenantId: initialTenant, options: props.organizations },
    "organization",
  );
  const client = props.mode === "edit" ? props.client : null;
  const messages = {
    name: L["err.name"],
    email: L["err.email"],
    phone: L["err.phone"],
    organization_id: L["err.id"],
    kind: L["err.id"],
    tenant: L["err.tenant"],
  };

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget;
    const values = readForm(form, kinds, { dropEmpty: props.mode === "create" });
    setBusy(true);
    let entities: Awaited<ReturnType<typeof loadSchemas>>["entities"];
    try {
      ({ entities } = await loadSchemas());
    } catch {
      setBusy(false);
      setAlert(L["form.failed"]);
      return;
    }
    const schema = props.mode === "create" ? entities.clients.create : entities.clients.update;
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
          ? await api.create("clients", checked.data as Record<string, unknown>)
          : await api.update("clients", props.client.id, checked.data as Record<string, unknown>);
      const id = String(row.id ?? client?.id ?? "");
      window.location.assign(
        `/crm/clients/${encodeURIComponent(tenant.subdomain)}/${encodeURIComponent(id)}?notice=${props.mode === "create" ? "created" : "saved"}`,
      );
    } catch (err) {
      const d = describeFailure(err, L["form.failed"]);
      setErrors(readableErrors(d.fields, messages));
      setAlert(d.message);
      toast(d.message, "error");
      setBusy(false);
    }
  }

  const orgOptions = [
    { value: "", label: orgs.loading ? L["form.loadingList"] : L["form.none"] },
    ...orgs.options.filter((o) => o.value !== client?.id),
  ];

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
      data-testid="client-form"
      aria-busy={busy || undefined}
    >
      <FormAlert message={alert} />
      {props.mode === "create" ? (
        <Field
          name="tenant"
          label={L["form.workspace"]}
          required
          hint={L["form.workspaceHint"]}
          error={errors.tenant}
          defaultValue={props.defaultTenant}
          options={props.tenants.map((t) => ({ value: t.id, label: t.name }))}
        />
      ) : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          name="kind"
          label={L["form.kind"]}
          required
          error={errors.kind}
          defaultValue={client?.kind ?? "organization"}
          options={[
            { value: "organization", label: L["kind.organization"] },
            { value: "contact", label: L["kind.contact"] },
          ]}
        />
        <Field name="name" label={L["form.name"]} required error={errors.name} defaultValue={client?.name} />
        <Field
          name="email"
          type="email"
          label={L["form.email"]}
          error={errors.email}
          defaultValue={client?.email}
        />
        <Field name="phone" label={L["form.phone"]} error={errors.phone} defaultValue={client?.phone} />
      </div>
      <Field
        key={orgs.tenantId}
        name="organization_id"
        label={L["form.organization"]}
        error={errors.organization_id}
        defaultValue={client?.organization_id ?? ""}
        options={orgOptions}
      />
      <Field
        name="notes"
        textarea
        label={L["form.notes"]}
        error={errors.notes}
        defaultValue={client?.notes}
      />
      <SubmitBar
        busy={busy}
        label={props.mode === "create" ? L["form.createClient"] : L["form.save"]}
        busyLabel={L["form.saving"]}
        cancelHref={props.cancelHref}
        cancelLabel={L["form.cancel"]}
      />
    </form>
  );
}
