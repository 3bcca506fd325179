/** Helpers of the project forms: field errors in the user's language, a subdomain suggested from the name. */
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

/** "Coopérative Laitière — 2027" → "cooperative-laitiere-2027": a valid subdomain to start from (≤ 40 chars). */
export function subdomainFrom(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}
