/**
 * Personal access tokens for AI agents: create (shown once, with a copy button), list with status and last use,
 * revoke after confirmation. Used in the CRM settings and in a project's portal settings.
 */
import type { AccessToken, CreatedAccessToken } from "@fataplus/api-client";
import { formatInZone } from "@fataplus/domain/vocabulary";
import { useState } from "react";
import { fill } from "../../i18n/app";
import type { TokensStrings } from "../../i18n/tokens";
import { callApi, describeFailure, type FieldErrors } from "../../lib/http";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { Field } from "../ui/Field";
import { zodFieldErrors } from "../ui/form";
import { Toaster, toast } from "../ui/toast";

type Project = { subdomain: string; name: string };

/** The API's schema for a new token, loaded with zod on first use (zod is a quarter of the page budget). */
const loadSchema = () => import("@fataplus/domain/schemas").then((m) => m.createTokenInput);

const api = {
  create: async (input: unknown) =>
    (await callApi<{ data: CreatedAccessToken }>("POST", "/api/app/tokens", { body: input })).data,
  revoke: (id: string) => callApi("DELETE", `/api/app/tokens/${encodeURIComponent(id)}`),
};
const describeError = describeFailure;
const DAYS = [30, 90, 365];

export function TokensManager(props: {
  tokens: AccessToken[];
  projects: Project[];
  s: TokensStrings;
  common: { cancel: string; error: string; close: string };
  lang: "fr" | "en";
  /** The reader's time zone (decision 030). */
  timeZone: string;
  /** On a project's portal: new tokens cover this project only. */
  fixedProject?: string | undefined;
  /** The API's MCP endpoint, for the connection snippet shown with a new token. */
  mcpUrl: string;
}) {
  const { s } = props;
  const [tokens, setTokens] = useState(props.tokens);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedAccessToken | null>(null);
  const [all, setAll] = useState(!props.fixedProject);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);
  const date = (iso: string | null) =>
    iso ? formatInZone(iso, { locale: props.lang, timeZone: props.timeZone }) : s.never;

  async function create(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const picked = props.fixedProject ? [props.fixedProject] : form.getAll("tenants").map(String);
    const input = {
      name: String(form.get("name") ?? ""),
      expires_in_days: Number(form.get("expires_in_days") ?? 90),
      scope: form.get("write") ? ("write" as const) : ("read" as const),
      tenants: all ? ("all" as const) : picked,
    };
    const checked = zodFieldErrors(await loadSchema(), input);
    if (!checked.ok) {
      setErrors({ ...checked.fields, ...(checked.fields.tenants ? { tenants: s["form.pickOne"] } : {}) });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const token = await api.create(input);
      setCreated(token);
      setTokens((ts) => [token, ...ts]);
      (e.target as HTMLFormElement).reset();
    } catch (err) {
      const d = describeError(err, props.common.error);
      setErrors(d.fields);
      toast(d.message, "error");
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: AccessToken) {
    setRevoking(null);
    const before = tokens;
    setTokens((ts) => ts.map((t) => (t.id === token.id ? { ...t, status: "revoked" as const } : t)));
    try {
      await api.revoke(token.id);
      toast(s.revoked);
    } catch (err) {
      setTokens(before);
      toast(describeError(err, props.common.error).message, "error");
    }
  }

  const badge = (status: AccessToken["status"]) =>
    status === "active" ? "bg-green-100 text-green-900" : "bg-stone-200 text-stone-700";

  return (
    <div className="grid gap-8 lg:grid-cols-5">
      <Toaster closeLabel={props.common.close} />
      <section className="lg:col-span-3" aria-labelledby="tokens-list">
        <h2 id="tokens-list" className="mb-3 text-lg font-semibold">
          {s["list.title"]}
        </h2>
        {tokens.length === 0 ? (
          <p className="rounded-xl border border-dashed border-stone-300 bg-white p-8 text-center text-stone-600">
            {s["list.empty"]}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
            <table className="w-full text-sm" data-testid="tokens-table">
              <thead className="border-b border-stone-200 text-left text-stone-600">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    {s["col.name"]}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {s["col.scope"]}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {s["col.status"]}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {s["col.lastUsed"]}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">{s["col.actions"]}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className="px-4 py-3">
                      <span className="font-medium">{t.name}</span>
                      {t.kind === "assistant" ? (
                        <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-900">
                          {s.assistant}
                        </span>
                      ) : (
                        <span className="block font-mono text-xs text-stone-500">{t.prefix}…</span>
                      )}
                      <span className="block text-xs text-stone-600">
                        {t.tenants === "all" ? s.allProjects : t.tenants.map((x) => x.name).join(", ")}
                      </span>
                    </td>
                    <td className="px-4 py-3">{t.scope === "write" ? s["scope.write"] : s["scope.read"]}</td>
                    <td className="px-4 py-3">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${badge(t.status)}`}>
                        {s[`status.${t.status}`]}
                      </span>
                      <span className="block text-xs text-stone-600">
                        {s["col.expires"]} {date(t.expires_at)}
                      </span>
                    </td>
                    <td className="px-4 py-3 text-stone-700">{date(t.last_used_at)}</td>
                    <td className="px-4 py-3 text-right">
                      {t.status === "active" && (
                        <button
                          type="button"
                          onClick={() => setRevoking(t)}
                          className="rounded-lg border border-red-300 px-3 py-1 font-medium text-red-800 hover:bg-red-50"
                        >
                          {s.revoke}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="lg:col-span-2" aria-labelledby="tokens-new">
        <h2 id="tokens-new" className="mb-3 text-lg font-semibold">
          {s["form.title"]}
        </h2>
        {created ? (
          <div className="rounded-xl border border-green-300 bg-green-50 p-5" role="status">
            <p className="font-semibold text-green-900">{s["created.title"]}</p>
            <p className="mt-1 text-sm text-green-900">{s["created.once"]}</p>
            <code
              data-testid="new-token"
              className="mt-3 block break-all rounded-lg bg-white p-3 font-mono text-sm"
            >
              {created.token}
            </code>
            <p className="mt-4 text-sm text-green-900">
              {s["created.endpoint"]} : <code className="font-mono">{props.mcpUrl}</code>
            </p>
            <p className="mt-2 text-sm text-green-900">{s["created.connect"]}</p>
            <pre
              className="mt-1 overflow-x-auto rounded-lg bg-white p-3 font-mono text-xs"
              data-testid="mcp-snippet"
            >
              {JSON.stringify(
                {
                  mcpServers: {
                    fataplus: {
                      command: "npx",
                      args: [
                        "-y",
                        "mcp-remote",
                        props.mcpUrl,
                        "--header",
                        `Authorization: Bearer ${created.token}`,
                      ],
                    },
                  },
                },
                null,
                2,
              )}
            </pre>
            <div className="mt-3 flex gap-2">
              <button
                type="button"
                onClick={() =>
                  navigator.clipboard?.writeText(created.token).then(() => toast(s["created.copied"]))
                }
                className="rounded-lg bg-green-800 px-3 py-1.5 font-medium text-white hover:bg-green-900"
              >
                {s["created.copy"]}
              </button>
              <button
                type="button"
                onClick={() => setCreated(null)}
                className="rounded-lg border border-stone-300 bg-white px-3 py-1.5"
              >
                {s["created.done"]}
              </button>
            </div>
          </div>
        ) : (
          <form
            onSubmit={create}
            noValidate
            className="space-y-4 rounded-xl border border-stone-200 bg-white p-5"
          >
            <Field name="name" label={s["form.name"]} required error={errors.name} />
            <Field
              name="expires_in_days"
              label={s["form.expires"]}
              defaultValue="90"
              error={errors.expires_in_days}
              options={DAYS.map((d) => ({ value: String(d), label: fill(s["form.days"], { days: d }) }))}
            />
            <div>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="write" className="mt-1" aria-describedby="write-hint" />
                <span>{s["form.write"]}</span>
              </label>
              <p id="write-hint" className="mt-1 text-xs text-stone-600">
                {s["form.writeHint"]}
              </p>
            </div>
            {!props.fixedProject && (
              <fieldset aria-describedby={errors.tenants ? "tenants-error" : undefined}>
                <legend className="text-sm font-medium text-stone-800">{s["form.projects"]}</legend>
                <label className="mt-2 flex items-center gap-2 text-sm">
                  <input type="radio" name="scope-all" checked={all} onChange={() => setAll(true)} />
                  {s["form.all"]}
                </label>
                <label className="mt-1 flex items-center gap-2 text-sm">
                  <input type="radio" name="scope-all" checked={!all} onChange={() => setAll(false)} />
                  {s["form.some"]}
                </label>
                {!all && (
                  <div className="mt-2 max-h-48 space-y-1 overflow-y-auto pl-6">
                    {props.projects.map((p) => (
                      <label key={p.subdomain} className="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="tenants" value={p.subdomain} />
                        {p.name}
                      </label>
                    ))}
                  </div>
                )}
                {errors.tenants && (
                  <p id="tenants-error" className="mt-1 text-sm text-red-700">
                    {errors.tenants}
                  </p>
                )}
              </fieldset>
            )}
            <button
              type="submit"
              disabled={busy}
              className="w-full rounded-lg bg-green-800 px-4 py-2 font-semibold text-white hover:bg-green-900 disabled:opacity-60"
            >
              {s["form.submit"]}
            </button>
          </form>
        )}
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title={s.revokeTitle}
        message={revoking ? fill(s.revokeConfirm, { name: revoking.name }) : ""}
        confirmLabel={s.revoke}
        cancelLabel={props.common.cancel}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke(revoking)}
      />
    </div>
  );
}
