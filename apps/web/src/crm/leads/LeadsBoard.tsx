/**
 * The leads pipeline as a kanban (new → qualified → proposal → won / lost). Moving a card saves its stage in
 * the lead's own project (optimistic; the kit's Kanban puts it back with a toast when the API refuses).
 */
import type { KanbanTemplates } from "../../i18n/crm";
import { kanbanLabels } from "../../i18n/crm";
import { dataApi } from "../../lib/http";
import { Kanban, type KanbanColumn } from "../ui/Kanban";

export type LeadCard = {
  id: string;
  column: string;
  title: string;
  href: string;
  tenant: string;
  meta: string;
};

export function LeadsBoard(props: {
  columns: KanbanColumn[];
  cards: LeadCard[];
  templates: KanbanTemplates;
}) {
  const tenantOf = new Map(props.cards.map((c) => [c.id, c.tenant]));
  return (
    <Kanban
      columns={props.columns}
      cards={props.cards}
      labels={kanbanLabels(props.templates)}
      onMove={async (id, stage) => {
        const tenant = tenantOf.get(id);
        if (!tenant) throw new Error(id);
        await dataApi(tenant).update("leads", id, { stage });
      }}
    />
  );
}
