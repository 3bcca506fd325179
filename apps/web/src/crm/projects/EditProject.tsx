/**
 * Editing a project (project managers and admins of the project): name, description, status, phase, dates,
 * budget and estimate, checked with the API's update schema, then saved in the project's tenant.
 */

import { moneyInput } from "@fataplus/domain/vocabulary";
import { useEffect, useState } from "react";
import type { Option, ProjectFormLabels } from "../../i18n/crm-projects-tasks";
import { Field } from "../ui/Field";
import { readForm } from "../ui/form";
import { Modal, primaryButton, reloadWithFlash, secondaryButton, takeFlash } from "../ui/Modal";
import { toast } from "../ui/toast";
import { FormAlert } from "../ui/useCrmForm";
import { useActionsForm, warmActions } from "./lazy";
import { localiseProjectErrors } from "./projectErrors";

export type EditableProject = {
  id: string;
  name: string;
  description: string | null;
  status: string;
  phase: string;
  start_date: string | null;
  due_date: string | null;
  budget_cents: number | null;
  estimate_cents: number | null;
  currency: string;
};

const kinds = {
  name: "text",
  description: "textarea",
  status: "select",
  phase: "select",
  start_date: "date",
  due_date: "date",
  budget_cents: "money",
  estimate_cents: "money",
} as const;

export default function EditProject(props: {
  tenant: string;
  project: EditableProject;
  labels: ProjectFormLabels;
  statuses: Option[];
  phases: Option[];
  lang: "fr" | "en";
}) {
  const L = props.labels;
  const p = props.project;
  const [open, setOpen] = useState(false);
  const { errors, alert, busy, submit } = useActionsForm({
    failed: L.error,
    invalid: L.errForm,
    localise: (fields) => localiseProjectErrors(fields, L),
  });

  useEffect(() => {
    const flash = takeFlash();
    if (flash) toast(flash);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        onPointerEnter={warmActions}
        onFocus={warmActions}
        className={secondaryButton}
        data-testid="edit-project"
      >
        {L.edit}
      </button>
      <Modal open={open} title={L.editTitle} onClose={() => setOpen(false)}>
        <form
          noValidate
          onSubmit={(e) =>
            submit(e, {
              read: (form) => readForm(form, kinds, { lang: props.lang }),
              check: (actions, values) => actions.check.projectUpdate(values),
              send: async (actions, data) => {
                await actions.rows(props.tenant).update("projects", p.id, data as Record<string, unknown>);
                reloadWithFlash(L.saved);
              },
            })
          }
          className="grid gap-4"
        >
          <FormAlert message={alert} />
          <Field name="name" label={L.name} required defaultValue={p.name} error={errors.name} />
          <Field
            name="description"
            label={L.description}
            textarea
            defaultValue={p.description}
            error={errors.description}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field name="status" label={L.status} options={props.statuses} defaultValue={p.status} />
            <Field name="phase" label={L.phase} options={props.phases} defaultValue={p.phase} />
            <Field
              name="start_date"
              label={L.start}
              type="date"
              defaultValue={p.start_date}
              error={errors.start_date}
            />
            <Field
              name="due_date"
              label={L.due}
              type="date"
              defaultValue={p.due_date}
              error={errors.due_date}
            />
            <Field
              name="budget_cents"
              label={L.budget.replace("{currency}", p.currency)}
              inputMode="decimal"
              defaultValue={moneyInput(p.budget_cents, props.lang)}
              error={errors.budget_cents}
            />
            <Field
              name="estimate_cents"
              label={L.estimate.replace("{currency}", p.currency)}
              inputMode="decimal"
              defaultValue={moneyInput(p.estimate_cents, props.lang)}
              error={errors.estimate_cents}
            />
          </div>
          <div className="flex justify-end gap-3">
            <button type="button" onClick={() => setOpen(false)} className={secondaryButton}>
              {L.cancel}
            </button>
            <button type="submit" disabled={busy} className={primaryButton}>
              {L.save}
            </button>
          </div>
        </form>
      </Modal>
    </>
  );
}
