/** Team management's input schemas (docs/decisions/026-team-management.md). */
import { z } from "zod";
import { tenantRoles } from "../kernel/roles.ts";

const userId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const changeMemberRoleInput = z.strictObject({ user_id: userId, role: z.enum(tenantRoles) });
export const removeMemberInput = z.strictObject({ user_id: userId });
export const invitationIdInput = z.strictObject({ id: z.uuid({ message: "must be an invitation id" }) });

export const userStatuses = ["active", "disabled"] as const;
export const setUserStatusInput = z.strictObject({ user_id: userId, status: z.enum(userStatuses) });
export const listUsersInput = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(["active", "disabled", "invited"]).optional(),
});
