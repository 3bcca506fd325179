import { describe, expect, it } from "vitest";
import {
  clientListParams,
  leadListParams,
  manageableTenants,
  noticeOf,
  readableErrors,
  viewOf,
} from "./logic";

describe("manageableTenants", () => {
  it("keeps the projects the user manages, the agency's workspace first and by default", () => {
    const { options, defaultId } = manageableTenants([
      { id: "FP-2", name: "Globex", subdomain: "globex", kind: "project", role: "project_manager" },
      { id: "FP-3", name: "Acme", subdomain: "acme", kind: "project", role: "client" },
      { id: "FP-1", name: "Fataplus", subdomain: "fataplus", kind: "agency", role: "admin" },
      { id: "FP-4", name: "Beta", subdomain: "beta", kind: "project", role: "admin" },
    ]);
    expect(options.map((t) => t.subdomain)).toEqual(["fataplus", "beta", "globex"]);
    expect(defaultId).toBe("FP-1");
  });

  it("defaults to the first managed project without an agency workspace, and to nothing without any", () => {
    expect(
      manageableTenants([
        { id: "FP-9", name: "Acme", subdomain: "acme", kind: "project", role: "project_manager" },
      ]).defaultId,
    ).toBe("FP-9");
    expect(manageableTenants([{ id: "FP-9", name: "Acme", subdomain: "acme", role: "client" }])).toEqual({
      options: [],
      defaultId: null,
    });
    expect(manageableTenants(undefined).defaultId).toBeNull();
  });
});

describe("list parameters from the query string", () => {
  it("passes known values and drops unknown sorts, directions, kinds, pages and projects", () => {
    expect(
      clientListParams(
        {
          q: "  acme ",
          sort: "name",
          dir: "desc",
          page: "2",
          kind: "contact",
          tenant: "FP-1",
          pageSize: "50",
        },
        ["FP-1"],
      ),
    ).toEqual({
      q: "acme",
      sort: "name",
      dir: "desc",
      page: 2,
      pageSize: 50,
      kind: "contact",
      tenant: "FP-1",
    });
    expect(
      clientListParams(
        { q: " ", sort: "password", dir: "up", page: "0", kind: "robot", tenant: "FP-2", pageSize: "1000" },
        ["FP-1"],
      ),
    ).toEqual({
      q: undefined,
      sort: undefined,
      dir: undefined,
      page: undefined,
      pageSize: undefined,
      kind: undefined,
      tenant: undefined,
    });
  });

  it("the leads table takes sort, stage and page; the kanban shows the 100 most recently updated", () => {
    const query = { q: "app", sort: "value_cents", dir: "asc", page: "3", stage: "won", tenant: "FP-1" };
    expect(leadListParams(query, ["FP-1"], "table")).toMatchObject({
      q: "app",
      sort: "value_cents",
      dir: "asc",
      page: 3,
      stage: "won",
      tenant: "FP-1",
    });
    expect(leadListParams(query, ["FP-1"], "kanban")).toEqual({
      q: "app",
      tenant: "FP-1",
      sort: "updated_at",
      dir: "desc",
      pageSize: 100,
    });
    expect(leadListParams({ stage: "maybe", sort: "email" }, [], "table")).toMatchObject({
      stage: undefined,
      sort: undefined,
    });
  });

  it("the leads screen is a kanban unless the table is asked for", () => {
    expect(viewOf({})).toBe("kanban");
    expect(viewOf({ view: "table" })).toBe("table");
    expect(viewOf({ view: "gantt" })).toBe("kanban");
  });
});

describe("notices and errors", () => {
  it("reads only known notices", () => {
    expect(noticeOf(new URL("http://x/crm/clients?notice=deleted"))).toBe("deleted");
    expect(noticeOf(new URL("http://x/crm/clients?notice=<script>"))).toBeUndefined();
    expect(noticeOf(new URL("http://x/crm/clients"))).toBeUndefined();
  });

  it("replaces the schema's messages of known fields and keeps the others", () => {
    expect(
      readableErrors(
        { name: "Invalid input: expected string, received undefined", notes: "Too big" },
        { name: "Saisissez un nom." },
      ),
    ).toEqual({ name: "Saisissez un nom.", notes: "Too big" });
  });
});
