/**
 * A kanban board: cards move between columns by mouse, touch or keyboard (dnd-kit). From the keyboard: focus a
 * card, Space or Enter to pick it up, ← → to change column, Space or Enter to drop, Escape to cancel.
 * A move is optimistic: the card moves at once, `onMove` saves it, and a refusal puts it back with a toast.
 */
import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { type ReactNode, useId, useState } from "react";
import { toast } from "./toast";

export type KanbanColumn = { id: string; label: string };
export type KanbanCard = { id: string; column: string; title: string; href?: string; meta?: ReactNode };

export type KanbanLabels = {
  instructions: string;
  picked: (card: string) => string;
  over: (card: string, column: string) => string;
  dropped: (card: string, column: string) => string;
  cancelled: (card: string) => string;
  empty: string;
  failed: (message: string) => string;
};

/** ← → jump the dragged card to the centre of the previous or next column. */
const columnJumper: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const dir = event.code === "ArrowRight" ? 1 : event.code === "ArrowLeft" ? -1 : 0;
  const rect = context.collisionRect;
  if (!dir || !rect) return undefined;
  event.preventDefault();
  const columns = [...context.droppableRects.values()].sort((a, b) => a.left - b.left);
  const cx = rect.left + rect.width / 2;
  const current = columns.findIndex((c) => cx >= c.left && cx <= c.left + c.width);
  const target = columns[(current === -1 ? 0 : current) + dir];
  if (!target) return currentCoordinates;
  const tx = target.left + target.width / 2;
  const ty = target.top + Math.min(target.height / 2, 80);
  return {
    x: currentCoordinates.x + (tx - cx),
    y: currentCoordinates.y + (ty - (rect.top + rect.height / 2)),
  };
};

function Card({ card }: { card: KanbanCard }) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id });
  // The draggable is inside the list item: dnd-kit gives it role="button", which a <ul> may not hold directly.
  return (
    <li>
      <div
        ref={setNodeRef}
        {...attributes}
        {...listeners}
        data-testid="kanban-card"
        data-card-id={card.id}
        style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
        className={`cursor-grab rounded-lg border bg-white p-3 text-sm shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-green-700 ${
          isDragging ? "z-10 border-green-700 shadow-lg" : "border-stone-200"
        }`}
      >
        {card.href ? (
          <a
            href={card.href}
            className="font-medium text-stone-900 hover:underline"
            onPointerDown={(e) => e.stopPropagation()}
          >
            {card.title}
          </a>
        ) : (
          <span className="font-medium text-stone-900">{card.title}</span>
        )}
        {card.meta && <div className="mt-1 text-xs text-stone-600">{card.meta}</div>}
      </div>
    </li>
  );
}

function Column({ column, cards, empty }: { column: KanbanColumn; cards: KanbanCard[]; empty: string }) {
  const { setNodeRef, isOver } = useDroppable({ id: column.id });
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={`col-${column.id}`}
      data-testid={`kanban-column-${column.id}`}
      className={`flex min-h-48 w-64 shrink-0 flex-col rounded-xl border p-3 ${
        isOver ? "border-green-700 bg-green-50" : "border-stone-200 bg-stone-100"
      }`}
    >
      <h2
        id={`col-${column.id}`}
        className="mb-3 flex items-center justify-between text-sm font-semibold text-stone-800"
      >
        {column.label}
        <span className="rounded-full bg-white px-2 text-xs text-stone-600">{cards.length}</span>
      </h2>
      <ul className="flex flex-1 flex-col gap-2">
        {cards.map((c) => (
          <Card key={c.id} card={c} />
        ))}
        {cards.length === 0 && <li className="py-6 text-center text-xs text-stone-600">{empty}</li>}
      </ul>
    </section>
  );
}

export function Kanban(props: {
  columns: KanbanColumn[];
  cards: KanbanCard[];
  labels: KanbanLabels;
  onMove: (cardId: string, column: string) => Promise<void>;
}) {
  const [cards, setCards] = useState(props.cards);
  // dnd-kit numbers its aria ids with a global counter; a React id keeps server and browser HTML equal.
  const dndId = useId();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnJumper }),
  );
  const title = (id: string | number) => cards.find((c) => c.id === String(id))?.title ?? "";
  const label = (id: string | number | undefined) =>
    props.columns.find((c) => c.id === String(id))?.label ?? "";
  const announcements: Announcements = {
    onDragStart: ({ active }) => props.labels.picked(title(active.id)),
    onDragOver: ({ active, over }) =>
      over ? props.labels.over(title(active.id), label(over.id)) : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? props.labels.dropped(title(active.id), label(over.id))
        : props.labels.cancelled(title(active.id)),
    onDragCancel: ({ active }) => props.labels.cancelled(title(active.id)),
  };

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
    <DndContext
      id={dndId}
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: props.labels.instructions } }}
    >
      <p className="mb-3 text-sm text-stone-600">{props.labels.instructions}</p>
      <div className="flex gap-4 overflow-x-auto pb-4" data-testid="kanban">
        {props.columns.map((col) => (
          <Column
            key={col.id}
            column={col}
            cards={cards.filter((c) => c.column === col.id)}
            empty={props.labels.empty}
          />
        ))}
      </div>
    </DndContext>
  );
}
