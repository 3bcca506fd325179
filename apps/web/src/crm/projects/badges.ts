/** Colours of the status, phase, role and priority badges (literal classes, so Tailwind sees them). */
export const badge = "inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap";

export const projectStatusClass: Record<string, string> = {
  planned: "bg-sky-100 text-sky-900",
  active: "bg-green-100 text-green-900",
  on_hold: "bg-amber-100 text-amber-900",
  completed: "bg-stone-200 text-stone-800",
  cancelled: "bg-red-100 text-red-900",
};

export const taskStatusClass: Record<string, string> = {
  todo: "bg-stone-200 text-stone-800",
  in_progress: "bg-sky-100 text-sky-900",
  review: "bg-amber-100 text-amber-900",
  done: "bg-green-100 text-green-900",
};

export const priorityClass: Record<string, string> = {
  low: "bg-stone-100 text-stone-700",
  normal: "bg-sky-50 text-sky-900",
  high: "bg-orange-100 text-orange-900",
  urgent: "bg-red-700 text-white",
};

export const roleClass: Record<string, string> = {
  client: "bg-stone-100 text-stone-800",
  project_manager: "bg-sky-100 text-sky-900",
  admin: "bg-green-100 text-green-900",
};
