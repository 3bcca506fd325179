/**
 * The account page's two-step verification (decision 024): turn it on (the server makes the secret; the QR code
 * is drawn here from the otpauth URI with uqr, and the key is shown in text; the first valid code turns it on),
 * the ten recovery codes shown once, new recovery codes, and turning it off (password and a code).
 */
import type { MfaStatus } from "@fataplus/domain";
import { formatInZone } from "@fataplus/domain/vocabulary";
import { type FormEvent, useEffect, useState } from "react";
import { renderSVG } from "uqr";
import { fill } from "../../i18n/app";
import type { MfaStrings } from "../../i18n/mfa";
import { ApiError, callApi } from "../../lib/http";

type Phase =
  | { kind: "idle" }
  | { kind: "enrolling"; secret: string; qr: string }
  | { kind: "codes"; codes: string[] };

const inputClass =
  "mt-1 block w-full max-w-xs rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-stone-900 focus:border-green-700 focus:outline-none focus:ring-2 focus:ring-green-700/30";
const primary =
  "rounded-lg bg-green-800 px-4 py-2 text-sm font-semibold text-white hover:bg-green-900 disabled:opacity-60";
const secondary =
  "rounded-lg border border-stone-300 px-4 py-2 text-sm font-semibold text-stone-800 hover:bg-stone-50 disabled:opacity-60";

export function MfaManager(props: {
  status: MfaStatus;
  s: MfaStrings;
  lang: "fr" | "en";
  /** The reader's time zone (decision 030). */
  timeZone: string;
}) {
  const { s } = props;
  const [status, setStatus] = useState(props.status);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // busy until hydrated: a button clicked before the island runs would do nothing
  const [busy, setBusy] = useState(true);
  useEffect(() => setBusy(false), []);
  // the day of an instant in the reader's zone; the policy's deadline is a UTC day (decision 024)
  const date = (iso: string | null, timeZone = props.timeZone) =>
    iso ? formatInZone(iso, { locale: props.lang, timeZone, style: "date" }) : "";

  /** A refusal in the person's language (the API's own messages are English). */
  const explain = (e: unknown, wrong: string) => {
    const status = e instanceof ApiError ? e.status : 0;
    if (status === 429) return s["section.tooMany"];
    if (status === 400 || status === 422) return wrong;
    if (status === 409) return s["section.conflict"];
    return s["section.error"];
  };

  async function run(work: () => Promise<void>, wrong: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setError(explain(e, wrong));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      const { data } = await callApi<{ data: { secret: string; uri: string } }>(
        "POST",
        "/api/app/account/mfa/totp",
      );
      setPhase({ kind: "enrolling", secret: data.secret, qr: renderSVG(data.uri, { border: 2, ecc: "M" }) });
    }, s["section.error"]);

  const codeOf = (e: FormEvent<HTMLFormElement>, name: string) =>
    String(new FormData(e.currentTarget).get(name) ?? "").trim();

  const confirm = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = codeOf(e, "code");
    return run(async () => {
      const { data } = await callApi<{ data: { recoveryCodes: string[] } }>(
        "POST",
        "/api/app/account/mfa/totp/confirm",
        { body: { code } },
      );
      setStatus({ ...status, enabled: true, enabledAt: new Date().toISOString(), recoveryCodesLeft: 10 });
      setPhase({ kind: "codes", codes: data.recoveryCodes });
      setNotice(s["section.enabled"]);
    }, s["section.wrongCode"]);
  };

  const regenerate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = codeOf(e, "regen_code");
    const form = e.currentTarget;
    return run(async () => {
      const { data } = await callApi<{ data: { recoveryCodes: string[] } }>(
        "POST",
        "/api/app/account/mfa/recovery-codes",
        { body: { code } },
      );
      form.reset();
      setStatus({ ...status, recoveryCodesLeft: data.recoveryCodes.length });
      setPhase({ kind: "codes", codes: data.recoveryCodes });
    }, s["section.wrongCode"]);
  };

  const disable = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    const factor = String(form.get("disable_code") ?? "").trim();
    // six digits are the app's code; a recovery code has ten characters
    const body = /^\d{6}$/.test(factor.replace(/\s/g, ""))
      ? { password, code: factor }
      : { password, recoveryCode: factor };
    return run(async () => {
      await callApi("POST", "/api/app/account/mfa/disable", { body });
      setStatus({ ...status, enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
      setPhase({ kind: "idle" });
      setNotice(s["section.disabled"]);
    }, s["section.wrongBoth"]);
  };

  const overdue = status.requiredAfter !== null && Date.parse(status.requiredAfter) <= Date.now();
  return (
    <div className="mt-3 space-y-4" data-testid="mfa-manager" data-enabled={status.enabled ? "yes" : "no"}>
      {!status.enabled && status.requiredAfter && (
        <p
          className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          role="alert"
          data-testid="mfa-required"
        >
          {fill(overdue ? s["section.requiredNow"] : s["section.required"], {
            date: date(status.requiredAfter, "UTC"),
          })}
        </p>
      )}
      {notice && (
        <p className="rounded-lg bg-green-50 px-3 py-2 text-sm text-green-900" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p
          id="mfa-error"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          role="alert"
        >
          {error}
        </p>
      )}
      <p className="text-sm text-stone-700" data-testid="mfa-state">
        {status.enabled
          ? `${fill(s["section.on"], { date: date(status.enabledAt) })} ${fill(s["section.codesLeft"], { n: status.recoveryCodesLeft })}`
          : s["section.off"]}
      </p>

      {phase.kind === "codes" && (
        <div className="rounded-lg border border-stone-200 p-4">
          <h3 className="font-semibold">{s["codes.heading"]}</h3>
          <p className="mt-1 text-sm text-stone-700">{s["codes.lead"]}</p>
          <ul className="mt-3 grid max-w-sm grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
            {phase.codes.map((c) => (
              <li key={c} className="rounded bg-stone-100 px-2 py-1 text-center">
                {c}
              </li>
            ))}
          </ul>
          <button type="button" className={`${secondary} mt-3`} onClick={() => setPhase({ kind: "idle" })}>
            {s["section.codesDone"]}
          </button>
        </div>
      )}

      {!status.enabled && phase.kind === "idle" && (
        <button type="button" className={primary} disabled={busy} onClick={start}>
          {s["section.enable"]}
        </button>
      )}

      {phase.kind === "enrolling" && (
        <form className="space-y-3 rounded-lg border border-stone-200 p-4" onSubmit={confirm} noValidate>
          <p className="text-sm text-stone-700">{s["section.scan"]}</p>
          {/* uqr's SVG: rects of our own making from the otpauth URI, nothing from elsewhere */}
          <div className="w-48" data-testid="totp-qr" dangerouslySetInnerHTML={{ __html: phase.qr }} />
          <p className="text-sm text-stone-700">
            {s["section.secret"]}:{" "}
            <code className="break-all rounded bg-stone-100 px-1 font-mono" data-testid="totp-secret">
              {phase.secret}
            </code>
          </p>
          <div>
            <label htmlFor="mfa-code" className="block text-sm font-medium text-stone-800">
              {s["step.code"]}
            </label>
            <input
              id="mfa-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={7}
              className={inputClass}
              aria-describedby={error ? "mfa-error" : undefined}
            />
          </div>
          <div className="flex gap-2">
            <button type="submit" className={primary} disabled={busy}>
              {s["section.confirm"]}
            </button>
            <button type="button" className={secondary} onClick={() => setPhase({ kind: "idle" })}>
              {s["section.cancel"]}
            </button>
          </div>
        </form>
      )}

      {status.enabled && phase.kind !== "enrolling" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <form className="space-y-2 rounded-lg border border-stone-200 p-4" onSubmit={regenerate} noValidate>
            <h3 className="font-semibold">{s["section.regenerate"]}</h3>
            <p className="text-sm text-stone-700">{s["section.regenerateLead"]}</p>
            <label htmlFor="mfa-regen-code" className="block text-sm font-medium text-stone-800">
              {s["step.code"]}
            </label>
            <input
              id="mfa-regen-code"
              name="regen_code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={7}
              className={inputClass}
            />
            <button type="submit" className={secondary} disabled={busy}>
              {s["section.regenerate"]}
            </button>
          </form>
          <form className="space-y-2 rounded-lg border border-stone-200 p-4" onSubmit={disable} noValidate>
            <h3 className="font-semibold">{s["section.disable"]}</h3>
            <p className="text-sm text-stone-700">{s["section.disableLead"]}</p>
            <label htmlFor="mfa-disable-password" className="block text-sm font-medium text-stone-800">
              {s["section.password"]}
            </label>
            <input
              id="mfa-disable-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className={inputClass}
            />
            <label htmlFor="mfa-disable-code" className="block text-sm font-medium text-stone-800">
              {s["section.codeOrRecovery"]}
            </label>
            <input
              id="mfa-disable-code"
              name="disable_code"
              autoComplete="one-time-code"
              required
              maxLength={20}
              className={inputClass}
            />
            <button type="submit" className={secondary} disabled={busy}>
              {s["section.disable"]}
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
