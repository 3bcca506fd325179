/**
 * Loads ./actions (the API's zod schemas) once: on the first focus of a form, or at submit at the latest.
 */
import type { FieldErrors } from "../../lib/http";
import { onDemand } from "../ui/lazy";
import { type Refusal, useCrmForm } from "../ui/useCrmForm";

export const { load: loadActions, warm: warmActions } = onDemand(() => import("./actions"));

type Actions = Awaited<ReturnType<typeof loadActions>>;

/**
 * The submit of the project and task forms (ui/useCrmForm) with ./actions: the alert clears when the user
 * submits; a refusal shows the API's message and its fields, localised, unless `refused` says otherwise.
 */
export function useActionsForm(opts: {
  failed: string;
  invalid: string | null;
  localise: (fields: FieldErrors) => FieldErrors;
  refused?: (actions: Actions, error: unknown, described: Refusal) => Refusal;
  focusRefused?: boolean;
}) {
  return useCrmForm({
    load: loadActions,
    failed: opts.failed,
    invalid: opts.invalid,
    localise: opts.localise,
    refusal: (actions, error) => {
      const d = actions.describeFailure(error, opts.failed);
      return opts.refused
        ? opts.refused(actions, error, d)
        : { message: d.message, fields: opts.localise(d.fields) };
    },
    focusRefused: opts.focusRefused,
    clearAlertOnSubmit: true,
  });
}
