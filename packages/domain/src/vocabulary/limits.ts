/** Sizes the platform holds uploads to (the forms say them; the API refuses anything larger). */

const MB = 1024 * 1024;

/** A portal document's file, unless the deployment says otherwise (UPLOAD_MAX_BYTES). */
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * MB;

/** A learner's file submission to a bootcamp assignment. */
export const BOOTCAMP_SUBMISSION_MAX_BYTES = 10 * MB;

/** Bytes as people read a cap: 26214400 → 25 (MB). */
export const megabytes = (bytes: number): number => Math.round(bytes / MB);
