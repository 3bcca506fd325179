import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { forwardToApi } from "../../lib/proxy";

export const prerender = false;

/**
 * /ws/* (the portal's live messages) goes to the API worker like /api/*: same allow-listed headers, the tenant
 * from the Host. The WebSocket handshake comes back untouched (src/lib/proxy.ts).
 */
export const GET: APIRoute = ({ request, locals }) => forwardToApi(env.API, request, locals.tenant);
