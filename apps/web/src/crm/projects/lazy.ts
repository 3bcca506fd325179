/**
 * Loads ./actions (the API's zod schemas) once: on the first focus of a form, or at submit at the latest.
 */
let pending: Promise<typeof import("./actions")> | null = null;

export function loadActions(): Promise<typeof import("./actions")> {
  pending ??= import("./actions").catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** For onFocus / onPointerEnter: start loading, ignore failures (submit will retry and report). */
export function warmActions(): void {
  loadActions().catch(() => undefined);
}
