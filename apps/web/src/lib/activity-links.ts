/**
 * Where an activity line's object is (decision 030), for the reader's surface: the CRM's pages of a project,
 * or the portal's sections. A deleted object, or one with no page for this reader, has no link.
 */
import type { ActivityLine } from "@fataplus/domain/vocabulary";

/** In the CRM, about the project (tenant) `sub`. */
export function crmActivityLink(sub: string) {
  const project = `/crm/projects/${encodeURIComponent(sub)}`;
  return (line: ActivityLine): string | null => {
    if (line.verb === "delete") return null;
    const id = line.object.id ? encodeURIComponent(line.object.id) : null;
    switch (line.kind) {
      case "tasks":
        return `${project}/tasks`;
      case "clients":
        return id ? `/crm/clients/${encodeURIComponent(sub)}/${id}` : null;
      case "leads":
        return id ? `/crm/leads/${encodeURIComponent(sub)}/${id}` : null;
      case "notes":
        return "/crm/notes";
      case "projects":
        return project;
      case "documents":
        return `${project}/portal#documents`;
      case "file_requests":
        return `${project}/portal#requests`;
      case "approvals":
        return `${project}/portal#approvals`;
      case "messages":
        return `${project}/portal#messages`;
      case "members":
      case "invitations":
        return `${project}#members-title`;
      default:
        return null;
    }
  };
}

/** In a project's portal (on its subdomain). */
export function portalActivityLink(lang: "fr" | "en") {
  return (line: ActivityLine): string | null => {
    if (line.verb === "delete") return null;
    switch (line.kind) {
      case "documents":
        return "#documents";
      case "file_requests":
        return "#requests";
      case "approvals":
        return "#approvals";
      case "messages":
        return "#messages";
      case "proposals":
        return lang === "en" ? "/en/proposal" : "/proposal";
      default:
        return null;
    }
  };
}
