/**
 * Choosing a client: a searchable combobox (the WAI-ARIA combobox pattern: arrows move, Enter picks, Escape
 * closes, the list is announced) over the CRM's clients, with a warning when the name typed is the same as or
 * similar to an existing client's (`similarNames`, decision 033), so a duplicate is made knowingly or not at
 * all. Written by hand rather than with a combobox library: about a hundred lines, and no weight added to
 * the pages that carry it (decision 018).
 *
 * `name` is the field the typed or picked name is sent as (a new project's client_name); with `idName`, the
 * picked client's id is sent too (a lead's client_id), and typing clears it.
 */
import type { CrmClient, Page } from "@fataplus/domain";
import { similarNames } from "@fataplus/domain/vocabulary";
import { useEffect, useId, useRef, useState } from "react";
import { callApi } from "../../lib/http";

export type PickerStrings = {
  placeholder: string;
  empty: string;
  loading: string;
  /** "{name}" is the existing client's name, "{project}" its project. */
  duplicate: string;
  pickIt: string;
  none: string;
};

type Hit = { id: string; name: string; project: string };

const inputCls =
  "mt-1 block w-full rounded-lg border bg-white px-3 py-2 text-stone-900 focus:outline-none focus:ring-2 focus:ring-green-700/30";

export function ClientPicker(props: {
  name: string;
  idName?: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  strings: PickerStrings;
  /** Only this tenant's clients (a lead's own project); all the CRM's otherwise. */
  tenant?: string;
  defaultValue?: { id: string | null; name: string } | undefined;
}) {
  const S = props.strings;
  const base = useId();
  const listId = `${base}-list`;
  const [text, setText] = useState(props.defaultValue?.name ?? "");
  const [picked, setPicked] = useState<string | null>(props.defaultValue?.id ?? null);
  const [hits, setHits] = useState<Hit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    // the first word finds the candidates (the lists' word-prefix search); similarity is judged here
    const word = q.split(/\s+/)[0] ?? q;
    const timer = setTimeout(() => {
      callApi<Page<CrmClient>>("GET", "/api/app/crm/clients", {
        // no kind filter: across every tenant it made the text filter read thousands of rows (read-costs test)
        query: { q: word, sort: "name", pageSize: 20, tenant: props.tenant },
      })
        .then((page) => {
          if (mine !== seq.current) return;
          setHits(
            page.rows
              .filter((r) => r.kind === "organization")
              .map((r) => ({ id: r.id, name: r.name, project: r.tenant_name })),
          );
        })
        .catch(() => {
          if (mine === seq.current) setHits([]);
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 200);
    return () => clearTimeout(timer);
  }, [text, props.tenant]);

  const q = text.trim().toLowerCase();
  const shown = hits
    .filter((h) => h.name.toLowerCase().includes(q) || similarNames(h.name, text))
    .slice(0, 8);
  const duplicate = picked ? undefined : hits.find((h) => similarNames(h.name, text));

  function pick(hit: Hit) {
    setText(hit.name);
    setPicked(hit.id);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && open && active >= 0 && shown[active]) {
      e.preventDefault();
      pick(shown[active]);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setOpen(false);
    }
  }

  const id = `f-${props.name}`;
  const describedBy = [
    props.error ? `${id}-error` : props.hint ? `${id}-hint` : "",
    duplicate ? `${id}-dup` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const expanded = open && text.trim().length >= 2;
  return (
    <div className="relative" data-testid={`picker-${props.name}`}>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        placeholder={S.placeholder}
        value={text}
        maxLength={200}
        onChange={(e) => {
          setText(e.target.value);
          setPicked(null);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        className={`${inputCls} ${props.error ? "border-red-500" : "border-stone-300 focus:border-green-700"}`}
      />
      {props.idName && <input type="hidden" name={props.idName} value={picked ?? ""} />}
      {expanded && (
        <div
          id={listId}
          role="listbox"
          aria-label={props.label}
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-lg border border-stone-200 bg-white shadow"
        >
          {shown.length === 0 ? (
            <p className="px-3 py-2 text-sm text-stone-600">{loading ? S.loading : S.empty}</p>
          ) : (
            shown.map((h, i) => (
              <div
                key={h.id}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(h);
                }}
                className={`cursor-pointer px-3 py-2 text-sm ${i === active ? "bg-green-50 text-green-900" : "text-stone-800"}`}
              >
                {h.name} <span className="text-xs text-stone-500">· {h.project}</span>
              </div>
            ))
          )}
        </div>
      )}
      {props.hint && !props.error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-600">
          {props.hint}
        </p>
      )}
      {duplicate && (
        <p
          id={`${id}-dup`}
          role="status"
          className="mt-1 text-sm text-amber-800"
          data-testid="duplicate-warning"
        >
          {S.duplicate.replace("{name}", duplicate.name).replace("{project}", duplicate.project)}{" "}
          <button type="button" className="underline" onClick={() => pick(duplicate)}>
            {S.pickIt}
          </button>
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {props.error}
        </p>
      )}
    </div>
  );
}
