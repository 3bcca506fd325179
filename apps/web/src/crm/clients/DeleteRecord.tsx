/**
 * "Delete" with a confirmation first (native dialog, Cancel focused). On success the browser goes to `next`
 * (the list, which shows a notice); a refusal closes the dialog and says why in a toast.
 */
import { useState } from "react";
import type { ClStrings } from "../../i18n/crm-clients-leads";
import { dataApi, describeFailure } from "../../lib/http";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { toast } from "../ui/toast";

export function DeleteRecord(props: {
  entity: "clients" | "leads";
  tenant: string;
  id: string;
  name: string;
  label: string;
  next: string;
  L: ClStrings;
}) {
  const { L } = props;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    try {
      await dataApi(props.tenant).remove(props.entity, props.id);
      window.location.assign(props.next);
    } catch (err) {
      setBusy(false);
      setOpen(false);
      toast(L["delete.failed"].replace("{message}", describeFailure(err, L["form.failed"]).message), "error");
    }
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        data-testid="delete-record"
        className="rounded-lg border border-red-300 bg-white px-4 py-2 font-medium text-red-800 hover:bg-red-50 focus-visible:ring-2 focus-visible:ring-red-700"
      >
        {props.label}
      </button>
      <ConfirmDialog
        open={open}
        busy={busy}
        title={L["delete.title"].replace("{name}", props.name)}
        message={L["delete.body"]}
        confirmLabel={busy ? L["delete.deleting"] : L["delete.confirm"]}
        cancelLabel={L["form.cancel"]}
        onCancel={() => setOpen(false)}
        onConfirm={confirm}
      />
    </>
  );
}
