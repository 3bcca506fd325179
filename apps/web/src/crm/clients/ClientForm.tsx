/**
 * Create or edit a client. The body is checked with the API's own zod schema (entities.clients) before it is
 * sent; errors show next to their field, in the user's language, and the API's refusals are shown the same way.
 * A new client belongs to the project picked in the form (the agency's workspace by default).
 */
import type { ClStrings } from "../../i18n/crm-clients-leads";
import { Field } from "../ui/Field";
import { readForm } from "../ui/form";
import type { TenantOption } from "./logic";
import {
  FormAlert,
  type Option,
  SubmitBar,
  useProjectClients,
  useRecordForm,
  WorkspaceField,
} from "./shared";

export type ClientValues = {
  id: string;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  organization_id: string | null;
  notes: string | null;
  job_title?: string | null;
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
  job_title: "text",
  organization_id: "select",
  notes: "textarea",
} as const;

export function ClientForm(props: Props) {
  const { L } = props;
  const client = props.mode === "edit" ? props.client : null;
  const { errors, alert, busy, initialTenant, tenantId, formProps } = useRecordForm({
    entity: "clients",
    at: props,
    recordId: client?.id,
    L,
    messages: {
      name: L["err.name"],
      email: L["err.email"],
      phone: L["err.phone"],
      job_title: L["err.jobTitle"],
      organization_id: L["err.id"],
      kind: L["err.id"],
      tenant: L["err.tenant"],
    },
    read: (form) => readForm(form, kinds, { dropEmpty: props.mode === "create" }),
  });
  const orgs = useProjectClients(
    tenantId,
    { tenantId: initialTenant, options: props.organizations },
    "organization",
  );

  const orgOptions = [
    { value: "", label: orgs.loading ? L["form.loadingList"] : L["form.none"] },
    ...orgs.options.filter((o) => o.value !== client?.id),
  ];

  return (
    <form {...formProps} className="grid max-w-2xl gap-5" data-testid="client-form">
      <FormAlert message={alert} testId="form-error" />
      <WorkspaceField
        form={props}
        label={L["form.workspace"]}
        hint={L["form.workspaceHint"]}
        error={errors.tenant}
      />
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
        <Field
          name="phone"
          type="text"
          inputMode="text"
          label={L["form.phone"]}
          error={errors.phone}
          defaultValue={client?.phone}
        />
        <Field
          name="job_title"
          label={L["form.jobTitle"]}
          error={errors.job_title}
          defaultValue={client?.job_title}
          maxLength={120}
        />
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
        maxLength={5000}
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
