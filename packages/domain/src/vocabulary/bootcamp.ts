/**
 * The bootcamp's seats: which enrolments hold one of a cohort's seats (the cohort_seats counter of
 * migrations/0012_bootcamp_reads.sql counts them: its triggers name the same statuses).
 */

/** An applicant waits for a seat and a withdrawn learner gave theirs back; everyone else holds one. */
export const seatTakingStatuses = ["invited", "active", "completed"] as const;

export const takesSeat = (status: string): boolean =>
  (seatTakingStatuses as readonly string[]).includes(status);
