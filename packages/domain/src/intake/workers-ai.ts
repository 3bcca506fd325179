/**
 * Workers AI adapter, used when the worker has an `AI` binding. Asks for JSON mode with the analysis' JSON
 * Schema (`response_format: { type: "json_schema" }`), validates the answer with zod, time-limited. Any failure
 * is an AnalyserError (the caller falls back to the built-in analyser).
 */
import {
  ANALYSIS_INSTRUCTIONS,
  AnalyserError,
  analysisJsonSchema,
  type IntakeAnalyser,
  intakeAsData,
  parseAnalysis,
  withTimeout,
} from "./analyser.ts";

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
  const timeoutMs = opts.timeoutMs ?? WORKERS_AI_DEFAULTS.timeoutMs;
  return {
    name: `workers-ai:${model}`,
    analyse: (intake) =>
      withTimeout(
        timeoutMs,
        async (signal) => {
          let out: unknown;
          try {
            out = await opts.ai.run(
              model,
              {
                messages: [
                  { role: "system", content: ANALYSIS_INSTRUCTIONS },
                  { role: "user", content: `<intake>${intakeAsData(intake)}</intake>` },
                ],
                response_format: { type: "json_schema", json_schema: analysisJsonSchema },
                max_tokens: 4096,
              },
              { signal },
            );
          } catch (err) {
            throw new AnalyserError("unavailable", err instanceof Error ? err.message : String(err));
          }
          const response = (out as { response?: unknown } | null)?.response;
          if (response === undefined || response === null) {
            throw new AnalyserError("malformed", "the answer has no response");
          }
          return parseAnalysis(response);
        },
        "Workers AI",
      ),
  };
}
