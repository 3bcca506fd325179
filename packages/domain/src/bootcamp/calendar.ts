/** Calendar dates of the bootcamp (release and due dates are counted in days from a cohort's start). */

/** UTC calendar date (YYYY-MM-DD) of `d`. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** `day` + `days` as a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
