/**
 * The routes anyone may call without a session: the gate lets these through (src/bknd/gate/index.ts), and the
 * handlers decide from there (a signed link's token, the intake's throttles, the public bootcamp's tenant).
 * A table of its own, so the gate depends on no route module; src/routes/public-routes.test.ts checks that
 * every public route the worker registers is listed here.
 */
export type RouteRule = readonly [method: string, path: RegExp];

/** The bootcamp's public pages (src/routes/bootcamp.ts): catalogue, one course, applying, certificates. */
export const BOOTCAMP_PUBLIC_ROUTES: readonly RouteRule[] = [
  ["GET", /^\/api\/public\/bootcamp\/catalogue$/],
  ["GET", /^\/api\/public\/bootcamp\/courses\/[^/]+$/],
  ["POST", /^\/api\/public\/bootcamp\/applications$/],
  ["GET", /^\/api\/public\/bootcamp\/certificates\/[^/]+$/],
];

export const PUBLIC_ROUTES: readonly RouteRule[] = [
  ["GET", /^\/api\/health$/],
  ["GET", /^\/api\/public\/tenant$/],
  ["POST", /^\/api\/auth\/login$/],
  ["POST", /^\/api\/auth\/password\/login$/],
  ["POST", /^\/api\/auth\/logout$/],
  ["GET", /^\/api\/auth\/logout$/],
  ["GET", /^\/api\/auth\/me$/],
  ["GET", /^\/api\/auth\/strategies$/], // the admin UI's login form needs it; it lists "password" only
  ["POST", /^\/api\/auth\/invitations\/accept$/],
  ["POST", /^\/api\/auth\/handoff\/redeem$/],
  ["POST", /^\/api\/auth\/reset\/(request|check|confirm)$/], // password reset (src/routes/passwords.ts)
  // single sign-on (src/routes/sso.ts): the providers' list, the start and the provider's return
  ["GET", /^\/api\/auth\/sso\/providers$/],
  ["GET", /^\/api\/auth\/sso\/[a-z]{1,20}\/(start|callback)$/],
  ["POST", /^\/api\/auth\/mfa\/verify$/], // the second step of a sign-in: the challenge is the permission
  ["POST", /^\/api\/auth\/mfa\/enrol$/],
  ["GET", /^\/api\/system\/ping$/],
  ["POST", /^\/api\/intake$/], // the public intake form (src/routes/intake.ts)
  ...BOOTCAMP_PUBLIC_ROUTES,
  ["GET", /^\/api\/files\/[A-Za-z0-9._-]{1,2048}$/], // signed download links: the token is the permission
  // a notification e-mail's unsubscribe link (src/routes/notifications.ts): the signed token is the permission
  ["GET", /^\/api\/notifications\/unsubscribe$/],
  ["POST", /^\/api\/notifications\/unsubscribe$/],
  ["POST", /^\/api\/webhooks\/stripe$/], // card payments (src/routes/money.ts): the signature is the permission
];

export const isPublicRoute = (method: string, path: string): boolean =>
  PUBLIC_ROUTES.some(([m, r]) => m === method && r.test(path));
