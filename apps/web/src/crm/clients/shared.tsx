/**
 * Pieces shared by the client and lead forms: the submit bar with its loading state, the form-level error
 * summary, focusing the first invalid field, and the list of records (organisations, clients) of a project
 * that a select offers, reloaded when the form's project changes.
 */
import { useEffect, useRef, useState } from "react";
import { callApi } from "../ui/http";

export type Option = { value: string; label: string };

let schemasPromise: Promise<typeof import("../../../../../packages/domain/src/entities.ts")> | null = null;

/**
 * The API's zod schemas (entities.ts itself, not the domain's index, which also carries server-side verbs).
 * zod weighs ~26 KB gzipped, a quarter of a CRM page's budget, so forms load it on first focus and at the
 * latest on submit, instead of with the page.
 */
export function loadSchemas() {
  schemasPromise ??= import("../../../../../packages/domain/src/entities.ts");
  return schemasPromise;
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

export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid="form-error"
      className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      {message}
    </p>
  );
}

/** Moves focus to the first invalid field after a refused submit. */
export function useFocusFirstError(errors: Record<string, string>) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return ref;
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
    callApi<{ rows: Array<{ id: string; name: string }> }>("GET", "/api/app/crm/clients", {
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
