/**
 * When two client names are "the same or similar" (the duplicate warning of the client picker; decision 033):
 * compared on a key that ignores case, accents, punctuation and legal forms (SARL, SAS, SA, EURL, Ltd…), two
 * names are similar when their keys are equal, when one holds the other (four characters at least), or when
 * they differ by one typo (two for names longer than eight characters). Pure, no library: it runs in islands.
 */

const LEGAL_FORMS = new Set([
  "sarl",
  "sarlu",
  "sas",
  "sasu",
  "sa",
  "eurl",
  "sci",
  "ltd",
  "llc",
  "inc",
  "gmbh",
  "suarl",
]);

/** The comparison key of a name: lower case, no accents, words of letters and digits, legal forms dropped. */
export function nameKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !LEGAL_FORMS.has(w))
    .join(" ");
}

/** Levenshtein distance, stopping early once it exceeds `max` (then max + 1). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

export function similarNames(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (!ka || !kb) return false;
  if (ka === kb) return true;
  const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  if (short.length >= 4 && long.includes(short)) return true;
  return distance(ka, kb, long.length > 8 ? 2 : 1) <= (long.length > 8 ? 2 : 1);
}
