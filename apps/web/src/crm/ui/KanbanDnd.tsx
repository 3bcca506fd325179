/**
 * The kanban's drag and drop (dnd-kit), loaded by Kanban after the board has rendered: by mouse, touch or
 * keyboard. From the keyboard: focus a card, Space or Enter to pick it up, ← → to change column, Space or
 * Enter to drop, Escape to cancel.
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
import { useId } from "react";
import {
  BoardView,
  CardView,
  ColumnView,
  type KanbanCard,
  type KanbanColumn,
  type KanbanLabels,
} from "./KanbanParts";

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
  return (
    <CardView
      card={card}
      handle={{ ...attributes, ...listeners, ref: setNodeRef }}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      dragging={isDragging}
    />
  );
}

function Column({ column, cards, empty }: { column: KanbanColumn; cards: KanbanCard[]; empty: string }) {
  const { setNodeRef, isOver } = useDroppable({ id: column.id });
  return (
    <ColumnView column={column} count={cards.length} empty={empty} over={isOver} dropRef={setNodeRef}>
      {cards.map((c) => (
        <Card key={c.id} card={c} />
      ))}
    </ColumnView>
  );
}

export function DndBoard(props: {
  columns: KanbanColumn[];
  cards: KanbanCard[];
  labels: KanbanLabels;
  onDragEnd: (event: DragEndEvent) => void;
}) {
  // dnd-kit numbers its aria ids with a global counter; a React id keeps them stable.
  const dndId = useId();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnJumper }),
  );
  const title = (id: string | number) => props.cards.find((c) => c.id === String(id))?.title ?? "";
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
  return (
    <DndContext
      id={dndId}
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={props.onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: props.labels.instructions } }}
    >
      <BoardView instructions={props.labels.instructions} ready>
        {props.columns.map((col) => (
          <Column
            key={col.id}
            column={col}
            cards={props.cards.filter((c) => c.column === col.id)}
            empty={props.labels.empty}
          />
        ))}
      </BoardView>
    </DndContext>
  );
}
