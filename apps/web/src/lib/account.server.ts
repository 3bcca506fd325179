import type { AstroGlobal } from "astro";
import { currentSession, loginRedirect, type Session } from "./session.server";

/** The account page's session, or the sign-in page (on whichever host the visitor is: sessions are per host). */
export async function accountSession(astro: AstroGlobal): Promise<Session | Response> {
  astro.response.headers.set("cache-control", "no-store");
  const session = await currentSession(astro);
  return session ?? loginRedirect(astro);
}
