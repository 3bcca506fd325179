/**
 * The leads pipeline as a kanban (new → qualified → proposal → won / lost). Moving a card saves its stage in
 * the lead's own project (optimistic; the kit's Kanban puts it back with a toast when the API refuses).
 * Moving to "lost" asks why first (the API refuses lost without a reason; decision 033); moving to "won"
 * offers to create the project, its form prefilled from the lead.
 */
import { useState } from "react";
import type { KanbanTemplates } from "../../i18n/crm";
import { kanbanLabels } from "../../i18n/crm";
import { newProjectHref, outcomeStrings } from "../../i18n/crm-picker";
import { dataApi } from "../../lib/http";
import { Dialog } from "../ui/Dialog";
import { Kanban, type KanbanColumn } from "../ui/Kanban";
import { primaryButton } from "../ui/Modal";

export type LeadCard = {
  id: string;
  column: string;
  title: string;
  href: string;
  tenant: string;
  meta: string;
};

type Ask =
  | { kind: "lost"; id: string; tenant: string; resolve: () => void; reject: (e: Error) => void }
  | { kind: "won"; title: string };

export function LeadsBoard(props: {
  columns: KanbanColumn[];
  cards: LeadCard[];
  templates: KanbanTemplates;
  lang?: "fr" | "en";
}) {
  const S = outcomeStrings[props.lang ?? "fr"];
  const byId = new Map(props.cards.map((c) => [c.id, c]));
  const [ask, setAsk] = useState<Ask | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function saveLost(e: React.FormEvent) {
    e.preventDefault();
    if (ask?.kind !== "lost") return;
    if (!reason.trim()) {
      setError(S.lostRequired);
      return;
    }
    setBusy(true);
    try {
      await dataApi(ask.tenant).update("leads", ask.id, { stage: "lost", lost_reason: reason.trim() });
      ask.resolve();
      setAsk(null);
    } catch (err) {
      ask.reject(err instanceof Error ? err : new Error(String(err)));
      setAsk(null);
    } finally {
      setBusy(false);
    }
  }

  function cancelLost() {
    if (ask?.kind === "lost") ask.reject(new Error(S.cancelled));
    setAsk(null);
  }

  return (
    <>
      <Kanban
        columns={props.columns}
        cards={props.cards}
        labels={kanbanLabels(props.templates)}
        onMove={async (id, stage) => {
          const card = byId.get(id);
          if (!card) throw new Error(id);
          if (stage === "lost") {
            setReason("");
            setError(null);
            await new Promise<void>((resolve, reject) =>
              setAsk({ kind: "lost", id, tenant: card.tenant, resolve, reject }),
            );
            return;
          }
          await dataApi(card.tenant).update("leads", id, { stage });
          if (stage === "won") setAsk({ kind: "won", title: card.title });
        }}
      />
      <Dialog
        open={ask?.kind === "lost"}
        onClose={cancelLost}
        labelledBy="lost-title"
        className="w-full max-w-md rounded-xl p-6 shadow-xl backdrop:bg-stone-900/40"
      >
        <form onSubmit={saveLost} noValidate data-testid="lost-dialog">
          <h2 id="lost-title" className="mb-4 text-lg font-semibold">
            {S.lostTitle}
          </h2>
          <label htmlFor="lost-reason" className="block text-sm font-medium text-stone-800">
            {S.lostLabel} <span aria-hidden="true">*</span>
          </label>
          <textarea
            id="lost-reason"
            name="lost_reason"
            rows={3}
            maxLength={500}
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "lost-reason-error" : "lost-reason-hint"}
            className="mt-1 block w-full rounded-lg border border-stone-300 px-3 py-2"
          />
          <p id="lost-reason-hint" className="mt-1 flex justify-between text-xs text-stone-600">
            <span>{S.lostHint}</span>
            <span aria-live="polite">{reason.length} / 500</span>
          </p>
          {error && (
            <p id="lost-reason-error" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          )}
          <div className="mt-5 flex justify-end gap-3">
            <button type="button" onClick={cancelLost} className="rounded-lg px-4 py-2 text-sm font-medium">
              {S.cancel}
            </button>
            <button type="submit" disabled={busy} className={primaryButton}>
              {S.lostSave}
            </button>
          </div>
        </form>
      </Dialog>
      <Dialog
        open={ask?.kind === "won"}
        onClose={() => setAsk(null)}
        labelledBy="won-title"
        className="w-full max-w-md rounded-xl p-6 shadow-xl backdrop:bg-stone-900/40"
      >
        <div data-testid="won-dialog">
          <h2 id="won-title" className="mb-2 text-lg font-semibold">
            {S.wonTitle}
          </h2>
          <p className="text-sm text-stone-700">
            {S.wonBody.replace("{title}", ask?.kind === "won" ? ask.title : "")}
          </p>
          <div className="mt-5 flex justify-end gap-3">
            <button
              type="button"
              onClick={() => setAsk(null)}
              className="rounded-lg px-4 py-2 text-sm font-medium"
            >
              {S.wonLater}
            </button>
            <a
              href={newProjectHref({ title: ask?.kind === "won" ? ask.title : "" })}
              className={primaryButton}
            >
              {S.wonCreate}
            </a>
          </div>
        </div>
      </Dialog>
    </>
  );
}
