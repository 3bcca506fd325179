/**
 * Anthropic Claude adapter: the Messages API over fetch, used when an API key is configured. Structured output
 * comes through one forced tool (`record_analysis`, whose input schema is the analysis' JSON Schema); the
 * tool input is validated with zod. Time-limited; any failure is an AnalyserError (the caller falls back).
 */
import {
  AnalyserError,
  type AnalysisPrompt,
  aiAnalyser,
  errorText,
  type IntakeAnalyser,
} from "./analyser.ts";

export const CLAUDE_DEFAULTS = {
  baseUrl: "https://api.anthropic.com",
  model: "claude-sonnet-4-5",
  timeoutMs: 15_000,
  maxTokens: 4096,
  anthropicVersion: "2023-06-01",
} as const;

export const ANALYSIS_TOOL = "record_analysis";

export type ClaudeOptions = {
  apiKey: string;
  baseUrl?: string;
  model?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

type MessagesAnswer = {
  content?: Array<{ type: string; name?: string; input?: unknown; text?: string }>;
  stop_reason?: string;
};

export function claudeAnalyser(opts: ClaudeOptions): IntakeAnalyser {
  const model = opts.model ?? CLAUDE_DEFAULTS.model;
  const baseUrl = (opts.baseUrl ?? CLAUDE_DEFAULTS.baseUrl).replace(/\/+$/, "");
  const doFetch = opts.fetch ?? fetch;
  const request = (prompt: AnalysisPrompt, signal: AbortSignal) =>
    doFetch(`${baseUrl}/v1/messages`, {
      method: "POST",
      signal,
      headers: {
        "content-type": "application/json",
        "x-api-key": opts.apiKey,
        "anthropic-version": CLAUDE_DEFAULTS.anthropicVersion,
      },
      body: JSON.stringify({
        model,
        max_tokens: CLAUDE_DEFAULTS.maxTokens,
        system: prompt.system,
        tools: [
          {
            name: ANALYSIS_TOOL,
            description: "Record the structured analysis of the intake.",
            input_schema: prompt.schema,
          },
        ],
        tool_choice: { type: "tool", name: ANALYSIS_TOOL },
        messages: [{ role: "user", content: prompt.user }],
      }),
    });
  return aiAnalyser({
    name: `claude:${model}`,
    what: "Claude",
    timeoutMs: opts.timeoutMs ?? CLAUDE_DEFAULTS.timeoutMs,
    ask: async (prompt, signal) => {
      let res: Response;
      try {
        res = await request(prompt, signal);
      } catch (err) {
        if (signal.aborted) throw new AnalyserError("timeout", "the request was aborted");
        throw new AnalyserError("unavailable", errorText(err));
      }
      if (!res.ok) throw new AnalyserError("http", `the Messages API answered ${res.status}`);
      let body: MessagesAnswer;
      try {
        body = (await res.json()) as MessagesAnswer;
      } catch {
        throw new AnalyserError("malformed", "the Messages API answer is not JSON");
      }
      const tool = body.content?.find((c) => c.type === "tool_use" && c.name === ANALYSIS_TOOL);
      if (!tool) throw new AnalyserError("malformed", "the answer has no record_analysis tool call");
      return tool.input;
    },
  });
}
