/** A labelled form field with its inline error (aria-invalid + aria-describedby). */
import { type ReactNode, useState } from "react";

const base =
  "mt-1 block w-full rounded-lg border bg-white px-3 py-2 text-stone-900 focus:outline-none focus:ring-2 focus:ring-green-700/30";

export function Field(props: {
  name: string;
  label: string;
  error?: string | undefined;
  type?: "text" | "email" | "date" | "number" | "password";
  defaultValue?: string | number | null | undefined;
  required?: boolean;
  textarea?: boolean;
  options?: ReadonlyArray<{ value: string; label: string }>;
  hint?: string;
  children?: ReactNode;
  inputMode?: "decimal" | "numeric" | "text";
  /** The most characters accepted: the field stops there and shows a counter (never a silent cut). */
  maxLength?: number;
}) {
  const [count, setCount] = useState(String(props.defaultValue ?? "").length);
  const id = `f-${props.name}`;
  const errId = `${id}-error`;
  const cls = `${base} ${props.error ? "border-red-500 focus:border-red-600" : "border-stone-300 focus:border-green-700"}`;
  const common = {
    id,
    name: props.name,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": props.error ? errId : props.hint ? `${id}-hint` : undefined,
    required: props.required,
    className: cls,
    defaultValue: props.defaultValue ?? "",
    maxLength: props.maxLength,
    onInput: props.maxLength
      ? (e: { currentTarget: { value: string } }) => setCount(e.currentTarget.value.length)
      : undefined,
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </label>
      {props.options ? (
        <select {...common}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : props.textarea ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...common} type={props.type ?? "text"} inputMode={props.inputMode} />
      )}
      {props.maxLength !== undefined && (
        <p className="mt-1 text-right text-xs text-stone-600" aria-live="polite" data-testid={`${id}-count`}>
          {count} / {props.maxLength}
        </p>
      )}
      {props.hint && !props.error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-600">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errId} className="mt-1 text-sm text-red-700">
          {props.error}
        </p>
      )}
    </div>
  );
}
