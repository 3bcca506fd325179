/** The rows of the bootcamp's tables, as the verbs return them. */
import type { Rubric } from "./schemas.ts";

export type CourseRow = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  language: "fr" | "en";
  level: string;
  status: "draft" | "published";
  position: number;
};
export type ModuleRow = { id: string; course_id: string; title: string; position: number };
export type LessonRow = {
  id: string;
  course_id: string;
  module_id: string;
  title: string;
  position: number;
  release_offset_days: number;
};
export type AssignmentRow = {
  id: string;
  course_id: string;
  title: string;
  brief_md: string;
  due_offset_days: number;
  rubric: Rubric;
  position: number;
};
export type CohortRow = {
  id: string;
  course_id: string;
  name: string;
  start_date: string;
  end_date: string | null;
  seats: number;
  status: "draft" | "open" | "closed";
};
