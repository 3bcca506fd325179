/**
 * Workers AI adapter, used when the worker has an `AI` binding. Asks for JSON mode with the analysis' JSON
 * Schema (`response_format: { type: "json_schema" }`), validates the answer with zod, time-limited. Any failure
 * is an AnalyserError (the caller falls back to the built-in analyser).
 */
import { AnalyserError, aiAnalyser, errorText, type IntakeAnalyser } from "./analyser.ts";

export const WORKERS_AI_DEFAULTS = {
  model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  timeoutMs: 15_000,
} as const;

/** The part of the `Ai` binding this adapter uses (a stub binding in tests). */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

export function workersAiAnalyser(opts: {
  ai: AiBinding;
  model?: string;
  timeoutMs?: number;
}): IntakeAnalyser {
  const model = opts.model ?? WORKERS_AI_DEFAULTS.model;
  return aiAnalyser({
    name: `workers-ai:${model}`,
    what: "Workers AI",
    timeoutMs: opts.timeoutMs ?? WORKERS_AI_DEFAULTS.timeoutMs,
    ask: async (prompt, signal) => {
      let out: unknown;
      try {
        out = await opts.ai.run(
          model,
          {
            messages: [
              { role: "system", content: prompt.system },
              { role: "user", content: prompt.user },
            ],
            response_format: { type: "json_schema", json_schema: prompt.schema },
            max_tokens: 4096,
          },
          { signal },
        );
      } catch (err) {
        throw new AnalyserError("unavailable", errorText(err));
      }
      const response =
        typeof out === "object" && out !== null && "response" in out ? out.response : undefined;
      if (response === undefined || response === null) {
        throw new AnalyserError("malformed", "the answer has no response");
      }
      return response;
    },
  });
}
