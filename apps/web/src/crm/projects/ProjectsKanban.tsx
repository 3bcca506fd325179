/**
 * Projects by status. Each card belongs to its own tenant, so a move saves the status in that project's
 * tenant (project managers and admins may); a refusal puts the card back with a toast (the Kanban does it).
 */
import { type KanbanTemplates, kanbanLabels } from "../../i18n/crm";
import { dataApi } from "../../lib/http";
import { Kanban, type KanbanColumn } from "../ui/Kanban";

export type ProjectCard = {
  id: string;
  tenant: string;
  status: string;
  title: string;
  href: string;
  meta: string;
  overdue: string | null;
};

export default function ProjectsKanban(props: {
  columns: KanbanColumn[];
  cards: ProjectCard[];
  templates: KanbanTemplates;
}) {
  const tenantOf = new Map(props.cards.map((c) => [c.id, c.tenant]));
  return (
    <Kanban
      columns={props.columns}
      labels={kanbanLabels(props.templates)}
      cards={props.cards.map((c) => ({
        id: c.id,
        column: c.status,
        title: c.title,
        href: c.href,
        meta: (
          <>
            <span className="block">{c.meta}</span>
            {c.overdue && <span className="mt-1 block font-semibold text-red-700">{c.overdue}</span>}
          </>
        ),
      }))}
      onMove={async (id, status) => {
        const tenant = tenantOf.get(id);
        if (!tenant) throw new Error(id);
        await dataApi(tenant).update("projects", id, { status });
      }}
    />
  );
}
