/**
 * Requests the site refuses before anything reads them, with a 4xx and a short bilingual message, never a 500
 * or a stack trace (security review, issue 14). Plain TypeScript without Astro or Node types: the Worker's
 * middleware (src/middleware.ts) and the dev server's guard (./dev-guard.ts, in astro.config.mjs) both ask it.
 *  - a method the site does not serve (TRACE, TRACK, CONNECT, WebDAV's…): 405;
 *  - a Host that is not a host name with an optional port (`user@host`, a path, spaces…): 400;
 *  - a write to a page (not /api/*) whose body is not a form: 415 (pages read forms only).
 */

export const SITE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type Refusal = {
  status: 400 | 405 | 415;
  code: string;
  message: string;
  headers?: Record<string, string>;
};

/** A host name or IPv4 address, or a bracketed IPv6 address, and an optional port: nothing else. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isValidHost(host: string | null | undefined): boolean {
  if (host === null || host === undefined) return true; // HTTP/1.0 or an internal call: the URL decides
  if (host.length > 260 || !HOST.test(host)) return false;
  const port = /:(\d+)$/.exec(host)?.[1];
  return port === undefined || Number(port) <= 65_535;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Paths whose bodies are not the pages' forms: the API proxy and the live channel. */
const isPassThrough = (path: string) =>
  path === "/api" || path.startsWith("/api/") || path.startsWith("/ws/");

export function refusalFor(req: {
  method: string;
  host: string | null | undefined;
  path: string;
  contentType: string | null | undefined;
  hasBody: boolean;
  /** The request's URL carries a user name or password (the runtime built it from a `user@` Host). */
  credentials?: boolean;
}): Refusal | null {
  const method = req.method.toUpperCase();
  if (!(SITE_METHODS as readonly string[]).includes(method)) {
    return {
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      message: "Méthode non prise en charge. / This method is not supported.",
      headers: { allow: SITE_METHODS.join(", ") },
    };
  }
  if (req.credentials || !isValidHost(req.host)) {
    return { status: 400, code: "BAD_REQUEST", message: "En-tête Host invalide. / Invalid Host header." };
  }
  if (
    WRITES.has(method) &&
    req.hasBody &&
    !isPassThrough(req.path) &&
    !FORM_TYPES.test(req.contentType ?? "")
  ) {
    return {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: "Envoyez ce formulaire tel quel. / Send this form as a form.",
    };
  }
  return null;
}

/** The refusal as a JSON answer that is never cached. */
export function refusalResponse(r: Refusal): Response {
  return new Response(JSON.stringify({ error: { code: r.code, message: r.message } }), {
    status: r.status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...r.headers },
  });
}

/** A page's form write whose body can't be read as the form it says it is (a broken multipart body…): 400. */
export async function unreadableForm(request: Request, path: string): Promise<Refusal | null> {
  if (!WRITES.has(request.method.toUpperCase()) || request.body === null || isPassThrough(path)) return null;
  try {
    await request.clone().formData();
    return null;
  } catch {
    return {
      status: 400,
      code: "BAD_REQUEST",
      message: "Ce formulaire est illisible. / This form can't be read.",
    };
  }
}
