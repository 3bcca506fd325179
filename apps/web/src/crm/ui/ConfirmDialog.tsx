/**
 * A confirmation before a destructive action: a native <dialog> (focus trapped, Escape cancels). showModal()
 * focuses the first button, Cancel, so Enter does not delete by accident.
 */
import { Dialog } from "./Dialog";

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      labelledBy="confirm-title"
      className="m-auto w-full max-w-md rounded-2xl border border-stone-200 p-6 shadow-xl backdrop:bg-stone-900/40"
    >
      <h2 id="confirm-title" className="text-lg font-semibold text-stone-900">
        {props.title}
      </h2>
      <p className="mt-2 text-stone-700">{props.message}</p>
      <div className="mt-6 flex justify-end gap-3">
        <button
          type="button"
          onClick={props.onCancel}
          className="rounded-lg border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100 focus-visible:ring-2 focus-visible:ring-green-700"
        >
          {props.cancelLabel}
        </button>
        <button
          type="button"
          disabled={props.busy}
          onClick={props.onConfirm}
          className="rounded-lg bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800 focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2 disabled:opacity-60"
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
