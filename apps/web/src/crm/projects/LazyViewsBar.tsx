/**
 * The kit's <ViewsBar> loaded on first use: the bar is drawn at once (views as links, "save" and "×" buttons)
 * and the real one (which brings the API client and zod) replaces it when the pointer or focus reaches one of its buttons;
 * a click made before that is replayed on the real button. Keeps the list pages' first load small.
 */
import type { SavedView, ViewScreen } from "@fataplus/domain";
import { type ComponentType, useEffect, useRef, useState } from "react";
import type { ViewsLabels } from "../ui/ViewsBar";

type Props = { screen: ViewScreen; views: SavedView[]; current: string; labels: ViewsLabels };

let loading: Promise<ComponentType<Props>> | null = null;
const load = () => {
  loading ??= import("../ui/ViewsBar")
    .then((m) => m.ViewsBar)
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
};

export default function LazyViewsBar(props: Props) {
  const [Real, setReal] = useState<ComponentType<Props> | null>(null);
  const replay = useRef<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const L = props.labels;

  const warm = () => {
    load()
      .then((C) => setReal(() => C))
      .catch(() => undefined);
  };

  useEffect(() => {
    if (!Real || !replay.current || !box.current) return;
    const label = replay.current;
    replay.current = null;
    const button = [...box.current.querySelectorAll("button")].find(
      (b) => (b.getAttribute("aria-label") ?? b.textContent ?? "").trim() === label,
    );
    button?.click();
  }, [Real]);

  if (Real) {
    return (
      <div ref={box}>
        <Real {...props} />
      </div>
    );
  }
  const click = (label: string) => () => {
    replay.current = label;
    warm();
  };
  return (
    <div ref={box}>
      <nav aria-label={L.title} className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium text-stone-700">{L.title} :</span>
        {props.views.length === 0 && <span className="text-stone-500">{L.none}</span>}
        {props.views.map((v) => (
          <span key={v.id} className="inline-flex items-center rounded-full border border-stone-300 bg-white">
            <a
              href={`?${v.query}`}
              aria-current={v.query === props.current ? "page" : undefined}
              className="rounded-l-full px-3 py-1 hover:bg-stone-100 aria-[current=page]:bg-green-800 aria-[current=page]:text-white"
            >
              {v.name}
            </a>
            <button
              type="button"
              onClick={click(`${L.remove} ${v.name}`)}
              onPointerEnter={warm}
              onFocus={warm}
              aria-label={`${L.remove} ${v.name}`}
              className="rounded-r-full px-2 py-1 text-stone-500 hover:bg-stone-100 hover:text-red-700"
            >
              ×
            </button>
          </span>
        ))}
        <button
          type="button"
          onClick={click(`+ ${L.save}`)}
          onPointerEnter={warm}
          onFocus={warm}
          className="rounded-full border border-dashed border-stone-400 px-3 py-1 text-stone-700 hover:bg-stone-100"
        >
          + {L.save}
        </button>
      </nav>
    </div>
  );
}
