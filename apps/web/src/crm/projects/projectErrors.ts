/** Helpers of the project forms: field errors in the user's language (the subdomain suggested from the name is the domain's subdomainFrom). */
import type { FieldErrors } from "../../lib/http";

export type ProjectErrorLabels = {
  errName: string;
  errSubdomain: string;
  errSubdomainReserved: string;
  errDate: string;
  errMoney: string;
  /** A due date before the start date (decision 033). */
  errDateOrder?: string;
};

export function localiseProjectErrors(fields: FieldErrors, L: ProjectErrorLabels): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    if (key === "name") out[key] = L.errName;
    else if (key === "subdomain")
      out[key] = /reserved/i.test(message) ? L.errSubdomainReserved : L.errSubdomain;
    else if (key === "due_date" && L.errDateOrder && /on or after/i.test(message)) out[key] = L.errDateOrder;
    else if (key === "start_date" || key === "due_date") out[key] = L.errDate;
    else if (key === "budget_cents" || key === "estimate_cents") out[key] = L.errMoney;
    else out[key] = message;
  }
  return out;
}
