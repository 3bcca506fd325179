/** Pure helpers of the bootcamp's staff forms (tested in Node). */

/**
 * The rubric textarea, one criterion per line as "criterion | points", → [{ criterion, points }]. Blank lines
 * are skipped; a line without points gives NaN points, which the API refuses with a readable message.
 */
export function parseRubric(text: string): Array<{ criterion: string; points: number }> {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bar = line.lastIndexOf("|");
      const criterion = (bar === -1 ? line : line.slice(0, bar)).trim();
      const points = bar === -1 ? Number.NaN : Number(line.slice(bar + 1).trim() || Number.NaN);
      return { criterion, points };
    });
}
