/** Class names shared by the bootcamp's server-rendered forms. */
export const inputClass =
  "mt-1 block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-stone-900 focus:border-green-700 focus:outline-none focus:ring-2 focus:ring-green-700/30";
export const labelClass = "block text-sm font-medium text-stone-800";
export const buttonClass =
  "rounded-lg bg-green-800 px-4 py-2 text-sm font-semibold text-white hover:bg-green-900 focus-visible:ring-2 focus-visible:ring-green-700 focus-visible:ring-offset-2";
export const secondaryButtonClass =
  "rounded-lg border border-stone-300 px-4 py-2 text-sm font-semibold text-stone-800 hover:bg-stone-100 focus-visible:ring-2 focus-visible:ring-green-700";
export const cardClass = "rounded-xl border border-stone-200 bg-white p-5";
