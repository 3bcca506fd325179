/**
 * Team management (docs/decisions/026-team-management.md): a project's members and pending invitations (use a
 * client made with `forTenant`), and the agency's accounts (agency admins). Answers are the domain verbs'
 * results; bodies are checked for their outer shape only (see schemas.ts `shaped`).
 */
import type {
  changeMemberRole,
  listUsers,
  removeMember,
  resendInvitation,
  revokeInvitation,
  setUserStatus,
  TenantRole,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { anyArray, type Out, shaped } from "./schemas";

export const TEAM_ROUTES = {
  member: (userId: number) => `/api/app/project/members/${encodeURIComponent(String(userId))}`,
  invitation: (id: string) => `/api/app/project/invitations/${encodeURIComponent(id)}`,
  resend: (id: string) => `/api/app/project/invitations/${encodeURIComponent(id)}/resend`,
  users: "/api/app/agency/users",
  userStatus: (userId: number) => `/api/app/agency/users/${encodeURIComponent(String(userId))}/status`,
} as const;

/** A re-sent invitation: its new token (once) and the page where it is accepted. */
export type ResentInvitation = Out<typeof resendInvitation> & { acceptPath: string };
export type AgencyUsers = Out<typeof listUsers>;

export function teamApi(api: ApiClient) {
  const r = api.request;
  return {
    /** `PUT /api/app/project/members/:userId`: a member's new role in the project. */
    changeRole: (userId: number, role: TenantRole) =>
      r({
        method: "PUT",
        path: TEAM_ROUTES.member(userId),
        body: { role },
        schema: shaped<Out<typeof changeMemberRole>>(
          z.looseObject({ user_id: z.number(), role: z.string() }),
        ),
      }),
    /** `DELETE /api/app/project/members/:userId`: removes the member from the project. */
    removeMember: (userId: number) =>
      r({
        method: "DELETE",
        path: TEAM_ROUTES.member(userId),
        schema: shaped<Out<typeof removeMember>>(
          z.looseObject({ user_id: z.number(), removed: z.literal(true) }),
        ),
      }),
    /** `POST /api/app/project/invitations/:id/resend`: a new link (the old one stops working), mailed again. */
    resendInvitation: (id: string) =>
      r({
        method: "POST",
        path: TEAM_ROUTES.resend(id),
        schema: shaped<ResentInvitation>(
          z.looseObject({ id: z.string(), token: z.string(), expiresAt: z.string(), acceptPath: z.string() }),
        ),
      }),
    /** `DELETE /api/app/project/invitations/:id`: the pending invitation's link stops working. */
    revokeInvitation: (id: string) =>
      r({
        method: "DELETE",
        path: TEAM_ROUTES.invitation(id),
        schema: shaped<Out<typeof revokeInvitation>>(
          z.looseObject({ id: z.string(), revoked: z.literal(true) }),
        ),
      }),
    /** `GET /api/app/agency/users`: every account (agency admins). */
    users: (query?: { q?: string; status?: "active" | "disabled" | "invited" }) =>
      r({
        method: "GET",
        path: TEAM_ROUTES.users,
        query,
        schema: shaped<AgencyUsers>(z.looseObject({ rows: anyArray })),
      }),
    /** `PUT /api/app/agency/users/:id/status`: deactivate (every session and token ends) or reactivate. */
    setUserStatus: (userId: number, status: "active" | "disabled") =>
      r({
        method: "PUT",
        path: TEAM_ROUTES.userStatus(userId),
        body: { status },
        schema: shaped<Out<typeof setUserStatus>>(z.looseObject({ user_id: z.number(), status: z.string() })),
      }),
  };
}

export type TeamApi = ReturnType<typeof teamApi>;
