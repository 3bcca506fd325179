/**
 * The submit of the CRM's forms: read the fields, load the API's zod schemas on demand (they stay out of the
 * page's first load), check, show the errors on their fields in the user's language with a form-level alert
 * and focus on the first invalid field, send, and put the API's refusal back on the fields. Nothing here
 * imports the schemas or the HTTP caller: the loaded module brings them.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { FieldErrors } from "../../lib/http";

export type Checked = { ok: true; data: unknown } | { ok: false; fields: FieldErrors };
/** What a refusal shows: the alert and the fields' errors, already in the user's language. */
export type Refusal = { message: string; fields: FieldErrors };

export function useCrmForm<M>(config: {
  /** The module with the checks (and, for some forms, the requests), loaded on demand. */
  load: () => Promise<M>;
  /** The alert when that module cannot load. */
  failed: string;
  /** The alert after a refused check (null: none, the fields say it). */
  invalid: string | null;
  /** A refused check's field errors in the user's language. */
  localise: (fields: FieldErrors) => FieldErrors;
  /** The API's refusal of the send, as it is shown. */
  refusal: (mod: M, error: unknown) => Refusal;
  /** Focus the first invalid field after a refusal with field errors too (always after a refused check). */
  focusRefused?: boolean;
  /** Clear the alert when the user submits; otherwise it stays until the check passes. */
  clearAlertOnSubmit?: boolean;
}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement | null>(null);
  const focusNext = useRef(false);

  // After a refused submit, focus the first invalid field once React has rendered the errors.
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  function showErrors(fields: FieldErrors, focus: boolean) {
    focusNext.current = focus && Object.keys(fields).length > 0;
    setErrors(fields);
  }

  async function submit<V>(
    e: FormEvent<HTMLFormElement>,
    steps: {
      read: (form: HTMLFormElement) => V;
      check: (mod: M, values: V) => Checked;
      /** Resolves once sent (a navigating form stays busy); throws the API's refusal. */
      send: (mod: M, data: unknown, form: HTMLFormElement) => Promise<void>;
    },
  ) {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget;
    formRef.current = form;
    const values = steps.read(form);
    if (config.clearAlertOnSubmit) setAlert(null);
    setBusy(true);
    let mod: M;
    try {
      mod = await config.load();
    } catch {
      setBusy(false);
      setAlert(config.failed);
      return;
    }
    const checked = steps.check(mod, values);
    if (!checked.ok) {
      showErrors(config.localise(checked.fields), true);
      setAlert(config.invalid);
      setBusy(false);
      return;
    }
    setErrors({});
    setAlert(null);
    try {
      await steps.send(mod, checked.data, form);
    } catch (err) {
      const shown = config.refusal(mod, err);
      showErrors(shown.fields, config.focusRefused === true);
      setAlert(shown.message);
      setBusy(false);
    }
  }

  /** For a form that stays on the page: closed or reopened, it starts clean. */
  function reset() {
    setErrors({});
    setAlert(null);
    setBusy(false);
  }

  return { errors, alert, busy, setBusy, submit, reset };
}

/** The form-level message of a refused submit. */
export function FormAlert(props: { message: string | null; testId?: string; className?: string }) {
  if (!props.message) return null;
  return (
    <p
      role="alert"
      data-testid={props.testId}
      className={
        props.className ?? "rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
      }
    >
      {props.message}
    </p>
  );
}
