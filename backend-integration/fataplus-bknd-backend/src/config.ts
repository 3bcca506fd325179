/** Configuration, parsed once per isolate from the Worker's Env. */
import { z } from "zod";

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
});

export type AppConfig = {
  production: boolean;
  jwtSecret: string;
  /** Exact origins and one-level wildcard patterns such as https://*.fata.plus */
  origins: string[];
  siteUrl: string;
  mail: { provider: "outbox" } | { provider: "resend"; apiKey: string; from: string };
};

let cached: { key: string; config: AppConfig } | null = null;

export function parseConfig(env: Partial<Record<keyof Env, unknown>>): AppConfig {
  const key = [
    env.ENVIRONMENT,
    env.JWT_SECRET,
    env.SITE_ORIGINS,
    env.PUBLIC_SITE_URL,
    env.MAIL_PROVIDER,
    env.MAIL_FROM,
    env.RESEND_API_KEY,
  ]
    .map(String)
    .join("|");
  if (cached?.key === key) return cached.config;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid worker configuration: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const config: AppConfig = {
    production: parsed.data.ENVIRONMENT === "production",
    jwtSecret: parsed.data.JWT_SECRET,
    origins: parsed.data.SITE_ORIGINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    siteUrl: parsed.data.PUBLIC_SITE_URL.replace(/\/+$/, ""),
    mail:
      parsed.data.MAIL_PROVIDER === "resend"
        ? { provider: "resend", apiKey: parsed.data.RESEND_API_KEY, from: parsed.data.MAIL_FROM }
        : { provider: "outbox" },
  };
  if (config.mail.provider === "resend" && !config.mail.apiKey) {
    throw new Error("Invalid worker configuration: MAIL_PROVIDER=resend needs RESEND_API_KEY (a secret)");
  }
  cached = { key, config };
  return config;
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
