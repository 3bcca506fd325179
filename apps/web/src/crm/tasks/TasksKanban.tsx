/**
 * A project's tasks by status (todo → in progress → review → done), moved by mouse, touch or keyboard. A move
 * saves the status in the project's tenant; a refusal puts the card back with a toast. A card's title opens
 * the task editor (#edit-<id>, see TaskEditor).
 */
import { type KanbanTemplates, kanbanLabels } from "../../i18n/crm";
import { dataApi } from "../../lib/http";
import { badge, priorityClass } from "../projects/badges";
import { Kanban, type KanbanColumn } from "../ui/Kanban";

export type TaskCard = {
  id: string;
  status: string;
  title: string;
  priority: string;
  priorityLabel: string;
  assignee: string | null;
  due: string | null;
  overdue: boolean;
};

export default function TasksKanban(props: {
  tenant: string;
  columns: KanbanColumn[];
  cards: TaskCard[];
  templates: KanbanTemplates;
  overdueLabel: string;
}) {
  return (
    <Kanban
      columns={props.columns}
      labels={kanbanLabels(props.templates)}
      cards={props.cards.map((c) => ({
        id: c.id,
        column: c.status,
        title: c.title,
        href: `#edit-${c.id}`,
        meta: (
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1" data-overdue={c.overdue || undefined}>
            <span className={`${badge} ${priorityClass[c.priority] ?? ""}`}>{c.priorityLabel}</span>
            {c.assignee && <span>{c.assignee}</span>}
            {c.due && (
              <span className={c.overdue ? "font-semibold text-red-700" : ""}>
                {c.due}
                {c.overdue && ` · ${props.overdueLabel}`}
              </span>
            )}
          </span>
        ),
      }))}
      onMove={async (id, status) => {
        await dataApi(props.tenant).update("tasks", id, { status });
      }}
    />
  );
}
