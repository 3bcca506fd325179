/** The bootcamp's input schemas: one zod schema per verb input, exported under the verb's name. */
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1).max(max);
const uuid = z.uuid({ message: "must be a UUID" });
const isoDate = z.iso.date({ message: "must be a date formatted YYYY-MM-DD" });
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be an email address" }).max(254));
const days = z.coerce.number().int().min(0).max(730);
const position = z.coerce.number().int().min(0).max(10_000);

export const courseLevels = ["beginner", "intermediate", "advanced"] as const;
export const courseStatuses = ["draft", "published"] as const;
export const cohortStatuses = ["draft", "open", "closed"] as const;
export const enrolmentStatuses = ["applied", "invited", "active", "completed", "withdrawn"] as const;
export const markingStates = ["not_marked", "in_review", "released"] as const;
export type MarkingState = (typeof markingStates)[number];
export type EnrolmentStatus = (typeof enrolmentStatuses)[number];

export const createCourseInput = z.strictObject({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(2)
    .max(80)
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "use lowercase letters, digits and inner hyphens"),
  title: text(200),
  summary: z.string().trim().max(2000).default(""),
  language: z.enum(["fr", "en"]).default("fr"),
  level: z.enum(courseLevels).default("beginner"),
  status: z.enum(courseStatuses).default("draft"),
  position: position.default(0),
});

export const updateCourseInput = z.strictObject({
  id: uuid,
  title: text(200).optional(),
  summary: z.string().trim().max(2000).optional(),
  language: z.enum(["fr", "en"]).optional(),
  level: z.enum(courseLevels).optional(),
  status: z.enum(courseStatuses).optional(),
  position: position.optional(),
});

export const createModuleInput = z.strictObject({
  course_id: uuid,
  title: text(200),
  position: position.default(0),
});

export const createLessonInput = z.strictObject({
  module_id: uuid,
  title: text(200),
  body_md: z.string().max(100_000).default(""),
  position: position.default(0),
  release_offset_days: days.default(0),
});

export const updateLessonInput = z.strictObject({
  id: uuid,
  title: text(200).optional(),
  body_md: z.string().max(100_000).optional(),
  position: position.optional(),
  release_offset_days: days.optional(),
});

export const rubricSchema = z
  .array(z.strictObject({ criterion: text(200), points: z.coerce.number().int().min(1).max(100) }))
  .min(1, "add at least one criterion")
  .max(20);
export type Rubric = z.infer<typeof rubricSchema>;

export const createAssignmentInput = z.strictObject({
  course_id: uuid,
  title: text(200),
  brief_md: z.string().max(50_000).default(""),
  due_offset_days: days.default(7),
  rubric: rubricSchema,
  position: position.default(0),
});

export const createCohortInput = z
  .strictObject({
    course_id: uuid,
    name: text(200),
    start_date: isoDate,
    end_date: isoDate.nullable().optional(),
    seats: z.coerce.number().int().min(1).max(1000).default(20),
    status: z.enum(cohortStatuses).default("open"),
  })
  .refine((c) => !c.end_date || c.end_date >= c.start_date, {
    message: "must be on or after the start date",
    path: ["end_date"],
  });

export const assignInstructorInput = z.strictObject({ cohort_id: uuid, email });

export const enrolInput = z.strictObject({ cohort_id: uuid, email, name: text(200) });

export const applyInput = z.strictObject({
  cohort_id: uuid,
  email,
  name: text(200),
  motivation: z.string().trim().max(2000).optional(),
});

export const idInput = z.strictObject({ id: uuid });

export const lessonRefInput = z.strictObject({ enrolment_id: uuid, lesson_id: uuid });

export const submissionRefInput = z.strictObject({ enrolment_id: uuid, assignment_id: uuid });

export const submitInput = z.discriminatedUnion("kind", [
  z.strictObject({
    enrolment_id: uuid,
    assignment_id: uuid,
    kind: z.literal("link"),
    url: z.url({ protocol: /^https$/, message: "must be an https:// link" }).max(2000),
    note: z.string().trim().max(5000).optional(),
  }),
  z.strictObject({
    enrolment_id: uuid,
    assignment_id: uuid,
    kind: z.literal("file"),
    file_key: z.string().min(1).max(300),
    file_name: text(200),
    file_type: z.string().max(100),
    file_size: z.number().int().min(1),
    note: z.string().trim().max(5000).optional(),
  }),
]);
export type SubmitInput = z.input<typeof submitInput>;

export const reviewInput = z.strictObject({
  id: uuid,
  scores: z.array(z.coerce.number().int().min(0).max(100)).max(20),
  feedback: z.string().trim().max(10_000).default(""),
});

export const queueInput = z.strictObject({
  state: z.enum(["awaiting", ...markingStates]).default("awaiting"),
});
