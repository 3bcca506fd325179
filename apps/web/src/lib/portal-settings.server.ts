import type { AstroGlobal } from "astro";
import { currentSession, loginRedirect, type Session } from "./session.server";

/** The portal settings page's session and project, or where to send the visitor instead. */
export async function portalSettings(
  astro: AstroGlobal,
): Promise<{ session: Session; project: { subdomain: string; name: string } } | Response> {
  astro.response.headers.set("cache-control", "no-store");
  const tenant = astro.locals.tenant;
  if (!tenant) return astro.redirect("/crm/settings/tokens", 303);
  const session = await currentSession(astro);
  if (!session) return loginRedirect(astro);
  const project = (session.me.tenants ?? []).find((t) => t.subdomain === tenant);
  if (!project) return astro.redirect("/", 303); // the home page answers 403 with the explanation
  return { session, project: { subdomain: project.subdomain, name: project.name } };
}
