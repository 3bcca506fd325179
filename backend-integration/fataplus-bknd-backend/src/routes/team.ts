/**
 * Team management's routes (docs/decisions/026-team-management.md): a project's members and pending
 * invitations (tenant-scoped, like the overview that lists them), and the agency's accounts (agency admins).
 * Thin: read the request, call the verb, answer.
 */
import {
  changeMemberRole,
  listUsers,
  removeMember,
  resendInvitation,
  revokeInvitation,
  setUserStatus,
} from "@fataplus/domain";
import { type AppServer, identityCtx, tenantCtx } from "../http/context.ts";
import { handle, jsonObject, param, queryOf } from "../http/handler.ts";

export function registerTeamRoutes(server: AppServer): void {
  server.put(
    "/api/app/project/members/:userId",
    handle(async (c) =>
      changeMemberRole({
        ctx: tenantCtx(c),
        input: { ...(await jsonObject(c)), user_id: param(c, "userId") },
      }),
    ),
  );
  server.delete(
    "/api/app/project/members/:userId",
    handle((c) => removeMember({ ctx: tenantCtx(c), input: { user_id: param(c, "userId") } })),
  );
  server.post(
    "/api/app/project/invitations/:id/resend",
    handle(async (c) => {
      const invitation = await resendInvitation({
        ctx: tenantCtx(c),
        input: { id: param(c, "id") },
        mail: { siteUrl: c.get("config").siteUrl },
      });
      return { ...invitation, acceptPath: `/invitation?token=${encodeURIComponent(invitation.token)}` };
    }),
  );
  server.delete(
    "/api/app/project/invitations/:id",
    handle((c) => revokeInvitation({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );

  server.get(
    "/api/app/agency/users",
    handle((c) => listUsers({ ctx: identityCtx(c), input: queryOf(c) })),
  );
  server.put(
    "/api/app/agency/users/:id/status",
    handle(async (c) =>
      setUserStatus({
        ctx: identityCtx(c),
        input: { ...(await jsonObject(c)), user_id: param(c, "id") },
      }),
    ),
  );
}
