/**
 * The native <dialog> of the CRM's dialogs (ui/Modal, ui/ConfirmDialog), shown as a modal while `open`: focus
 * trapped, Escape calls `onClose`. Its own module, so a page with only a confirmation does not load the Modal.
 */
import { type ReactNode, useEffect, useRef } from "react";

/** The native <dialog>, shown as a modal while `open`. */
export function Dialog(props: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  className: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={props.labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      className={props.className}
    >
      {props.children}
    </dialog>
  );
}
