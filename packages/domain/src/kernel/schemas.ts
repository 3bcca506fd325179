/** Zod schemas more than one area shares. */
import { z } from "zod";

/** An e-mail address as typed: trimmed, lower-cased, at most `max` characters. */
export const emailAddress = (max = 254) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(max));
