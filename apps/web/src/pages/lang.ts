import type { APIRoute } from "astro";
import { safeNext } from "../lib/landing";
import { LANG_COOKIE } from "../lib/session.server";

export const prerender = false;

/** The signed-in app's language switch: remembers the choice in a cookie and goes back to the page. */
export const GET: APIRoute = ({ url, cookies, redirect }) => {
  const to = url.searchParams.get("to") === "en" ? "en" : "fr";
  cookies.set(LANG_COOKIE, to, {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: url.protocol === "https:",
    maxAge: 31_536_000,
  });
  return redirect(safeNext(url.searchParams.get("next")) ?? "/crm", 303);
};
