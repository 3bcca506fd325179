import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import type { Message } from "../portal/messages.ts";
import { defineTool } from "./descriptor.ts";
import { tools } from "./index.ts";

/** These tools never reach the database: any statement would be a bug. */
const noDatabase = (): never => {
  throw new Error("no database in this test");
};
const db: D1Database = {
  prepare: noDatabase,
  batch: noDatabase,
  exec: noDatabase,
  withSession: noDatabase,
  dump: noDatabase,
};
const ctx = (role: Ctx["role"]): Ctx => ({
  db,
  tenant: { id: "FP-T", name: "T", subdomain: "t", kind: "project" },
  role,
  actor: { type: "token", tokenId: "tok", userId: 1, agencyRole: "member", write: true },
  now: () => new Date(),
});

const message: Message = {
  id: "m1",
  seq: 3,
  author_id: 1,
  author_name: "Ana",
  author_side: "agency",
  body: "hello",
  created_at: "2026-11-23T10:00:00.000Z",
};

const echo = defineTool({
  name: "echo_message",
  title: "Echo",
  description: "A test tool that returns a whole message.",
  scope: "write",
  allowedFor: (role) => role !== "client",
  input: z.strictObject({ body: z.string() }),
  output: z.object({ id: z.string(), seq: z.number() }),
  handler: async ({ input }) => ({ ...message, body: input.body }),
  live: (m) => ({ type: "message", message: m }),
});

describe("tool effects", () => {
  it("a tool declares its live event; the agent gets the output only, the views the whole result", async () => {
    expect(echo.publishesLive).toBe(true);
    const { output, live } = await echo.run({ ctx: ctx("project_manager"), input: { body: "hi" } });
    expect(output).toEqual({ id: "m1", seq: 3 });
    expect(live).toEqual({ type: "message", message: { ...message, body: "hi" } });
  });

  it("a refused call declares nothing: the role is checked before the handler runs", async () => {
    await expect(echo.run({ ctx: ctx("client"), input: { body: "hi" } })).rejects.toThrow(/may not use/);
  });

  it("post_message is the one tool that publishes to the project's open views", () => {
    expect(tools.filter((t) => t.publishesLive).map((t) => t.name)).toEqual(["post_message"]);
  });
});
