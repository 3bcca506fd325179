/**
 * Portal tools: `list_documents` (metadata only, never file contents or links) and `post_message` (to the
 * project's thread; it declares a live event, which the transport delivers to the project's open views).
 * Both verbs refuse the bootcamp's tenant, which has no portal (portal/tenant.ts).
 */
import { z } from "zod";
import { hasCapability } from "../kernel/roles.ts";
import { listDocuments } from "../portal/documents.ts";
import { messagePosted } from "../portal/live.ts";
import { postMessage } from "../portal/messages.ts";
import { documentVisibilities } from "../portal/schemas.ts";
import { defineTool, type ToolDescriptor } from "./descriptor.ts";
import { userText } from "./shapes.ts";
import { wrapFields } from "./untrusted.ts";

export const listDocumentsTool = defineTool({
  name: "list_documents",
  title: "List documents",
  description:
    "Lists the project's documents (metadata only: title, visibility, current version, file name, type, size, SHA-256, approval state). Clients see client-facing documents only. Files are downloaded in the portal, not through this tool.",
  scope: "read",
  allowedFor: (role) => hasCapability(role, "documents.read_client_facing"),
  input: z.strictObject({
    visibility: z
      .enum(documentVisibilities)
      .optional()
      .describe("The team may filter; clients always get client-facing ones."),
    limit: z.number().int().min(1).max(100).default(50),
  }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        title: userText("Document title"),
        visibility: z.enum(documentVisibilities),
        current_version: z.number(),
        file_name: userText("File name"),
        mime_type: z.string(),
        size_bytes: z.number(),
        sha256: z.string(),
        approval_status: z.string().nullable(),
        updated_at: z.string(),
      }),
    ),
    total: z.number(),
  }),
  handler: async ({ ctx, input }) => {
    const res = await listDocuments({ ctx, input });
    return {
      total: res.total,
      items: res.rows.map((d) =>
        wrapFields(
          {
            id: d.id,
            title: d.title,
            visibility: d.visibility,
            current_version: d.current_version,
            file_name: d.latest.file_name,
            mime_type: d.latest.mime_type,
            size_bytes: d.latest.size_bytes,
            sha256: d.latest.sha256,
            approval_status: d.approval?.status ?? null,
            updated_at: d.updated_at,
          },
          ["title", "file_name"],
        ),
      ),
    };
  },
});

export const postMessageTool = defineTool({
  name: "post_message",
  title: "Post a message",
  description:
    "Posts a message to the project's thread between the client and the project managers. Everyone with the portal open sees it at once. Signed with the token owner's name.",
  scope: "write",
  idempotent: false,
  allowedFor: (role) => hasCapability(role, "messages.send"),
  input: z.strictObject({
    body: z.string().trim().min(1).max(5000).describe("Plain text, up to 5000 characters."),
  }),
  // The agent gets the message's id, number and time; the open views get the whole message.
  output: z.object({ id: z.string(), seq: z.number(), created_at: z.string() }),
  handler: ({ ctx, input }) => postMessage({ ctx, input }),
  live: messagePosted,
});

/** This area's tools, in the order an agent sees them (tools/index.ts puts the areas together). */
export const portalTools: readonly ToolDescriptor[] = [listDocumentsTool, postMessageTool];
