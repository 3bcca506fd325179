import { describe, expect, it } from "vitest";
import { hrefWith, queryOf, viewQuery } from "./list-query";

describe("list query strings", () => {
  it("keeps known keys only, and resets the page when a filter changes", () => {
    const q = queryOf(new URL("http://x/crm/clients?q=acme&page=3&evil=1&sort="), ["q", "page", "sort"]);
    expect(q).toEqual({ q: "acme", page: "3" });
    expect(hrefWith("/crm/clients", q, { sort: "name" })).toBe("/crm/clients?q=acme&sort=name");
    expect(hrefWith("/crm/clients", q, { page: "4" })).toBe("/crm/clients?q=acme&page=4");
    expect(hrefWith("/crm/clients", q, { q: undefined })).toBe("/crm/clients");
  });

  it("saves filters and sort, not the page", () => {
    expect(viewQuery({ q: "a", page: "2", sort: "name" })).toBe("q=a&sort=name");
  });
});
