/**
 * Observability (decision 029). Every log line of the worker is one JSON object with the request's id, its
 * tenant and its route, whoever writes it (our code, bknd, a library): `installStructuredConsole` replaces the
 * console's methods once. What a line may carry is sanitised: keys that name a secret or a content (password,
 * token, cookie, body, content…) are dropped, and strings lose what looks like a credential (JWTs, `fpat_` tokens,
 * bearer values, long random strings) and e-mail addresses. Routes are paths with ids and tokens replaced by
 * ":id", never a query string. Workers Logs (observability.enabled) indexes the JSON fields.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestLog = {
  requestId: string;
  method: string;
  route: string;
  /** The tenant as the gate resolved it (a subdomain), or the one the request named, unverified, as `ref:…`. */
  tenant: string | null;
  user: string;
  started: number;
};

const storage = new AsyncLocalStorage<RequestLog>();

/** A path segment that is an id, a token or a slug-like value rather than a word of the route. */
const VARIABLE = /^(\d+|[0-9a-f-]{32,36}|FP-[\w-]+|[\w-]{20,}|.*\d.*\d.*\d.*)$/i;

export function routeOf(pathname: string): string {
  return (
    pathname
      .split("/")
      .map((s) => (s === "" || !VARIABLE.test(s) ? s : ":id"))
      .join("/")
      .slice(0, 200) || "/"
  );
}

function tenantRefOf(url: URL, headers: Headers): string | null {
  const ref = headers.get("x-fataplus-tenant") ?? url.searchParams.get("tenant");
  return ref ? `ref:${ref.slice(0, 64)}` : null;
}

export function requestLogOf(request: Request): RequestLog {
  const url = new URL(request.url);
  return {
    // Cloudflare's own id of the request (the same in its dashboard); a fresh one locally
    requestId: request.headers.get("cf-ray") ?? crypto.randomUUID(),
    method: request.method,
    route: routeOf(url.pathname),
    tenant: tenantRefOf(url, request.headers),
    user: "",
    started: Date.now(),
  };
}

export const runLogged = <T>(log: RequestLog, work: () => Promise<T>): Promise<T> => storage.run(log, work);

/** The gate's verdict on who is calling: the tenant they may open (or none), and their user id. */
export function noteCaller(tenant: string | null, userId: number): void {
  const log = storage.getStore();
  if (!log) return;
  log.tenant = tenant;
  log.user = String(userId);
}

export const currentRequestLog = (): RequestLog | undefined => storage.getStore();

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|otp|totp|recovery|signature|ticket|bearer|session|body|content|text|html|subject|message_body|file|data_url|credential/i;

const SCRUB: Array<[RegExp, string]> = [
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, "[jwt]"],
  [/fpat_[\w-]+/g, "[token]"],
  [/\b(Bearer|Basic)\s+\S+/gi, "$1 [redacted]"],
  [/[^\s@"'<>,;:]+@[^\s@"'<>,;:]+\.[a-z]{2,}/gi, "[email]"],
  [/\b[\w-]*\d[\w-]*[A-Za-z][\w-]{22,}\b|\b[A-Za-z][\w-]*\d[\w-]{22,}\b/g, "[redacted]"],
];

export function scrub(text: string): string {
  let out = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  for (const [re, to] of SCRUB) out = out.replace(re, to);
  return out;
}

/** A value as it may appear in a log line. */
export function sanitize(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean")
    return value ?? null;
  if (typeof value === "string") return scrub(value);
  if (typeof value === "bigint") return String(value);
  if (value instanceof Error)
    return {
      name: value.name,
      message: scrub(value.message),
      ...(value.stack ? { stack: scrub(value.stack.split("\n").slice(1, 6).join("\n")) } : {}),
    };
  if (depth >= 4) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitize(v, depth + 1));
  if (value instanceof Request || value instanceof Response || value instanceof ArrayBuffer)
    return `[${value.constructor.name}]`;
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 40))
      out[k] = SECRET_KEY.test(k) ? "[redacted]" : sanitize(v, depth + 1);
    return out;
  }
  return `[${typeof value}]`;
}

type Level = "debug" | "info" | "warn" | "error";
const original = {
  debug: console.debug.bind(console),
  info: console.info.bind(console),
  log: console.log.bind(console),
  warn: console.warn.bind(console),
  error: console.error.bind(console),
};
type Sink = (line: string, level: Level) => void;
const defaultSink: Sink = (line, level) =>
  (level === "error" ? original.error : level === "warn" ? original.warn : original.log)(line);
// On the global object: a test and the worker it calls may hold two instances of this module.
const SINK = Symbol.for("fataplus.logSink");
const holder = globalThis as { [SINK]?: Sink };
const sink: Sink = (line, level) => (holder[SINK] ?? defaultSink)(line, level);

/** Tests read the lines here (null: back to the console). */
export function setLogSink(s: Sink | null): void {
  if (s) holder[SINK] = s;
  else delete holder[SINK];
}

/** One structured line: the message, the request's context, and sanitised data. */
export function logLine(level: Level, msg: string, data?: Record<string, unknown>): void {
  const r = storage.getStore();
  const line: Record<string, unknown> = {
    level,
    msg: scrub(msg).slice(0, 200),
    requestId: r?.requestId ?? null,
    tenant: r?.tenant ?? null,
    route: r?.route ?? null,
    method: r?.method ?? null,
    ...(r?.user ? { user: r.user } : {}),
  };
  if (data)
    for (const [k, v] of Object.entries(sanitize(data) as Record<string, unknown>))
      if (!(k in line)) line[k] = v;
  sink(JSON.stringify(line), level);
}

let installed = false;

/** Every console call becomes one structured line (installed once, by the worker's entry). */
export function installStructuredConsole(): void {
  if (installed) return;
  installed = true;
  const as =
    (level: Level) =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      const msg = typeof first === "string" ? first : "log";
      const extra = typeof first === "string" ? rest : args;
      logLine(level, msg, extra.length ? { args: extra } : undefined);
    };
  console.debug = as("debug");
  console.info = as("info");
  console.log = as("info");
  console.warn = as("warn");
  console.error = as("error");
}
