/**
 * Progressive enhancement of the intake form (IntakePage.astro), kept tiny for the public pages' 15 KB budget:
 *  - one step at a time, with the step list as progress (aria-current) and the browser's own constraint
 *    validation (the attributes come from the shared schema's caps) before moving on;
 *  - every answer (and the idempotency key) kept in sessionStorage, restored on reload;
 *  - the form goes to POST /api/intake as JSON; the API's field errors are shown at their fields (the API
 *    validates with the shared zod schema); a network failure or a 5xx keeps everything and says so.
 * Without this script the form still works: all steps show and the page handles the POST.
 * The POST goes through lib/http (the islands' one caller, ~1 KB).
 */
import { ApiError, callApi } from "../../lib/http";

type Els = HTMLInputElement | HTMLTextAreaElement;

export function enhanceIntakeForm(): void {
  const form = document.getElementById("intake-form") as HTMLFormElement | null;
  if (!form) return;
  const storeKey = `fp-intake:${form.dataset.lang ?? "fr"}`;
  const steps = [...form.querySelectorAll<HTMLFieldSetElement>("fieldset[data-step]")];
  const links = [...form.querySelectorAll<HTMLAnchorElement>("[data-step-link]")];
  const alertBox = document.getElementById("intake-alert") as HTMLElement;
  const progressText = document.getElementById("intake-progress-text") as HTMLElement;
  const submitRow = form.querySelector<HTMLElement>("[data-submit-row]");
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]");
  const controls = () => [...form.querySelectorAll<Els>("input[name]:not([type=hidden]), textarea[name]")];
  const keyInput = form.querySelector<HTMLInputElement>("input[name=idempotency_key]");
  let current = Number(form.dataset.start ?? 0);

  const save = () => {
    const values: Record<string, string> = {};
    for (const [k, val] of new FormData(form)) if (k !== "website") values[k] = String(val);
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({ values, step: current }));
    } catch {
      /* storage full or disabled: the form still works */
    }
  };

  const restore = () => {
    if (form.dataset.fresh !== "1") return;
    let saved: { values?: Record<string, string>; step?: number } | null = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(storeKey) ?? "null");
    } catch {
      saved = null;
    }
    if (!saved?.values) return;
    for (const el of controls()) {
      const val = saved.values[el.name];
      if (val === undefined) continue;
      if (el instanceof HTMLInputElement && el.type === "radio") el.checked = el.value === val;
      else el.value = val;
    }
    if (keyInput && saved.values.idempotency_key) keyInput.value = saved.values.idempotency_key;
    current = Math.min(Math.max(0, saved.step ?? 0), steps.length - 1);
  };

  const show = (i: number, focus: boolean) => {
    current = i;
    steps.forEach((s, n) => {
      s.hidden = n !== i;
    });
    links.forEach((a, n) => {
      if (n === i) a.setAttribute("aria-current", "step");
      else a.removeAttribute("aria-current");
      a.dataset.done = String(n < i);
    });
    if (submitRow) submitRow.hidden = i !== steps.length - 1;
    progressText.textContent = (form.dataset.stepOf ?? "")
      .replace("{n}", String(i + 1))
      .replace("{total}", String(steps.length));
    if (focus) steps[i]?.querySelector<HTMLElement>("[data-step-heading]")?.focus();
    save();
  };

  const setError = (name: string, on: boolean) => {
    const box = form.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
    if (box) box.textContent = on ? (box.dataset.msg ?? "") : "";
    for (const el of form.querySelectorAll(`[name="${name}"]`)) el.setAttribute("aria-invalid", String(on));
  };

  /** The browser's validation of one step; shows the first problem and returns false. */
  const stepValid = (i: number) => {
    let ok = true;
    for (const el of steps[i]?.querySelectorAll<Els>("input[name], textarea[name]") ?? []) {
      if (el.name === "website") continue;
      const valid = el.checkValidity();
      setError(el.name, !valid);
      if (!valid && ok) {
        ok = false;
        el.focus();
      }
    }
    return ok;
  };

  const say = (text: string) => {
    alertBox.textContent = text;
    alertBox.hidden = text === "";
    alertBox.classList.toggle("hidden", text === "");
  };

  form.addEventListener("input", save);
  form.addEventListener("change", (e) => {
    const el = e.target as Els;
    if (el.name && el.getAttribute("aria-invalid") === "true" && el.checkValidity()) setError(el.name, false);
    save();
  });
  for (const nav of form.querySelectorAll<HTMLElement>("[data-step-nav]")) nav.hidden = false;
  form.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    if (target.closest("[data-next]") && stepValid(current)) show(current + 1, true);
    if (target.closest("[data-back]")) show(current - 1, true);
    const link = target.closest<HTMLElement>("[data-step-link]");
    if (link) {
      e.preventDefault();
      const to = Number(link.dataset.stepLink);
      // forward only through valid steps
      for (let i = current; i < to; i++) if (!stepValid(i)) return show(i, false);
      show(to, true);
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (let i = 0; i < steps.length; i++) {
      if (!stepValid(i)) return show(i, false);
    }
    const body: Record<string, string> = { locale: form.dataset.lang ?? "fr" };
    for (const [k, val] of new FormData(form)) if (String(val) !== "") body[k] = String(val);
    const label = submit?.textContent ?? "";
    if (submit) {
      submit.disabled = true;
      submit.textContent = form.dataset.sending ?? label;
    }
    say("");
    try {
      await callApi("POST", "/api/intake", { body });
      try {
        sessionStorage.removeItem(storeKey);
      } catch {
        /* nothing kept */
      }
      const done = document.getElementById("intake-done") as HTMLElement;
      const p = done.querySelector<HTMLElement>("[data-template]");
      if (p) p.textContent = (p.dataset.template ?? "").replace("{email}", body.email ?? "");
      done.classList.remove("hidden");
      form.remove();
      done.focus();
      return;
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (!(err instanceof ApiError) || status === 0) {
        say(form.dataset.errNetwork ?? "");
      } else if (status === 400) {
        const fields = Object.keys(err.fields);
        for (const f of fields) setError(f, true);
        const at = steps.findIndex((s) => fields.some((f) => s.querySelector(`[name="${f}"]`)));
        if (at >= 0) show(at, false);
        say(form.dataset.errUnavailable && at < 0 ? form.dataset.errUnavailable : "");
      } else if (status === 429) {
        const minutes = Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60));
        say((form.dataset.errRate ?? "").replace("{minutes}", String(minutes)));
      } else if (status === 409) {
        say(form.dataset.errConflict ?? "");
      } else {
        say(form.dataset.errUnavailable ?? "");
      }
    } finally {
      if (submit) {
        submit.disabled = false;
        submit.textContent = label;
      }
    }
  });

  restore();
  show(current, false);
}
