import { type ActivityRow, activityDays } from "@fataplus/domain/vocabulary";
import { describe, expect, it } from "vitest";
import { activitySentence, sentenceText } from "./activity";

const row = (over: Partial<ActivityRow>): ActivityRow => ({
  id: crypto.randomUUID(),
  actor_type: "user",
  actor_name: "Aina Rabe",
  action: "tasks.create",
  entity: "tasks",
  entity_id: "t1",
  object_name: "Maquette accueil",
  data: null,
  created_at: "2026-12-03T10:00:00.000Z",
  ...over,
});
const say = (rows: ActivityRow[], lang: "fr" | "en", zone = "Indian/Antananarivo") =>
  activityDays(rows, zone).flatMap((d) => d.lines.map((l) => sentenceText(activitySentence(l, lang))));

describe("activity as sentences", () => {
  it("says who did what to which object, in French and English", () => {
    const rows = [
      row({}),
      row({ action: "documents.delete", entity: "documents", object_name: null }),
      row({ action: "approval.request", entity: "approvals", object_name: "Maquette v2" }),
      row({
        action: "leads.update",
        entity: "leads",
        object_name: "Site vitrine",
        data: JSON.stringify({ stage: "won" }),
      }),
      row({ action: "tasks.update_many", data: JSON.stringify({ count: 3 }) }),
      row({ actor_type: "system", actor_name: null, action: "tenant.create", entity: "tenants" }),
      row({ action: "user.deactivate", entity: "users", object_name: null }),
      row({ action: "user.time_zone", entity: "users", object_name: null }),
      row({ action: "widgets.frobnicate", entity: "widgets", object_name: null }),
    ];
    expect(say(rows, "fr")).toEqual([
      "Aina Rabe a créé la tâche Maquette accueil",
      "Aina Rabe a supprimé un document",
      "Aina Rabe a demandé la validation de Maquette v2",
      "Aina Rabe a passé le prospect Site vitrine à «\u00a0Gagné\u00a0»",
      "Aina Rabe a modifié 3 tâches",
      "Fataplus a créé le projet Maquette accueil",
      "Aina Rabe a désactivé un compte",
      "Aina Rabe a modifié les réglages de son compte",
      "Aina Rabe a effectué «\u00a0widgets.frobnicate\u00a0»",
    ]);
    expect(say(rows, "en")).toEqual([
      "Aina Rabe created the task Maquette accueil",
      "Aina Rabe deleted a document",
      "Aina Rabe asked for approval of Maquette v2",
      "Aina Rabe moved the lead Site vitrine to “Won”",
      "Aina Rabe updated 3 tasks",
      "Fataplus created the project Maquette accueil",
      "Aina Rabe deactivated an account",
      "Aina Rabe changed their account settings",
      "Aina Rabe did “widgets.frobnicate”",
    ]);
  });

  it("folds an agent's reads of a day into one line, counting the items", () => {
    const call = (at: string, tool: string, count: number | null) =>
      row({
        actor_type: "token",
        actor_name: "Claude",
        action: "mcp.tool_call",
        entity: "mcp",
        entity_id: tool,
        object_name: null,
        data: JSON.stringify(count === null ? { outcome: "ok" } : { outcome: "ok", count }),
        created_at: at,
      });
    const rows = [
      call("2026-12-03T12:00:00.000Z", "list_tasks", 5),
      call("2026-12-03T11:00:00.000Z", "get_task", 1),
      call("2026-12-03T10:00:00.000Z", "list_tasks", 6),
      call("2026-12-02T10:00:00.000Z", "list_clients", null),
      call("2026-12-02T09:00:00.000Z", "list_clients", null),
    ];
    expect(say(rows, "fr")).toEqual(["Claude a lu 12 tâches", "Claude a consulté les clients (2 fois)"]);
    expect(say(rows, "en")).toEqual(["Claude read 12 tasks", "Claude looked at the clients (2 times)"]);
  });

  it("groups by the reader's day", () => {
    const rows = [
      row({ created_at: "2026-12-03T22:30:00.000Z" }),
      row({ created_at: "2026-12-03T20:00:00.000Z" }),
    ];
    expect(activityDays(rows, "Indian/Antananarivo").map((d) => d.day)).toEqual(["2026-12-04", "2026-12-03"]);
    expect(activityDays(rows, "Europe/Paris").map((d) => d.day)).toEqual(["2026-12-03"]);
  });
});
