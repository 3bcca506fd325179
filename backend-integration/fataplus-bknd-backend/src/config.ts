/**
 * The worker's one typed configuration, parsed from its Env with zod. The plugin's first middleware parses it
 * on every request and puts it in the Hono variables (src/http/context.ts); the WebSocket entry and the cron
 * parse it from their own `env`. Nothing reads `env` for settings anywhere else.
 */
import {
  type AiBinding,
  DEFAULT_UPLOAD_MAX_BYTES,
  DomainError,
  SSO_PROVIDERS,
  type SsoProviderConfig,
} from "@fataplus/domain";
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const configSchema = z.object({
  ENVIRONMENT: z.enum(["development", "production"]).default("production"),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters (see .dev.vars.example)"),
  SITE_ORIGINS: z.string().default(""),
  /** Where links in emails point (the Astro site). */
  PUBLIC_SITE_URL: z.url().default("https://fata.plus"),
  /** "outbox" keeps mail in D1 (development, or no provider yet); "resend" sends it (decision 012). */
  MAIL_PROVIDER: z.enum(["outbox", "resend"]).default("outbox"),
  MAIL_FROM: z.string().min(3).default("Fataplus <hello@fata.plus>"),
  RESEND_API_KEY: z.string().default(""),
  /** HMAC key of download links and WebSocket tickets (decision 008); checked when first used. */
  FILES_SIGNING_SECRET: optional,
  /** The key the TOTP secrets are sealed with at rest (decision 024); checked when first used. */
  MFA_SECRET: optional,
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().optional().catch(undefined),
  /** The intake's analyser (decision 009): Claude with a key, else Workers AI with a binding, else built in. */
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_BASE_URL: optional,
  ANTHROPIC_MODEL: optional,
  WORKERS_AI_MODEL: optional,
  /**
   * Single sign-on (decision 025): a provider is on when it has a client id AND secret (a secret: wrangler
   * secret put), and hidden otherwise. The issuer defaults to the real provider's; `npm start` and the tests
   * point it at the local fake provider (packages/fake-oidc). The label is the sign-in button's name.
   */
  SSO_GOOGLE_CLIENT_ID: optional,
  SSO_GOOGLE_CLIENT_SECRET: optional,
  SSO_GOOGLE_ISSUER: optional,
  SSO_GOOGLE_LABEL: optional,
  SSO_MICROSOFT_CLIENT_ID: optional,
  SSO_MICROSOFT_CLIENT_SECRET: optional,
  /** A directory's own issuer (https://login.microsoftonline.com/<tenant id>/v2.0), or the multi-tenant default. */
  SSO_MICROSOFT_ISSUER: optional,
  SSO_MICROSOFT_LABEL: optional,
  /**
   * Card payments (decision 028): on when both are set (secrets). STRIPE_API_URL points the adapter at a local
   * fake of Stripe's API (tests, `npm start`), refused in production.
   */
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  STRIPE_API_URL: optional,
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional().catch(undefined),
});

const SSO_DEFAULTS = {
  google: { issuer: "https://accounts.google.com", label: "Google" },
  microsoft: { issuer: "https://login.microsoftonline.com/common/v2.0", label: "Microsoft" },
} as const;

export type AnalyserConfig =
  | { kind: "claude"; apiKey: string; baseUrl?: string; model?: string }
  | { kind: "workers-ai"; ai: AiBinding; model?: string }
  | { kind: "builtin" };

export type AppConfig = {
  production: boolean;
  jwtSecret: string;
  /** Exact origins and one-level wildcard patterns such as https://*.fata.plus */
  origins: string[];
  siteUrl: string;
  mail: { provider: "outbox" } | { provider: "resend"; apiKey: string; from: string };
  files: { signingSecret: string | null; uploadMaxBytes: number };
  /** MFA_SECRET: the TOTP secrets' key (null when unset: the second factor answers a readable 500). */
  mfaSecret: string | null;
  analyser: AnalyserConfig;
  /** The sign-in providers that are configured, in the order of the buttons (none: no button). */
  sso: SsoProviderConfig[];
  /** Stripe, when configured (null: the offline default, transfers recorded by hand). */
  stripe: { secretKey: string; webhookSecret: string; apiUrl?: string; timeoutMs?: number } | null;
};

/** The settings as the Worker's Env carries them (vars, secrets and the optional AI binding). */
export type ConfigEnv = Partial<Record<keyof z.input<typeof configSchema>, unknown>> & { AI?: unknown };

const isAiBinding = (v: unknown): v is AiBinding =>
  typeof v === "object" && v !== null && typeof (v as { run?: unknown }).run === "function";

export function parseConfig(env: ConfigEnv): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid worker configuration: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const e = parsed.data;
  const config: AppConfig = {
    production: e.ENVIRONMENT === "production",
    jwtSecret: e.JWT_SECRET,
    origins: e.SITE_ORIGINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    siteUrl: e.PUBLIC_SITE_URL.replace(/\/+$/, ""),
    mail:
      e.MAIL_PROVIDER === "resend"
        ? { provider: "resend", apiKey: e.RESEND_API_KEY, from: e.MAIL_FROM }
        : { provider: "outbox" },
    files: {
      signingSecret: e.FILES_SIGNING_SECRET ?? null,
      uploadMaxBytes: e.UPLOAD_MAX_BYTES ?? DEFAULT_UPLOAD_MAX_BYTES,
    },
    mfaSecret: e.MFA_SECRET ?? null,
    analyser: e.ANTHROPIC_API_KEY
      ? {
          kind: "claude",
          apiKey: e.ANTHROPIC_API_KEY,
          ...(e.ANTHROPIC_BASE_URL ? { baseUrl: e.ANTHROPIC_BASE_URL } : {}),
          ...(e.ANTHROPIC_MODEL ? { model: e.ANTHROPIC_MODEL } : {}),
        }
      : isAiBinding(env.AI)
        ? { kind: "workers-ai", ai: env.AI, ...(e.WORKERS_AI_MODEL ? { model: e.WORKERS_AI_MODEL } : {}) }
        : { kind: "builtin" },
    sso: [],
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            ...(e.STRIPE_API_URL && e.ENVIRONMENT !== "production" ? { apiUrl: e.STRIPE_API_URL } : {}),
            ...(e.STRIPE_TIMEOUT_MS ? { timeoutMs: e.STRIPE_TIMEOUT_MS } : {}),
          }
        : null,
  };
  for (const id of SSO_PROVIDERS) {
    const key = id.toUpperCase() as Uppercase<typeof id>;
    const clientId = e[`SSO_${key}_CLIENT_ID`];
    const clientSecret = e[`SSO_${key}_CLIENT_SECRET`];
    if (!clientId && !clientSecret) continue;
    if (!clientId || !clientSecret) {
      throw new Error(
        `Invalid worker configuration: SSO_${key}_CLIENT_ID and SSO_${key}_CLIENT_SECRET go together`,
      );
    }
    const issuer = (e[`SSO_${key}_ISSUER`] ?? SSO_DEFAULTS[id].issuer).replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]/.test(issuer) || (config.production && !issuer.startsWith("https://"))) {
      throw new Error(`Invalid worker configuration: SSO_${key}_ISSUER must be an https URL`);
    }
    const label = (e[`SSO_${key}_LABEL`] ?? SSO_DEFAULTS[id].label).slice(0, 40);
    config.sso.push({ id, label, issuer, clientId, clientSecret });
  }
  if (config.mail.provider === "resend" && !config.mail.apiKey) {
    throw new Error("Invalid worker configuration: MAIL_PROVIDER=resend needs RESEND_API_KEY (a secret)");
  }
  return config;
}

/** The key of signed links and tickets; a server without one answers a readable 500 where it is needed. */
export function filesSecret(config: AppConfig): string {
  const secret = config.files.signingSecret;
  if (!secret || secret.length < 32) {
    console.error("FILES_SIGNING_SECRET is missing or shorter than 32 characters");
    throw new DomainError("INTERNAL", "Downloads are not configured on this server.");
  }
  return secret;
}

/** The key of the TOTP secrets at rest; a server without one answers a readable 500 where it is needed. */
export function mfaSecret(config: AppConfig): string {
  const secret = config.mfaSecret;
  if (!secret || secret.length < 32) {
    console.error("MFA_SECRET is missing or shorter than 32 characters");
    throw new DomainError("INTERNAL", "Two-step verification is not configured on this server.");
  }
  return secret;
}

/**
 * The test clock: outside production, `x-fataplus-test-now: <ISO date>` moves "now" for signed-link checks, so
 * browser tests can prove a link expires without sleeping. Production ignores the header; the site's proxy
 * never forwards it.
 */
export const TEST_CLOCK_HEADER = "x-fataplus-test-now";

export function requestNow(config: AppConfig, request: Request): Date {
  const override = request.headers.get(TEST_CLOCK_HEADER);
  if (override && !config.production) {
    const d = new Date(override);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date();
}

export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  for (const pattern of allowed) {
    if (pattern === origin) return true;
    const star = pattern.indexOf("://*.");
    if (star === -1) continue;
    const scheme = pattern.slice(0, star + 3);
    const suffix = pattern.slice(star + 4); // ".fata.plus" or ".localhost:4321"
    if (!origin.startsWith(scheme) || !origin.endsWith(suffix)) continue;
    const label = origin.slice(scheme.length, origin.length - suffix.length);
    if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) return true;
  }
  return false;
}
