/**
 * Create or edit a lead, checked with the API's own zod schema (entities.leads) before it is sent. Errors
 * show next to their field in the user's language; the API's refusals are shown the same way and in a toast.
 * A new lead belongs to the project picked in the form (the agency's workspace by default).
 */

import { moneyInput, parseMoney } from "@fataplus/domain/vocabulary";
import { useState } from "react";
import type { ClStrings } from "../../i18n/crm-clients-leads";
import { newProjectHref, outcomeStrings, pickerStrings } from "../../i18n/crm-picker";
import type { TenantOption } from "../clients/logic";
import { FormAlert, type Option, SubmitBar, useRecordForm, WorkspaceField } from "../clients/shared";
import { ClientPicker } from "../ui/ClientPicker";
import { Field } from "../ui/Field";
import { readForm } from "../ui/form";

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
  lost_reason?: string | null;
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
  lost_reason: "textarea",
} as const;

export function LeadForm(props: Props) {
  const { L } = props;
  const lead = props.mode === "edit" ? props.lead : null;
  const { errors, alert, busy, tenantId, formProps } = useRecordForm({
    entity: "leads",
    at: props,
    recordId: lead?.id,
    L,
    messages: {
      title: L["err.title"],
      email: L["err.email"],
      value_cents: L["err.value"],
      client_id: L["err.id"],
      stage: L["err.id"],
      lost_reason: outcomeStrings[props.lang].lostRequired,
      tenant: L["err.tenant"],
    },
    read: (form) => {
      const values = readForm(form, kinds, { dropEmpty: props.mode === "create" });
      const cents = parseMoney(String(new FormData(form).get("value") ?? ""), props.lang);
      if (cents !== null) values.value_cents = cents;
      else if (props.mode === "edit") values.value_cents = null;
      return values;
    },
  });
  const [stage, setStage] = useState(lead?.stage ?? "new");
  const O = outcomeStrings[props.lang];
  const clientName = props.clients.find((o) => o.value === lead?.client_id)?.label ?? "";

  return (
    <form {...formProps} className="grid max-w-2xl gap-5" data-testid="lead-form">
      <FormAlert message={alert} testId="form-error" />
      <WorkspaceField
        form={props}
        label={L["form.workspace"]}
        hint={L["lead.workspaceHint"]}
        error={errors.tenant}
      />
      <Field name="title" label={L["form.title"]} required error={errors.title} defaultValue={lead?.title} />
      <div className="grid gap-5 sm:grid-cols-2">
        <fieldset
          className="contents"
          onChange={(e) => {
            const t = e.target;
            if (t instanceof HTMLSelectElement && t.name === "stage") setStage(t.value);
          }}
        >
          <Field
            name="stage"
            label={L["form.stage"]}
            required
            error={errors.stage}
            defaultValue={lead?.stage ?? "new"}
            options={props.stages}
          />
        </fieldset>
        <Field
          name="value"
          label={L["form.value"]}
          inputMode="decimal"
          error={errors.value_cents}
          defaultValue={moneyInput(lead?.value_cents, props.lang)}
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
        <ClientPicker
          key={tenantId}
          name="client_search"
          idName="client_id"
          label={L["form.client"]}
          error={errors.client_id}
          tenant={tenantId}
          strings={pickerStrings(props.lang)}
          defaultValue={lead?.client_id ? { id: lead.client_id, name: clientName } : undefined}
        />
        <Field name="source" label={L["form.source"]} error={errors.source} defaultValue={lead?.source} />
      </div>
      {stage === "lost" && (
        <Field
          name="lost_reason"
          textarea
          required
          label={O.lostLabel}
          hint={O.lostHint}
          error={errors.lost_reason}
          defaultValue={lead?.lost_reason}
          maxLength={500}
        />
      )}
      {lead && stage === "won" && (
        <p
          className="rounded-lg border border-green-200 bg-green-50 px-4 py-3 text-sm"
          data-testid="won-create"
        >
          {O.wonTitle}{" "}
          <a
            className="font-medium text-green-900 underline"
            href={newProjectHref({
              title: lead.title,
              client: clientName || null,
              value_cents: lead.value_cents,
            })}
          >
            {O.wonCreate}
          </a>
        </p>
      )}
      <Field
        name="notes"
        textarea
        label={L["form.notes"]}
        error={errors.notes}
        defaultValue={lead?.notes}
        maxLength={5000}
      />
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
