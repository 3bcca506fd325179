/**
 * Phone numbers, checked and written the same way everywhere (the site's forms, the data API, the intake) with
 * libphonenumber-js, the maintained port of Google's libphonenumber (its "min" metadata: every country, valid
 * lengths and prefixes; decision 033). A number without a country code is read as Malagasy (the agency's
 * country); French and other numbers are typed with their code (+33 6 12 34 56 78). A valid number is stored
 * in international format (+261 34 12 345 67), so the same number typed two ways reads the same.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** The country a number without +code belongs to. */
export const DEFAULT_PHONE_COUNTRY = "MG" as const;

/** The longest phone number accepted (the column's bound, before formatting). */
export const PHONE_MAX = 40;

/** The number in international format, or null when it is not a valid phone number. */
export function normalizePhone(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > PHONE_MAX) return null;
  const parsed = parsePhoneNumberFromString(text, DEFAULT_PHONE_COUNTRY);
  if (!parsed?.isValid()) return null;
  return parsed.formatInternational();
}

/** The English message of a refused number (the site shows its own, in French or English). */
export const PHONE_MESSAGE =
  "must be a phone number, such as 034 12 345 67 (Madagascar) or +33 6 12 34 56 78 (France)";
