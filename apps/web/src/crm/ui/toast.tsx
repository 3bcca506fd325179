/**
 * Toasts: `toast("Enregistré.")` from any island; one <Toaster /> per page shows them in a polite live region
 * (errors in an assertive one). Module state is shared by every island of the page (one bundle chunk).
 */
import { useEffect, useState } from "react";

export type Toast = { id: number; message: string; tone: "info" | "error" };
type Listener = (toasts: Toast[]) => void;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const emit = () => {
  for (const l of listeners) l(toasts);
};

export function toast(message: string, tone: Toast["tone"] = "info", ms = 5000): void {
  const id = nextId++;
  toasts = [...toasts, { id, message, tone }];
  emit();
  setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function Toaster({ closeLabel = "Fermer" }: { closeLabel?: string }) {
  const [items, setItems] = useState<Toast[]>(toasts);
  useEffect(() => {
    listeners.add(setItems);
    return () => {
      listeners.delete(setItems);
    };
  }, []);
  const list = (tone: Toast["tone"]) => items.filter((t) => t.tone === tone);
  const render = (t: Toast) => (
    <div
      key={t.id}
      data-testid="toast"
      className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 shadow-lg ${
        t.tone === "error"
          ? "border-red-200 bg-red-50 text-red-900"
          : "border-stone-200 bg-white text-stone-900"
      }`}
    >
      <p className="flex-1 text-sm">{t.message}</p>
      <button
        type="button"
        onClick={() => dismiss(t.id)}
        className="text-sm font-medium underline focus-visible:ring-2 focus-visible:ring-green-700"
      >
        {closeLabel}
      </button>
    </div>
  );
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
      <div role="status" aria-live="polite" className="flex flex-col gap-2">
        {list("info").map(render)}
      </div>
      <div role="alert" aria-live="assertive" className="flex flex-col gap-2">
        {list("error").map(render)}
      </div>
    </div>
  );
}
