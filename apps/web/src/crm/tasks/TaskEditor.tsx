/**
 * Creating, editing and deleting a project's tasks: a "New task" button, and the editor for the task named in
 * the URL's fragment (#edit-<id>, the links of the table and the kanban cards). Checked with the API's task
 * schemas before sending; deletion asks first. The page is server-rendered, so a save reloads it.
 */
import { useEffect, useState } from "react";
import type { Option, TaskFormLabels } from "../../i18n/crm-projects-tasks";
import type { FieldErrors } from "../../lib/http";
import { loadActions, useActionsForm, warmActions } from "../projects/lazy";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Field } from "../ui/Field";
import { readForm } from "../ui/form";
import { Modal, primaryButton, reloadWithFlash, secondaryButton, takeFlash } from "../ui/Modal";
import { toast } from "../ui/toast";
import { FormAlert } from "../ui/useCrmForm";

export type EditableTask = {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string;
  assignee_id: number | null;
  due_date: string | null;
};

const kinds = {
  title: "text",
  description: "textarea",
  status: "select",
  priority: "select",
  assignee_id: "number",
  due_date: "date",
} as const;

function localise(fields: FieldErrors, L: TaskFormLabels): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, m] of Object.entries(fields)) {
    out[k] = k === "title" ? L.errTitle : k === "due_date" ? L.errDate : m;
  }
  return out;
}

const clearHash = () => history.replaceState(null, "", `${location.pathname}${location.search}`);

export default function TaskEditor(props: {
  tenant: string;
  projectId: string;
  tasks: EditableTask[];
  assignees: Option[];
  statuses: Option[];
  priorities: Option[];
  labels: TaskFormLabels;
}) {
  const L = props.labels;
  /** null: closed; "new": creating; a task: editing it. */
  const [editing, setEditing] = useState<EditableTask | "new" | null>(null);
  const form = useActionsForm({
    failed: L.error,
    invalid: L.errForm,
    localise: (fields) => localise(fields, L),
  });
  const { errors, alert, busy, setBusy } = form;
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const flash = takeFlash();
    if (flash) toast(flash);
    const fromHash = () => {
      const m = /^#edit-(.+)$/.exec(location.hash);
      const task = m ? props.tasks.find((x) => x.id === decodeURIComponent(m[1] ?? "")) : undefined;
      if (task) open(task);
      else if (location.hash === "#new-task") open("new");
    };
    fromHash();
    window.addEventListener("hashchange", fromHash);
    return () => window.removeEventListener("hashchange", fromHash);
  }, [props.tasks]);

  function open(what: EditableTask | "new") {
    warmActions();
    form.reset();
    setEditing(what);
  }

  function close() {
    setEditing(null);
    clearHash();
  }

  function submit(e: React.FormEvent<HTMLFormElement>) {
    const isNew = editing === "new";
    return form.submit(e, {
      read: (el) => readForm(el, kinds),
      check: (actions, values) =>
        isNew
          ? actions.check.taskCreate({ ...values, project_id: props.projectId })
          : actions.check.taskUpdate(values),
      send: async (actions, data) => {
        const body = data as Record<string, unknown>;
        if (isNew) await actions.rows(props.tenant).create("tasks", body);
        else if (editing) await actions.rows(props.tenant).update("tasks", editing.id, body);
        clearHash();
        reloadWithFlash(isNew ? L.created : L.updated);
      },
    });
  }

  async function remove() {
    if (!editing || editing === "new") return;
    setBusy(true);
    try {
      const actions = await loadActions();
      try {
        await actions.rows(props.tenant).remove("tasks", editing.id);
      } catch (err) {
        throw new Error(actions.describeFailure(err, L.error).message);
      }
      setConfirming(false);
      clearHash();
      reloadWithFlash(L.deleted);
    } catch (err) {
      setBusy(false);
      setConfirming(false);
      toast(err instanceof Error && err.message ? err.message : L.error, "error");
    }
  }

  const task = editing && editing !== "new" ? editing : null;
  return (
    <>
      <button
        type="button"
        onClick={() => open("new")}
        onPointerEnter={warmActions}
        className={primaryButton}
        data-testid="new-task"
      >
        + {L.newTask}
      </button>
      <Modal open={editing !== null} title={task ? L.editTitle : L.newTitle} onClose={close}>
        <form
          key={task?.id ?? "new"}
          noValidate
          onSubmit={submit}
          className="grid gap-4"
          data-testid="task-form"
        >
          <FormAlert message={alert} />
          <Field name="title" label={L.title} required defaultValue={task?.title} error={errors.title} />
          <Field
            name="description"
            label={L.description}
            textarea
            defaultValue={task?.description}
            error={errors.description}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              name="status"
              label={L.status}
              options={props.statuses}
              defaultValue={task?.status ?? "todo"}
            />
            <Field
              name="priority"
              label={L.priority}
              options={props.priorities}
              defaultValue={task?.priority ?? "normal"}
            />
            <Field
              name="assignee_id"
              label={L.assignee}
              options={[{ value: "", label: L.unassigned }, ...props.assignees]}
              defaultValue={task?.assignee_id === null || !task ? "" : String(task.assignee_id)}
              error={errors.assignee_id}
            />
            <Field
              name="due_date"
              label={L.due}
              type="date"
              defaultValue={task?.due_date}
              error={errors.due_date}
            />
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              {task && (
                <button
                  type="button"
                  onClick={() => setConfirming(true)}
                  className="rounded-lg px-3 py-2 font-medium text-red-700 hover:bg-red-50 focus-visible:ring-2 focus-visible:ring-red-700"
                >
                  {L.delete}
                </button>
              )}
            </div>
            <div className="flex gap-3">
              <button type="button" onClick={close} className={secondaryButton}>
                {L.cancel}
              </button>
              <button type="submit" disabled={busy} className={primaryButton}>
                {L.save}
              </button>
            </div>
          </div>
        </form>
      </Modal>
      <ConfirmDialog
        open={confirming}
        title={L.deleteTitle}
        message={task ? L.confirmDelete.replace("{name}", task.title) : ""}
        confirmLabel={L.delete}
        cancelLabel={L.cancel}
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={remove}
      />
    </>
  );
}
