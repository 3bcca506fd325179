/**
 * A local fake OpenID Connect provider (decision 025): what the tests and `npm start` sign in against, so that
 * no real provider (Google, Microsoft) is ever called. One Node server answers for several issuers, one per
 * path (`<url>/google`, `<url>/microsoft`), each shaped like the real one's ID tokens:
 *
 *   GET  /<issuer>/.well-known/openid-configuration   discovery
 *   GET  /<issuer>/authorize    consents at once for the person the test chose (below), or shows a small form
 *   POST /<issuer>/token        checks the client's secret, the redirect URI and PKCE S256; one use per code
 *   GET  /<issuer>/jwks         its RSA public key
 *   POST /_test/next-login      queues who the next /authorize signs in (JSON body: a FakeLogin)
 *
 * Who signs in: `login_email` (+ `login_verified`, `login_sub`, `login_name`, `login_tamper`, `login_deny`) in
 * the authorize URL, else the oldest queued login of that issuer, else a form (for a person trying `npm start`).
 * `tamper` makes the ID token wrong on purpose: signed by another key, another nonce, another audience, another
 * issuer, or already expired. ID tokens are RS256, signed with keys made at start (jose).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export type FakeIssuerKind = "google" | "microsoft";

export type FakeLogin = {
  email: string;
  /** Google: `email_verified`; Microsoft: `xms_edov` (default true). */
  verified?: boolean;
  /** The provider's subject; by default derived from the address (same person, same subject). */
  sub?: string;
  name?: string;
  /** Microsoft only: the directory (default: an organisation's). */
  tid?: string;
  tamper?: "signature" | "nonce" | "audience" | "issuer" | "expired";
  /** The person refuses at the provider's page: back with error=access_denied. */
  deny?: boolean;
};

export type FakeClient = { id: string; secret: string };

export type FakeOidc = {
  /** Base URL, e.g. http://127.0.0.1:8790 */
  url: string;
  /** An issuer's URL, exactly as its tokens spell it. */
  issuer(kind: FakeIssuerKind): string;
  /** Queues who the next /authorize of `kind` signs in. */
  nextLogin(kind: FakeIssuerKind, login: FakeLogin): void;
  /** Every token request answered, for assertions (what was checked, what was issued). */
  readonly exchanges: Array<{ issuer: FakeIssuerKind; ok: boolean; reason?: string }>;
  stop(): Promise<void>;
};

type Pending = {
  issuer: FakeIssuerKind;
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  login: FakeLogin;
  expires: number;
  used: boolean;
};

export const ORGANISATION_TENANT = "00000000-0000-4000-8000-00000000c0de";
const KINDS: readonly FakeIssuerKind[] = ["google", "microsoft"];
const b64url = (b: Buffer) => b.toString("base64url");
export const subjectOf = (email: string) =>
  `fake-${createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 24)}`;

export async function startFakeOidc(
  opts: { port?: number; host?: string; clients: FakeClient[] } = { clients: [] },
): Promise<FakeOidc> {
  const host = opts.host ?? "127.0.0.1";
  const keys = await generateKeyPair("RS256", { extractable: true });
  const otherKeys = await generateKeyPair("RS256", { extractable: true });
  const kid = b64url(randomBytes(8));
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: "RS256", use: "sig" };
  const queued = new Map<FakeIssuerKind, FakeLogin[]>(KINDS.map((k) => [k, []]));
  const codes = new Map<string, Pending>();
  const exchanges: FakeOidc["exchanges"] = [];
  let base = "";
  const issuerUrl = (kind: FakeIssuerKind) => `${base}/${kind}`;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json",
      "cache-control": "no-store",
      ...headers,
    });
    res.end(text);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = "";
      req.on("data", (c: Buffer) => {
        data += c.toString();
        if (data.length > 65_536) reject(new Error("body too large"));
      });
      req.on("end", () => resolve(data));
      req.on("error", reject);
    });

  function loginFromQuery(q: URLSearchParams): FakeLogin | null {
    const email = q.get("login_email");
    if (!email) return null;
    const tamper = q.get("login_tamper");
    return {
      email,
      verified: q.get("login_verified") !== "0",
      ...(q.get("login_sub") ? { sub: q.get("login_sub") ?? "" } : {}),
      ...(q.get("login_name") ? { name: q.get("login_name") ?? "" } : {}),
      ...(q.get("login_tid") ? { tid: q.get("login_tid") ?? "" } : {}),
      ...(tamper ? { tamper: tamper as NonNullable<FakeLogin["tamper"]> } : {}),
      ...(q.get("login_deny") === "1" ? { deny: true } : {}),
    };
  }

  function authorize(kind: FakeIssuerKind, url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const client = opts.clients.find((c) => c.id === q.get("client_id"));
    const redirectUri = q.get("redirect_uri") ?? "";
    if (!client || !/^https?:\/\//.test(redirectUri))
      return send(res, 400, "<h1>Fake provider: unknown client or redirect_uri</h1>");
    const state = q.get("state") ?? "";
    const challenge = q.get("code_challenge") ?? "";
    if (
      q.get("response_type") !== "code" ||
      q.get("code_challenge_method") !== "S256" ||
      challenge.length < 43 ||
      !state ||
      !q.get("nonce") ||
      !(q.get("scope") ?? "").split(" ").includes("openid")
    ) {
      const back = new URL(redirectUri);
      back.searchParams.set("error", "invalid_request");
      if (state) back.searchParams.set("state", state);
      return send(res, 302, "", { location: back.href });
    }
    const login = loginFromQuery(q) ?? queued.get(kind)?.shift() ?? null;
    if (!login) return send(res, 200, loginForm(kind, url));
    const back = new URL(redirectUri);
    back.searchParams.set("state", state);
    if (login.deny) {
      back.searchParams.set("error", "access_denied");
      return send(res, 302, "", { location: back.href });
    }
    const code = b64url(randomBytes(24));
    codes.set(code, {
      issuer: kind,
      clientId: client.id,
      redirectUri,
      challenge,
      nonce: q.get("nonce") ?? "",
      login,
      expires: Date.now() + 60_000,
      used: false,
    });
    back.searchParams.set("code", code);
    return send(res, 302, "", { location: back.href });
  }

  async function token(kind: FakeIssuerKind, req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    const refuse = (reason: string, status = 400) => {
      exchanges.push({ issuer: kind, ok: false, reason });
      return send(res, status, { error: status === 401 ? "invalid_client" : "invalid_grant", reason });
    };
    let clientId = form.get("client_id") ?? "";
    let secret = form.get("client_secret") ?? "";
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    if (basic?.[1]) {
      const [id, pw] = Buffer.from(basic[1], "base64").toString().split(":");
      clientId = decodeURIComponent(id ?? "");
      secret = decodeURIComponent(pw ?? "");
    }
    const client = opts.clients.find((c) => c.id === clientId);
    if (!client || client.secret !== secret) return refuse("client authentication failed", 401);
    if (form.get("grant_type") !== "authorization_code") return refuse("grant_type");
    const pending = codes.get(form.get("code") ?? "");
    if (!pending || pending.used || pending.expires < Date.now() || pending.issuer !== kind)
      return refuse("unknown, used or expired code");
    pending.used = true;
    if (pending.clientId !== clientId) return refuse("code of another client");
    if (pending.redirectUri !== form.get("redirect_uri")) return refuse("redirect_uri differs");
    const verifier = form.get("code_verifier") ?? "";
    const challenge = b64url(createHash("sha256").update(verifier).digest());
    if (verifier.length < 43 || challenge !== pending.challenge)
      return refuse("PKCE verifier does not match");

    const { login } = pending;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      email: login.email,
      name: login.name ?? login.email.split("@")[0],
      nonce: login.tamper === "nonce" ? "another-nonce-from-somewhere-else" : pending.nonce,
    };
    const tid = login.tid ?? ORGANISATION_TENANT;
    if (kind === "google") claims.email_verified = login.verified ?? true;
    else Object.assign(claims, { tid, xms_edov: login.verified ?? true, ver: "2.0" });
    const issuer = kind === "microsoft" ? `${base}/microsoft/${tid}/v2.0` : issuerUrl(kind);
    const signer = login.tamper === "signature" ? otherKeys.privateKey : keys.privateKey;
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(login.tamper === "issuer" ? `${base}/elsewhere` : issuer)
      .setAudience(login.tamper === "audience" ? "another-client" : clientId)
      .setSubject(login.sub ?? subjectOf(login.email))
      .setIssuedAt(login.tamper === "expired" ? now - 7200 : now)
      .setExpirationTime(login.tamper === "expired" ? now - 3600 : now + 600)
      .sign(signer);
    exchanges.push({ issuer: kind, ok: true });
    return send(res, 200, {
      access_token: b64url(randomBytes(24)),
      token_type: "Bearer",
      expires_in: 600,
      id_token: idToken,
    });
  }

  function discovery(kind: FakeIssuerKind) {
    const iss = issuerUrl(kind);
    return {
      // Microsoft's multi-tenant discovery names a template; its tokens name the directory.
      issuer: kind === "microsoft" ? `${base}/microsoft/{tenantid}/v2.0` : iss,
      authorization_endpoint: `${iss}/authorize`,
      token_endpoint: `${iss}/token`,
      jwks_uri: `${iss}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: ["openid", "email", "profile"],
    };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base || "http://localhost");
    const [, first, ...rest] = url.pathname.split("/");
    const handle = async () => {
      if (req.method === "POST" && url.pathname === "/_test/next-login") {
        const body = JSON.parse((await readBody(req)) || "{}") as { issuer?: FakeIssuerKind } & FakeLogin;
        const kind = body.issuer ?? "google";
        if (!KINDS.includes(kind) || typeof body.email !== "string")
          return send(res, 400, { error: "bad login" });
        const { issuer: _issuer, ...login } = body;
        queued.get(kind)?.push(login);
        return send(res, 204, "");
      }
      const kind = KINDS.find((k) => k === first);
      if (!kind) return send(res, 404, { error: "not found" });
      const path = `/${rest.join("/")}`;
      if (req.method === "GET" && path === "/.well-known/openid-configuration")
        return send(res, 200, discovery(kind));
      if (req.method === "GET" && path === "/jwks") return send(res, 200, { keys: [jwk] });
      if (req.method === "GET" && path === "/authorize") return authorize(kind, url, res);
      if (req.method === "POST" && path === "/token") return token(kind, req, res);
      return send(res, 404, { error: "not found" });
    };
    handle().catch((e: unknown) => send(res, 500, { error: String(e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  base = `http://${host}:${port}`;
  return {
    url: base,
    issuer: issuerUrl,
    nextLogin: (kind, login) => queued.get(kind)?.push(login),
    exchanges,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** The page a person sees when nobody was queued: pick an address, as on a real provider's account chooser. */
function loginForm(kind: FakeIssuerKind, url: URL): string {
  const hidden = [...url.searchParams]
    .filter(([k]) => !k.startsWith("login_"))
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Fake ${kind} sign-in</title>
<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">
<h1>Fake ${kind} (development)</h1>
<p>No real provider is called. Sign in as:</p>
<form method="get" action="${escapeHtml(url.pathname)}">${hidden}
<label>E-mail <input name="login_email" type="email" required autofocus></label><br><br>
<label><input type="checkbox" name="login_verified" value="1" checked> the provider verified this address</label>
<input type="hidden" name="login_verified" value="0"><br><br>
<button type="submit">Continue</button></form></body></html>`;
}
