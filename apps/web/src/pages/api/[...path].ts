import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { forwardToApi } from "../../lib/proxy";

export const prerender = false;

/**
 * Every method of /api/* goes to the bknd API worker through the `API` service binding, with the
 * tenant taken from the Host header (see src/middleware.ts). Unreachable API → 502 JSON.
 */
export const ALL: APIRoute = ({ request, locals }) => forwardToApi(env.API, request, locals.tenant);
