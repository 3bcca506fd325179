/**
 * What a tool is: a domain verb an AI agent may call, with what a transport needs to expose it (name,
 * description, read or write scope, destructive flag, zod input and output), a `run` that checks the role and
 * the token scope again, validates the input, calls the verb and shapes the output, and the effects the call
 * declares (`live`: an event for the project's open views), which the transport carries out. No transport
 * knows a tool by its name.
 */
import type { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { can, type ExposedEntity, type TenantRole } from "../kernel/roles.ts";
import type { LiveEvent } from "../portal/live.ts";
import { assertActorMayWrite } from "../tokens/index.ts";

export type ToolScope = "read" | "write";

/** A successful call: what the agent gets back, and what the project's open views should hear, if anything. */
export type ToolResult = { output: Record<string, unknown>; live: LiveEvent | null };

export type ToolDescriptor = {
  name: string;
  title: string;
  description: string;
  scope: ToolScope;
  /** May destroy or overwrite data the caller can't get back (MCP `destructiveHint`). */
  destructive: boolean;
  /** Calling it twice with the same input has no further effect (MCP `idempotentHint`). */
  idempotent: boolean;
  /** The tenant roles that may call it; the verb checks again. */
  allowedFor: (role: TenantRole) => boolean;
  input: z.ZodObject;
  output: z.ZodObject;
  /** A successful call publishes an event to the project's open views (ToolResult `live`). */
  publishesLive: boolean;
  /** Checks role and scope, validates the input, runs the verb, returns the output (parsed: no extra field). */
  run: (args: { ctx: Ctx; input: unknown }) => Promise<ToolResult>;
};

export function defineTool<I extends z.ZodObject, O extends z.ZodObject, R>(def: {
  name: string;
  title: string;
  description: string;
  scope: ToolScope;
  destructive?: boolean;
  idempotent?: boolean;
  allowedFor: (role: TenantRole) => boolean;
  input: I;
  output: O;
  /** Rows from D1 are untyped: the output schema is checked on every result instead (see `run`). */
  handler: (args: { ctx: Ctx; input: z.output<I> }) => Promise<R>;
  /** The event the project's open views hear once the call succeeded, from the handler's full result. */
  live?: (result: R) => LiveEvent;
}): ToolDescriptor {
  const { handler, live, ...rest } = def;
  return {
    ...rest,
    destructive: def.destructive ?? false,
    idempotent: def.idempotent ?? def.scope === "read",
    publishesLive: live !== undefined,
    run: async ({ ctx, input }) => {
      if (!def.allowedFor(ctx.role)) {
        throw new DomainError(
          "FORBIDDEN",
          `Your role (${ctx.role}) may not use ${def.name} in this project.`,
        );
      }
      if (def.scope === "write") assertActorMayWrite(ctx.actor);
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success) throw validationError(parsed.error.issues, `Invalid arguments for ${def.name}`);
      const result = await handler({ ctx, input: parsed.data });
      const out = def.output.safeParse(result);
      if (!out.success) {
        throw new DomainError("INTERNAL", `The result of ${def.name} did not match its schema.`, {
          cause: out.error,
        });
      }
      return { output: out.data, live: live ? live(result) : null };
    },
  };
}

export const reads = (entity: ExposedEntity) => (role: TenantRole) => can(role, entity, "read");
