/**
 * The dev server's guard (`astro dev`, Node; registered in astro.config.mjs). The dev server turns each request
 * into a fetch Request before the Worker sees it, and Node refuses some (TRACE, a URL with credentials from a
 * `user@` Host) with an error page and a stack trace. The same rules as the Worker's (./malformed.ts) are
 * answered here first, before any of that. Cross-origin writes too (./security.ts): refused inside workerd
 * before their body is read, they made the dev server's proxy fail with a 500 ("fetch failed") instead of a 403.
 */
import { refusalFor } from "./malformed";
import { isCrossOriginWrite } from "./security";

type DevRequest = { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };
type DevResponse = {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
};
type DevServer = {
  middlewares: { use(fn: (req: DevRequest, res: DevResponse, next: () => void) => void): unknown };
};

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function answer(res: DevResponse, status: number, body: object, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function malformedRequestGuard() {
  return {
    name: "fataplus-malformed-request-guard",
    enforce: "pre" as const,
    configureServer(server: DevServer) {
      server.middlewares.use((req, res, next) => {
        const refusal = refusalFor({
          method: req.method ?? "GET",
          host: one(req.headers.host),
          path: (req.url ?? "/").split("?")[0] ?? "/",
          contentType: one(req.headers["content-type"]),
          hasBody:
            Number(one(req.headers["content-length"]) ?? 0) > 0 ||
            req.headers["transfer-encoding"] !== undefined,
        });
        if (refusal) {
          answer(
            res,
            refusal.status,
            { error: { code: refusal.code, message: refusal.message } },
            refusal.headers,
          );
          return;
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers))
          for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, x);
        const probe = new Request(`http://${one(req.headers.host) ?? "localhost"}${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers,
        });
        if (isCrossOriginWrite(probe)) {
          answer(res, 403, {
            error: { code: "FORBIDDEN", message: "Cross-origin requests may not change anything here." },
          });
          return;
        }
        next();
      });
    },
  };
}
