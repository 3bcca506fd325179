// The bootcamp's public verbs and types. Files not listed here (learner-scope, review-scope, store) are
// internal helpers of the verbs.
export * from "./access.ts";
export * from "./analytics.ts";
export * from "./apply.ts";
export * from "./calendar.ts";
export * from "./catalogue.ts";
export * from "./certificates.ts";
export * from "./cohorts.ts";
export * from "./courses.ts";
export * from "./editing.ts";
export * from "./enrolments.ts";
export * from "./learn.ts";
export * from "./lessons.ts";
export * from "./markdown.ts";
export * from "./marking.ts";
export * from "./overview.ts";
export * from "./public.ts";
export * from "./quiz-grading.ts";
export * from "./quizzes.ts";
export * from "./review.ts";
export * from "./roster.ts";
export * from "./rows.ts";
export * from "./schemas.ts";
export * from "./submission-files.ts";
export * from "./submissions.ts";
