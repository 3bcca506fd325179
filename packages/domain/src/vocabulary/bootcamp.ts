/** The bootcamp's seats: which enrolments hold one of a cohort's seats (bootcamp/enrolments.ts counts them too). */

/** An applicant waits for a seat and a withdrawn learner gave theirs back; everyone else holds one. */
export const seatTakingStatuses = ["invited", "active", "completed"] as const;

export const takesSeat = (status: string): boolean =>
  (seatTakingStatuses as readonly string[]).includes(status);
