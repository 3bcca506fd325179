/**
 * Single sign-on (decision 025): "Continuer avec Google / Microsoft" for people the platform already knows.
 *
 *   GET /api/auth/sso/providers           the configured providers (the sign-in pages show their buttons)
 *   GET /api/auth/sso/:provider/start     sets the state cookie, sends the browser to the provider
 *   GET /api/auth/sso/:provider/callback  back from the provider: checks, signs in, sends the browser on
 *
 * The flow always runs on the main site (PUBLIC_SITE_URL), whose /api/* the site proxies here: one redirect URI
 * per provider to register, and one host for the state cookie. A sign-in started on a project's subdomain
 * goes there first and comes back with a hand-off code, as the password sign-in of the main site does (session
 * cookies are per host). Every failure is a redirect to the sign-in page (or the invitation) with `?sso=<why>`,
 * which the site says in the person's language; none is a 5xx.
 */
import {
  createHandoff,
  createOidcProvider,
  DomainError,
  type Identity,
  isSsoProviderId,
  openSsoState,
  pkceChallenge,
  randomUrlSafe,
  SSO_STATE_COOKIE,
  SSO_STATE_TTL_SECONDS,
  type SsoFailure,
  type SsoProvider,
  type SsoState,
  sealSsoState,
  signInStep,
  ssoFailureOf,
  ssoSignIn,
} from "@fataplus/domain";
import type { App } from "bknd";
import { getCookie } from "hono/cookie";
import { type AppConfig, requestNow } from "../config.ts";
import { type AppContext, type AppServer, systemCtx } from "../http/context.ts";
import { issueSession } from "../http/sign-in.ts";

const COOKIE_PATH = "/api/auth/sso";
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The providers of a configuration, made once (their discovery and keys are cached per isolate). */
const providersOf = new WeakMap<AppConfig, Map<string, SsoProvider>>();
function provider(config: AppConfig, id: string): SsoProvider | null {
  let map = providersOf.get(config);
  if (!map) {
    map = new Map(config.sso.map((p) => [p.id, createOidcProvider(p)]));
    providersOf.set(config, map);
  }
  return map.get(id) ?? null;
}

/** A same-site path (as the site's safeNext), or null. */
function safeNext(next: string | undefined): string | null {
  if (!next || next.length > 500 || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return null;
  return [...next].some((ch) => ch.charCodeAt(0) < 0x20) ? null : next;
}

const langOf = (c: AppContext, asked?: string): "fr" | "en" =>
  asked === "en" || asked === "fr"
    ? asked
    : /^en\b/i.test(c.req.header("accept-language") ?? "")
      ? "en"
      : "fr";

/** A project's origin from the main site's: (https://fata.plus, acme) → https://acme.fata.plus */
function tenantOrigin(siteUrl: string, subdomain: string): string {
  const url = new URL(siteUrl);
  url.hostname = `${subdomain}.${url.hostname.replace(/^www\./, "")}`;
  return url.origin;
}

const redirectUri = (config: AppConfig, id: string) => `${config.siteUrl}/api/auth/sso/${id}/callback`;

function stateCookie(value: string, maxAge: number): string {
  return `${SSO_STATE_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`;
}

function redirect(location: string, headers = new Headers()): Response {
  headers.set("location", location);
  headers.set("cache-control", "no-store");
  headers.set("referrer-policy", "no-referrer");
  return new Response(null, { status: 303, headers });
}

/** Where a failure sends the browser: the page the sign-in started from, with the reason. */
function failure(
  config: AppConfig,
  why: SsoFailure,
  from: { lang: "fr" | "en"; portal?: string | null; next?: string | null; invitation?: string | null },
): Response {
  const origin = from.portal ? tenantOrigin(config.siteUrl, from.portal) : config.siteUrl;
  const prefix = from.lang === "en" ? "/en" : "";
  const params = new URLSearchParams({ sso: why });
  let page = `${prefix}/login`;
  if (from.invitation) {
    page = `${prefix}/invitation`;
    params.set("token", from.invitation);
  } else if (from.next) params.set("next", from.next);
  const headers = new Headers({ "set-cookie": stateCookie("", 0) });
  return redirect(`${origin}${page}?${params}`, headers);
}

/**
 * The last step of a sign-in through a provider: the person is known and the provider vouched for them. On the
 * main site, their session starts here and the site's /auth/sso/continue takes them where they belong; for a
 * sign-in started on a project's subdomain, a one-time hand-off code takes them there instead.
 * ONE function, so a second factor (decision 024) can be asked for in front of it.
 */
export async function completeSsoSignIn(
  app: App,
  c: AppContext,
  identity: Identity,
  flow: Pick<SsoState, "lang" | "next" | "portal">,
): Promise<Response> {
  const config = c.get("config");
  const next = flow.next ? `?next=${encodeURIComponent(flow.next)}` : "";
  // A second factor comes first, whichever way in (decision 024): the site's sign-in page asks for it, with the
  // challenge the provider's answer earned, and lands the person as a password sign-in would.
  const step = await signInStep({ ctx: systemCtx(c), identity, method: "sso" });
  if (step.kind === "challenge") {
    const to = new URL(flow.lang === "en" ? "/en/login" : "/login", config.siteUrl);
    to.searchParams.set("mfa_challenge", step.challenge);
    to.searchParams.set("mfa_step", step.step);
    to.searchParams.set("email", identity.email);
    if (flow.next) to.searchParams.set("next", flow.next);
    return redirect(to.href, new Headers({ "set-cookie": stateCookie("", 0) }));
  }
  if (flow.portal) {
    const { code, subdomain } = await createHandoff({
      ctx: systemCtx(c),
      input: { userId: identity.id, tenant: flow.portal },
    });
    const headers = new Headers({ "set-cookie": stateCookie("", 0) });
    const back = flow.next ?? (flow.lang === "en" ? "/en/" : "/");
    return redirect(
      `${tenantOrigin(config.siteUrl, subdomain)}/auth/handoff?code=${encodeURIComponent(code)}&next=${encodeURIComponent(back)}`,
      headers,
    );
  }
  const { headers } = await issueSession(app, c, identity, { method: "sso" });
  headers.append("set-cookie", stateCookie("", 0));
  return redirect(`${config.siteUrl}/auth/sso/continue${next}`, headers);
}

export function registerSsoRoutes(server: AppServer, app: App): void {
  server.get("/api/auth/sso/providers", (c) =>
    c.json({ providers: c.get("config").sso.map((p) => ({ id: p.id, label: p.label })) }, 200, {
      "cache-control": "no-store",
    }),
  );

  server.get("/api/auth/sso/:provider/start", async (c) => {
    const config = c.get("config");
    const q = (k: string) => c.req.query(k)?.slice(0, 500);
    const lang = langOf(c, q("lang"));
    const next = safeNext(q("next"));
    const token = q("invitation");
    const invitation = token && /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : null;
    // The project: the site's proxy names it for a project's subdomain; the main site gets it from the hop below.
    const tenantHeader = c.req.header("x-fataplus-tenant")?.toLowerCase() ?? null;
    const asked = tenantHeader ?? q("portal")?.toLowerCase() ?? null;
    const portal = asked && LABEL.test(asked) ? asked : null;
    const from = { lang, portal, next, invitation };
    const id = c.req.param("provider");
    const p = isSsoProviderId(id) ? provider(config, id) : null;
    if (!p) return failure(config, "unavailable", from);

    // The flow runs on the main site: a start anywhere else goes there first, saying where it came from.
    if (new URL(c.req.url).origin !== new URL(config.siteUrl).origin) {
      const params = new URLSearchParams({ lang });
      if (next) params.set("next", next);
      if (portal) params.set("portal", portal);
      if (invitation) params.set("invitation", invitation);
      return redirect(`${config.siteUrl}/api/auth/sso/${p.id}/start?${params}`);
    }
    const flow: SsoState = {
      provider: p.id,
      state: randomUrlSafe(),
      nonce: randomUrlSafe(),
      verifier: randomUrlSafe(48),
      ...from,
    };
    let location: string;
    try {
      location = await p.authorizationUrl({
        redirectUri: redirectUri(config, p.id),
        state: flow.state,
        nonce: flow.nonce,
        codeChallenge: await pkceChallenge(flow.verifier),
      });
    } catch (err) {
      console.warn("sso start failed", p.id, err instanceof Error ? err.message : String(err));
      return failure(config, ssoFailureOf(err), from);
    }
    const sealed = await sealSsoState(flow, config.jwtSecret, requestNow(config, c.req.raw));
    return redirect(location, new Headers({ "set-cookie": stateCookie(sealed, SSO_STATE_TTL_SECONDS) }));
  });

  server.get("/api/auth/sso/:provider/callback", async (c) => {
    const config = c.get("config");
    const now = requestNow(config, c.req.raw);
    let flow: SsoState;
    try {
      flow = await openSsoState(getCookie(c, SSO_STATE_COOKIE), config.jwtSecret, now);
    } catch {
      return failure(config, "state", { lang: langOf(c) });
    }
    const id = c.req.param("provider");
    const p = provider(config, id);
    if (!p || flow.provider !== id || c.req.query("state") !== flow.state)
      return failure(config, "state", flow);
    if (c.req.query("error")) return failure(config, "denied", flow);
    const code = c.req.query("code");
    if (!code || code.length > 2048) return failure(config, "provider", flow);
    try {
      const claims = await p.signIn({
        code,
        redirectUri: redirectUri(config, p.id),
        codeVerifier: flow.verifier,
        nonce: flow.nonce,
        now,
      });
      const { identity } = await ssoSignIn({
        ctx: { db: c.env.DB, now: () => now },
        input: {
          provider: claims.provider,
          subject: claims.subject,
          verifiedEmail: claims.verifiedEmail,
          name: claims.name,
          invitation: flow.invitation,
          locale: flow.lang,
        },
      });
      try {
        return await completeSsoSignIn(app, c, identity, flow);
      } catch (err) {
        if (err instanceof DomainError && err.code === "FORBIDDEN") return failure(config, "no_access", flow);
        throw err;
      }
    } catch (err) {
      const why = ssoFailureOf(err);
      console.warn("sso sign-in refused", p.id, why, err instanceof Error ? err.message : String(err));
      return failure(config, why, flow);
    }
  });
}
