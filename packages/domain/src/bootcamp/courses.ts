/**
 * Staff verbs on a course's content: courses, modules, lessons, assignments. Every query names the tenant;
 * references (a module's course, a lesson's module…) are looked up in the same tenant first, and composite
 * foreign keys refuse the rest in SQL. Each change and its audit row go in one D1 batch.
 */
import { writeWithAudit } from "../kernel/audit.ts";
import type { VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { conflictOnUnique, parse } from "../kernel/parse.ts";
import { assertStaff } from "./access.ts";
import {
  createAssignmentInput,
  createCourseInput,
  createLessonInput,
  createModuleInput,
  updateCourseInput,
  updateLessonInput,
} from "./schemas.ts";
import { courseExists, insertRow, patchRow } from "./store.ts";

export async function createCourse({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createCourseInput, input, "course");
  const id = newId();
  const ts = nowIso(ctx.now());
  try {
    await writeWithAudit(
      ctx,
      [
        insertRow(ctx, "bootcamp_courses", {
          id,
          tenant_id: ctx.tenant.id,
          ...data,
          created_at: ts,
          updated_at: ts,
        }),
      ],
      {
        action: "bootcamp.course.create",
        entity: "bootcamp_courses",
        entityId: id,
        data: { slug: data.slug },
      },
    );
  } catch (e) {
    conflictOnUnique(e, `A course already uses the address “${data.slug}”.`);
  }
  return { id, ...data };
}

export async function updateCourse({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateCourseInput, input, "course");
  return patchRow(ctx, {
    table: "bootcamp_courses",
    id,
    changes,
    action: "bootcamp.course.update",
    audit: (fields) => Object.fromEntries(fields),
    missing: "No such course.",
  });
}

export async function createModule({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createModuleInput, input, "module");
  await courseExists(ctx, data.course_id);
  const id = newId();
  await writeWithAudit(
    ctx,
    [
      insertRow(ctx, "bootcamp_modules", {
        id,
        tenant_id: ctx.tenant.id,
        ...data,
        created_at: nowIso(ctx.now()),
      }),
    ],
    {
      action: "bootcamp.module.create",
      entity: "bootcamp_modules",
      entityId: id,
      data: { course_id: data.course_id },
    },
  );
  return { id, ...data };
}

export async function createLesson({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createLessonInput, input, "lesson");
  const mod = await ctx.db
    .prepare("SELECT course_id FROM bootcamp_modules WHERE tenant_id = ? AND id = ? AND archived_at IS NULL")
    .bind(ctx.tenant.id, data.module_id)
    .first<{ course_id: string }>();
  if (!mod) throw new DomainError("NOT_FOUND", "No such module.");
  const id = newId();
  const ts = nowIso(ctx.now());
  await writeWithAudit(
    ctx,
    [
      insertRow(ctx, "bootcamp_lessons", {
        id,
        tenant_id: ctx.tenant.id,
        course_id: mod.course_id,
        ...data,
        created_at: ts,
        updated_at: ts,
      }),
    ],
    {
      action: "bootcamp.lesson.create",
      entity: "bootcamp_lessons",
      entityId: id,
      data: { module_id: data.module_id },
    },
  );
  return { id, course_id: mod.course_id, ...data };
}

export async function updateLesson({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateLessonInput, input, "lesson");
  return patchRow(ctx, {
    table: "bootcamp_lessons",
    id,
    changes,
    action: "bootcamp.lesson.update",
    audit: (fields) => ({ fields: fields.map(([k]) => k) }),
    missing: "No such lesson.",
  });
}

export async function createAssignment({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createAssignmentInput, input, "assignment");
  await courseExists(ctx, data.course_id);
  const id = newId();
  const ts = nowIso(ctx.now());
  await writeWithAudit(
    ctx,
    [
      insertRow(ctx, "bootcamp_assignments", {
        id,
        tenant_id: ctx.tenant.id,
        ...data,
        rubric: JSON.stringify(data.rubric),
        created_at: ts,
        updated_at: ts,
      }),
    ],
    {
      action: "bootcamp.assignment.create",
      entity: "bootcamp_assignments",
      entityId: id,
      data: { course_id: data.course_id },
    },
  );
  return { id, ...data };
}
