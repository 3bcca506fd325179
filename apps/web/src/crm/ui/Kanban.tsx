/**
 * A kanban board: cards move between columns by mouse, touch or keyboard (dnd-kit, see KanbanDnd).
 * The board renders (and hydrates) without dnd-kit; its drag and drop loads right after, when the browser is
 * idle or at the first pointer or focus on the board, whichever comes first, so the page's first task stays
 * short. Until then the board is the same markup with plain links (data-dnd="pending", then "ready").
 * A move is optimistic: the card moves at once, `onMove` saves it, and a refusal puts it back with a toast.
 */
import type { DragEndEvent } from "@dnd-kit/core";
import { useEffect, useRef, useState } from "react";
import {
  BoardView,
  CardView,
  ColumnView,
  type KanbanCard,
  type KanbanColumn,
  type KanbanLabels,
} from "./KanbanParts";
import { onDemand } from "./lazy";
import { toast } from "./toast";

export type { KanbanCard, KanbanColumn, KanbanLabels } from "./KanbanParts";

const dnd = onDemand(() => import("./KanbanDnd"));
type DndModule = Awaited<ReturnType<typeof dnd.load>>;

/** Loads the drag and drop when the browser is idle, or at once on the first pointer or focus in `el`. */
function useDnd(el: React.RefObject<HTMLDivElement | null>): DndModule | null {
  const [mod, setMod] = useState<DndModule | null>(null);
  useEffect(() => {
    let live = true;
    const node = el.current;
    const events = ["pointerover", "pointerdown", "focusin", "touchstart"] as const;
    const stopListening = () => {
      for (const e of events) node?.removeEventListener(e, load);
    };
    function load() {
      stopListening();
      dnd
        .load()
        .then((m) => live && setMod(() => m))
        .catch(() => {
          // offline or a failed deploy: the board stays as it is, the next pointer or focus tries again
          if (live) for (const e of events) node?.addEventListener(e, load, { passive: true });
        });
    }
    const idle = window.requestIdleCallback
      ? window.requestIdleCallback(load, { timeout: 2000 })
      : window.setTimeout(load, 200);
    for (const e of events) node?.addEventListener(e, load, { passive: true });
    return () => {
      live = false;
      if (window.cancelIdleCallback) window.cancelIdleCallback(idle);
      else window.clearTimeout(idle);
      stopListening();
    };
  }, [el]);
  return mod;
}

export function Kanban(props: {
  columns: KanbanColumn[];
  cards: KanbanCard[];
  labels: KanbanLabels;
  onMove: (cardId: string, column: string) => Promise<void>;
}) {
  const [cards, setCards] = useState(props.cards);
  const root = useRef<HTMLDivElement>(null);
  const Dnd = useDnd(root);

  async function onDragEnd(event: DragEndEvent) {
    const to = event.over ? String(event.over.id) : null;
    const id = String(event.active.id);
    const before = cards.find((c) => c.id === id);
    if (!to || !before || before.column === to) return;
    setCards((cs) => cs.map((c) => (c.id === id ? { ...c, column: to } : c)));
    try {
      await props.onMove(id, to);
    } catch (error) {
      setCards((cs) => cs.map((c) => (c.id === id ? { ...c, column: before.column } : c)));
      toast(props.labels.failed(error instanceof Error ? error.message : String(error)), "error");
    }
  }

  return (
    <div ref={root}>
      {Dnd ? (
        <Dnd.DndBoard columns={props.columns} cards={cards} labels={props.labels} onDragEnd={onDragEnd} />
      ) : (
        <BoardView instructions={props.labels.instructions} ready={false}>
          {props.columns.map((col) => {
            const inColumn = cards.filter((c) => c.column === col.id);
            return (
              <ColumnView key={col.id} column={col} count={inColumn.length} empty={props.labels.empty}>
                {inColumn.map((c) => (
                  <CardView key={c.id} card={c} />
                ))}
              </ColumnView>
            );
          })}
        </BoardView>
      )}
    </div>
  );
}
