/**
 * A modal form container on the native <dialog> of ./Dialog (focus trapped, Escape closes), titled, used by the
 * project and task editors; the caller owns `open`. Also the flash message after a save's reload and the
 * buttons of those forms.
 */
import type { ReactNode } from "react";
import { Dialog } from "./Dialog";

export function Modal(props: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      labelledBy="modal-title"
      className="m-auto w-full max-w-xl rounded-2xl border border-stone-200 p-0 shadow-xl backdrop:bg-stone-900/40"
    >
      <div className="flex items-center justify-between border-b border-stone-200 px-6 py-4">
        <h2 id="modal-title" className="text-lg font-semibold text-stone-900">
          {props.title}
        </h2>
        <button
          type="button"
          onClick={props.onClose}
          aria-label="×"
          className="rounded-lg px-2 py-1 text-xl leading-none text-stone-500 hover:bg-stone-100 focus-visible:ring-2 focus-visible:ring-green-700"
        >
          ×
        </button>
      </div>
      <div className="px-6 py-5">{props.open && props.children}</div>
    </Dialog>
  );
}

/** A message to show after the reload that follows a save (the page is server-rendered). */
const FLASH = "fp-flash";

export function reloadWithFlash(message: string, href?: string): void {
  try {
    sessionStorage.setItem(FLASH, message);
  } catch {
    // Private mode: no message after the reload, the change is still visible.
  }
  if (href) location.assign(href);
  else location.replace(`${location.pathname}${location.search}`);
}

export function takeFlash(): string | null {
  try {
    const m = sessionStorage.getItem(FLASH);
    if (m) sessionStorage.removeItem(FLASH);
    return m;
  } catch {
    return null;
  }
}

export const primaryButton =
  "rounded-lg bg-green-800 px-4 py-2 text-sm font-semibold text-white hover:bg-green-900 focus-visible:ring-2 focus-visible:ring-green-700 focus-visible:ring-offset-2 disabled:opacity-60";
export const secondaryButton =
  "rounded-lg border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 focus-visible:ring-2 focus-visible:ring-green-700";
