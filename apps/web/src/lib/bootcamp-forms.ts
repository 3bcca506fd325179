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

type QuizQuestionForm =
  | {
      kind: "single" | "multiple";
      prompt: string;
      feedback: string;
      choices: Array<{ text: string; correct: boolean; feedback: string }>;
    }
  | { kind: "short"; prompt: string; feedback: string; accepted: string[] };

/**
 * The quiz textarea → questions for the API (which checks them and answers readably). One block per question:
 *   `? prompt` single choice, `?? prompt` multiple choice, `?= prompt` short answer;
 *   `+ choice :: feedback` a right choice, `- choice :: feedback` a wrong one (`:: feedback` optional);
 *   `= answer` an accepted short answer; `> text` the question's feedback.
 */
export function parseQuiz(text: string): QuizQuestionForm[] {
  const out: QuizQuestionForm[] = [];
  const split = (s: string) => {
    const i = s.indexOf("::");
    return i === -1
      ? { text: s.trim(), feedback: "" }
      : { text: s.slice(0, i).trim(), feedback: s.slice(i + 2).trim() };
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const last = out[out.length - 1];
    if (line.startsWith("?="))
      out.push({ kind: "short", prompt: line.slice(2).trim(), feedback: "", accepted: [] });
    else if (line.startsWith("??"))
      out.push({ kind: "multiple", prompt: line.slice(2).trim(), feedback: "", choices: [] });
    else if (line.startsWith("?"))
      out.push({ kind: "single", prompt: line.slice(1).trim(), feedback: "", choices: [] });
    else if (!last) continue;
    else if (line.startsWith(">"))
      last.feedback = [last.feedback, line.slice(1).trim()].filter(Boolean).join(" ");
    else if (line.startsWith("=") && last.kind === "short") last.accepted.push(line.slice(1).trim());
    else if ((line.startsWith("+") || line.startsWith("-")) && last.kind !== "short")
      last.choices.push({ ...split(line.slice(1)), correct: line.startsWith("+") });
  }
  return out;
}

/** Questions back to the textarea's format (to edit a quiz). */
export function quizText(questions: readonly QuizQuestionForm[]): string {
  return questions
    .map((q) => {
      const head = `${q.kind === "short" ? "?=" : q.kind === "multiple" ? "??" : "?"} ${q.prompt}`;
      const body =
        q.kind === "short"
          ? q.accepted.map((a) => `= ${a}`)
          : q.choices.map(
              (c) => `${c.correct ? "+" : "-"} ${c.text}${c.feedback ? ` :: ${c.feedback}` : ""}`,
            );
      return [head, ...body, ...(q.feedback ? [`> ${q.feedback}`] : [])].join("\n");
    })
    .join("\n\n");
}

/** `ids` with the one at `id` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveId(ids: readonly string[], id: string, by: -1 | 1): string[] {
  const out = [...ids];
  const i = out.indexOf(id);
  const j = i + by;
  if (i === -1 || j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j] ?? id, out[i] ?? id];
  return out;
}
