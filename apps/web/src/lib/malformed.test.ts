import { describe, expect, it } from "vitest";
import { isValidHost, refusalFor, refusalResponse, unreadableForm } from "./malformed";

const base = { method: "GET", host: "acme.fata.plus", path: "/", contentType: null, hasBody: false };

describe("malformed requests (security review, finding 10)", () => {
  it("a Host with credentials, a path or junk is a 400; real hosts pass", () => {
    for (const host of [
      "user@acme.localhost:4321",
      "127.0.0.1:4388@x",
      "user:pw@fata.plus",
      "fata.plus/x",
      "a b",
      "localhost:99999",
      "%zz",
      "",
    ]) {
      expect(isValidHost(host), host).toBe(false);
      expect(refusalFor({ ...base, host })?.status, host).toBe(400);
    }
    expect(refusalFor({ ...base, credentials: true })?.status).toBe(400);
    for (const host of [
      "fata.plus",
      "acme.fata.plus",
      "acme.localhost:4321",
      "127.0.0.1:8787",
      "[::1]:4321",
      null,
    ]) {
      expect(isValidHost(host), String(host)).toBe(true);
      expect(refusalFor({ ...base, host }), String(host)).toBeNull();
    }
  });

  it("TRACE, TRACK, CONNECT and other methods the site does not serve are a 405 with Allow", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO"]) {
      const r = refusalFor({ ...base, method });
      expect(r?.status, method).toBe(405);
      expect(r?.headers?.allow).toContain("GET");
    }
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
      expect(refusalFor({ ...base, method }), method).toBeNull();
  });

  it("a page write that is not a form is a 415; the API proxy and empty posts pass", () => {
    const post = { ...base, method: "POST", hasBody: true };
    expect(refusalFor({ ...post, path: "/intake", contentType: "application/json" })?.status).toBe(415);
    expect(refusalFor({ ...post, path: "/login", contentType: null })?.status).toBe(415);
    expect(
      refusalFor({ ...post, path: "/login", contentType: "application/x-www-form-urlencoded" }),
    ).toBeNull();
    expect(refusalFor({ ...post, path: "/b", contentType: "multipart/form-data; boundary=x" })).toBeNull();
    expect(refusalFor({ ...post, path: "/api/app/views", contentType: "application/json" })).toBeNull();
    expect(refusalFor({ ...post, path: "/logout", hasBody: false })).toBeNull();
  });

  it("a form body that can't be parsed is a 400, a readable one passes", async () => {
    const broken = new Request("https://fata.plus/login", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "--y\r\nnot a part\r\n",
    });
    expect((await unreadableForm(broken, "/login"))?.status).toBe(400);
    const ok = new Request("https://fata.plus/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c",
    });
    expect(await unreadableForm(ok, "/login")).toBeNull();
    expect(await ok.formData()).toBeInstanceOf(FormData); // the page can still read it
  });

  it("answers JSON without internals, never cached", async () => {
    const res = refusalResponse({
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      message: "x / y",
      headers: { allow: "GET" },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "x / y" } });
  });
});
