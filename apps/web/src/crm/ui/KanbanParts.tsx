/**
 * The kanban's markup, shared by the board as it first renders (no drag and drop yet) and by the drag-and-drop
 * board that replaces it once dnd-kit has loaded (KanbanDnd): the same elements and classes, so the swap moves
 * nothing on screen.
 */
import type { CSSProperties, HTMLAttributes, ReactNode, Ref } from "react";

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

/** One card; `handle` carries what dnd-kit adds to a draggable (ref, attributes, listeners). */
export function CardView({
  card,
  handle,
  style,
  dragging = false,
}: {
  card: KanbanCard;
  handle?: HTMLAttributes<HTMLDivElement> & { ref?: Ref<HTMLDivElement> };
  style?: CSSProperties;
  dragging?: boolean;
}) {
  // The draggable is inside the list item: dnd-kit gives it role="button", which a <ul> may not hold directly.
  return (
    <li>
      <div
        {...handle}
        data-testid="kanban-card"
        data-card-id={card.id}
        style={style}
        className={`cursor-grab rounded-lg border bg-white p-3 text-sm shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-green-700 ${
          dragging ? "z-10 border-green-700 shadow-lg" : "border-stone-200"
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

export function ColumnView({
  column,
  count,
  empty,
  over = false,
  dropRef,
  children,
}: {
  column: KanbanColumn;
  count: number;
  empty: string;
  over?: boolean;
  dropRef?: Ref<HTMLElement>;
  children: ReactNode;
}) {
  return (
    <section
      ref={dropRef}
      aria-labelledby={`col-${column.id}`}
      data-testid={`kanban-column-${column.id}`}
      className={`flex min-h-48 w-64 shrink-0 flex-col rounded-xl border p-3 ${
        over ? "border-green-700 bg-green-50" : "border-stone-200 bg-stone-100"
      }`}
    >
      <h2
        id={`col-${column.id}`}
        className="mb-3 flex items-center justify-between text-sm font-semibold text-stone-800"
      >
        {column.label}
        <span className="rounded-full bg-white px-2 text-xs text-stone-600">{count}</span>
      </h2>
      <ul className="flex flex-1 flex-col gap-2">
        {children}
        {count === 0 && <li className="py-6 text-center text-xs text-stone-600">{empty}</li>}
      </ul>
    </section>
  );
}

/** The board around the columns; `ready` says whether cards can be dragged yet (data-dnd="ready"). */
export function BoardView({
  instructions,
  ready,
  children,
}: {
  instructions: string;
  ready: boolean;
  children: ReactNode;
}) {
  return (
    <>
      <p className="mb-3 text-sm text-stone-600">{instructions}</p>
      <div
        className="flex gap-4 overflow-x-auto pb-4"
        data-testid="kanban"
        data-dnd={ready ? "ready" : "pending"}
      >
        {children}
      </div>
    </>
  );
}
