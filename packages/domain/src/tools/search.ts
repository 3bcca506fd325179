/** The search tool: everything the caller may see in the client space, by name or title. */
import { z } from "zod";
import { searchEverything } from "../search/index.ts";
import { defineTool, type ToolDescriptor } from "./descriptor.ts";
import { userText } from "./shapes.ts";
import { wrapFields } from "./untrusted.ts";

export const search = defineTool({
  name: "search",
  title: "Search",
  description:
    "Searches everything you may see in this client space by name or title: projects and tasks, and for the team also clients and leads.",
  scope: "read",
  allowedFor: () => true,
  input: z.strictObject({
    query: z.string().trim().min(2, "must be at least 2 characters").max(100),
    limit: z.number().int().min(1).max(50).default(10).describe("Per kind of record."),
  }),
  output: z.object({
    query: z.string(),
    searched: z.array(z.string()),
    results: z.array(
      z.object({
        entity: z.string(),
        id: z.string(),
        label: userText("Name or title"),
        status: z.string().nullable(),
        project_id: z.string().nullable(),
        updated_at: z.string(),
      }),
    ),
  }),
  handler: async ({ ctx, input }) => {
    const res = await searchEverything({ ctx, input });
    return { ...res, results: res.results.map((r) => wrapFields(r, ["label"])) };
  },
});

/** This area's tools, in the order an agent sees them (tools/index.ts puts the areas together). */
export const searchTools: readonly ToolDescriptor[] = [search];
