/**
 * Saved views of a CRM screen: links to the screen with the view's filters and sort, a button that saves
 * the current ones under a name, and deletion. Views are per user (the API keeps only the screen's keys).
 */
import type { SavedView, ViewScreen } from "@fataplus/domain";
import { useState } from "react";
import { callApi, describeFailure } from "../../lib/http";
import { ConfirmDialog } from "./ConfirmDialog";
import { toast } from "./toast";

export type ViewsLabels = {
  title: string;
  save: string;
  name: string;
  saved: string;
  none: string;
  remove: string;
  confirm: string;
  cancel: string;
  error: string;
};

export function ViewsBar(props: {
  screen: ViewScreen;
  views: SavedView[];
  current: string;
  labels: ViewsLabels;
}) {
  const [views, setViews] = useState(props.views);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<SavedView | null>(null);
  const L = props.labels;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const view = await callApi<SavedView>("POST", "/api/app/views", {
        body: { screen: props.screen, name, query: props.current },
      });
      setViews((vs) => [...vs, view].sort((a, b) => a.name.localeCompare(b.name)));
      setNaming(false);
      setName("");
      toast(L.saved);
    } catch (err) {
      const d = describeFailure(err, L.error);
      setError(d.fields.name ?? d.message);
    }
  }

  async function remove(view: SavedView) {
    const before = views;
    setViews((vs) => vs.filter((v) => v.id !== view.id));
    setToDelete(null);
    try {
      await callApi("DELETE", `/api/app/views/${encodeURIComponent(view.id)}`);
    } catch (err) {
      setViews(before);
      toast(describeFailure(err, L.error).message, "error");
    }
  }

  return (
    <nav aria-label={L.title} className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium text-stone-700">{L.title} :</span>
      {views.length === 0 && <span className="text-stone-500">{L.none}</span>}
      {views.map((v) => (
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
            onClick={() => setToDelete(v)}
            aria-label={`${L.remove} ${v.name}`}
            className="rounded-r-full px-2 py-1 text-stone-500 hover:bg-stone-100 hover:text-red-700"
          >
            ×
          </button>
        </span>
      ))}
      {naming ? (
        <form onSubmit={save} className="inline-flex items-center gap-2">
          <label className="sr-only" htmlFor="view-name">
            {L.name}
          </label>
          <input
            id="view-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={L.name}
            maxLength={80}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "view-error" : undefined}
            className="rounded-lg border border-stone-300 px-2 py-1"
          />
          <button
            type="submit"
            className="rounded-lg bg-green-800 px-3 py-1 font-medium text-white hover:bg-green-900"
          >
            {L.save}
          </button>
          <button
            type="button"
            onClick={() => setNaming(false)}
            className="px-2 py-1 text-stone-600 hover:underline"
          >
            {L.cancel}
          </button>
          {error && (
            <span id="view-error" className="text-red-700">
              {error}
            </span>
          )}
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setNaming(true)}
          className="rounded-full border border-dashed border-stone-400 px-3 py-1 text-stone-700 hover:bg-stone-100"
        >
          + {L.save}
        </button>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={L.remove}
        message={toDelete ? L.confirm.replace("{name}", toDelete.name) : ""}
        confirmLabel={L.remove}
        cancelLabel={L.cancel}
        onCancel={() => setToDelete(null)}
        onConfirm={() => toDelete && remove(toDelete)}
      />
    </nav>
  );
}
