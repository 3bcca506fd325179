/**
 * Pieces shared by the client and lead forms: their submit (project, check, save, then the record's page), the
 * submit bar with its loading state, the project field of a create form, and the list of records (organisations, clients) of a project that a
 * select offers, reloaded when the form's project changes.
 */
import type { CrmClient, Page } from "@fataplus/domain";
import { type FormEvent, useEffect, useState } from "react";
import type { ClStrings } from "../../i18n/crm-clients-leads";
import { callApi, dataApi, describeFailure } from "../../lib/http";
import { Field } from "../ui/Field";
import { zodFieldErrors } from "../ui/form";
import { onDemand } from "../ui/lazy";
import { toast } from "../ui/toast";
import { type Checked, useCrmForm } from "../ui/useCrmForm";
import { readableErrors, type TenantOption } from "./logic";

export { FormAlert } from "../ui/useCrmForm";

export type Option = { value: string; label: string };

/**
 * The API's zod schemas (@fataplus/domain/schemas, not the domain's main entry, which carries the verbs).
 * zod weighs ~26 KB gzipped, a quarter of a CRM page's budget, so forms load it on first focus and at the
 * latest on submit, instead of with the page.
 */
export const { load: loadSchemas, warm: warmSchemas } = onDemand(() => import("@fataplus/domain/schemas"));

/** The project of a record form: picked in the form when creating, fixed when editing. */
export type RecordTenant =
  | { mode: "create"; tenants: TenantOption[]; defaultTenant: string }
  | { mode: "edit"; tenant: TenantOption };

/**
 * A client or lead form: its project (`tenantId`, changed by the form's "tenant" select), its submit (the
 * entity's create or update schema, then the API, then the record's page with a notice) and the props of its
 * <form>. `messages` are the fields' errors in the user's language.
 */
export function useRecordForm(opts: {
  entity: "clients" | "leads";
  at: RecordTenant;
  recordId: string | undefined;
  L: ClStrings;
  messages: Record<string, string>;
  read: (form: HTMLFormElement) => Record<string, unknown>;
}) {
  const { L, at, entity, messages } = opts;
  const initialTenant = at.mode === "create" ? at.defaultTenant : at.tenant.id;
  const [tenantId, setTenantId] = useState(initialTenant);
  const form = useCrmForm({
    load: loadSchemas,
    failed: L["form.failed"],
    invalid: L["form.fix"],
    localise: (fields) => readableErrors(fields, messages),
    refusal: (_, err) => {
      const d = describeFailure(err, L["form.failed"]);
      toast(d.message, "error");
      return { message: d.message, fields: readableErrors(d.fields, messages) };
    },
    focusRefused: true,
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    const tenant = at.mode === "create" ? at.tenants.find((t) => t.id === tenantId) : at.tenant;
    return form.submit(e, {
      read: opts.read,
      check: ({ entities }, values): Checked => {
        const schemas = entities[entity];
        const checked = zodFieldErrors(at.mode === "create" ? schemas.create : schemas.update, values);
        if (checked.ok && tenant) return checked;
        const fields = checked.ok ? {} : { ...checked.fields };
        if (!tenant) fields.tenant = L["err.tenant"];
        return { ok: false, fields };
      },
      send: async (_, data) => {
        if (!tenant) return;
        const api = dataApi(tenant.subdomain);
        const values = data as Record<string, unknown>;
        const row =
          at.mode === "create" || opts.recordId === undefined
            ? await api.create(entity, values)
            : await api.update(entity, opts.recordId, values);
        const id = String(row.id ?? opts.recordId ?? "");
        window.location.assign(
          `/crm/${entity}/${encodeURIComponent(tenant.subdomain)}/${encodeURIComponent(id)}?notice=${at.mode === "create" ? "created" : "saved"}`,
        );
      },
    });
  }

  return {
    ...form,
    initialTenant,
    tenantId,
    formProps: {
      noValidate: true,
      onSubmit,
      onFocus: warmSchemas,
      onChange: (e: FormEvent<HTMLFormElement>) => {
        const target = e.target as unknown as HTMLSelectElement;
        if (target.name === "tenant") setTenantId(target.value);
      },
      "aria-busy": form.busy || undefined,
    },
  };
}

export const buttonPrimary =
  "inline-flex items-center gap-2 rounded-lg bg-green-800 px-4 py-2 font-semibold text-white hover:bg-green-900 focus-visible:ring-2 focus-visible:ring-green-700 focus-visible:ring-offset-2 disabled:cursor-wait disabled:opacity-70";
export const buttonSecondary =
  "inline-flex items-center rounded-lg border border-stone-300 bg-white px-4 py-2 font-medium text-stone-800 hover:bg-stone-100 focus-visible:ring-2 focus-visible:ring-green-700";

export function Spinner() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-4 w-4 animate-spin">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity=".3" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="3" />
    </svg>
  );
}

export function SubmitBar(props: {
  busy: boolean;
  label: string;
  busyLabel: string;
  cancelHref: string;
  cancelLabel: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3 pt-2">
      <button
        type="submit"
        disabled={props.busy}
        aria-busy={props.busy || undefined}
        className={buttonPrimary}
      >
        {props.busy && <Spinner />}
        {props.busy ? props.busyLabel : props.label}
      </button>
      <a href={props.cancelHref} className={buttonSecondary}>
        {props.cancelLabel}
      </a>
    </div>
  );
}

/**
 * Clients of a project for a select (organisations only with `kind`), from the CRM list. `initial` is what the
 * server rendered for `tenantId`; another project is loaded in the browser.
 */
export function useProjectClients(
  tenantId: string,
  initial: { tenantId: string; options: Option[] },
  kind?: "organization",
) {
  const [state, setState] = useState<{ tenantId: string; options: Option[]; loading: boolean }>({
    ...initial,
    loading: false,
  });
  useEffect(() => {
    if (tenantId === state.tenantId || !tenantId) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    callApi<Page<CrmClient>>("GET", "/api/app/crm/clients", {
      query: { tenant: tenantId, kind, sort: "name", pageSize: 100 },
    })
      .then((page) => {
        if (live)
          setState({
            tenantId,
            options: page.rows.map((r) => ({ value: r.id, label: r.name })),
            loading: false,
          });
      })
      .catch(() => {
        if (live) setState({ tenantId, options: [], loading: false });
      });
    return () => {
      live = false;
    };
  }, [tenantId, kind, state.tenantId]);
  return state;
}

/** The project a new record goes into: the first field of a create form, absent when editing. */
export function WorkspaceField(props: {
  form: { mode: "create"; tenants: TenantOption[]; defaultTenant: string } | { mode: "edit" };
  label: string;
  hint: string;
  error: string | undefined;
}) {
  if (props.form.mode !== "create") return null;
  return (
    <Field
      name="tenant"
      label={props.label}
      required
      hint={props.hint}
      error={props.error}
      defaultValue={props.form.defaultTenant}
      options={props.form.tenants.map((t) => ({ value: t.id, label: t.name }))}
    />
  );
}
