/** Where the MCP resource and its metadata are (decision 031): on the host the client calls. */
export const MCP_PATH = "/api/system/mcp";

/** The MCP resource, exactly as clients call it: tokens are bound to it (audience), so it follows the host. */
export const mcpResource = (origin: string) => `${origin}${MCP_PATH}`;

/** The resource's metadata (RFC 9728), named in every 401 of the MCP endpoint. */
export const resourceMetadataUrl = (origin: string) =>
  `${origin}/.well-known/oauth-protected-resource${MCP_PATH}`;
