/** Field errors of the project forms in the user's language (zod's own messages are English). */
import type { FieldErrors } from "../ui/api";

export type ProjectErrorLabels = {
  errName: string;
  errSubdomain: string;
  errSubdomainReserved: string;
  errDate: string;
  errMoney: string;
};

export function localiseProjectErrors(fields: FieldErrors, L: ProjectErrorLabels): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    if (key === "name") out[key] = L.errName;
    else if (key === "subdomain")
      out[key] = /reserved/i.test(message) ? L.errSubdomainReserved : L.errSubdomain;
    else if (key === "start_date" || key === "due_date") out[key] = L.errDate;
    else if (key === "budget_cents" || key === "estimate_cents") out[key] = L.errMoney;
    else out[key] = message;
  }
  return out;
}
