/**
 * The HTTP mail provider adapter against a local fake of Resend's API (a real HTTP server on loopback): the
 * request it sends, a good answer, refusals (retryable or not), an unreadable answer and a timeout.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpMailer, MailDeliveryError, queueMail } from "./index.ts";

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
let server: Server;
let endpoint: string;
let seen: Seen[] = [];
let answer: (res: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      answer(res);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/emails`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  seen = [];
});

const mail = {
  id: "01JMAILROWID",
  to: "client@example.test",
  subject: "Votre invitation",
  text: "Bonjour,\nvoici votre lien.",
  html: null,
};

describe("HTTP mailer (Resend API) against a fake server", () => {
  it("posts the message with the key, the sender and the row id as idempotency key", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "re_123" }));
    };
    const mailer = createHttpMailer({ apiKey: "re_test_key", from: "Fataplus <hello@fata.plus>", endpoint });
    const result = await mailer.send(mail);
    expect(result).toEqual({ providerMessageId: "re_123" });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/emails");
    expect(req?.headers.authorization).toBe("Bearer re_test_key");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["idempotency-key"]).toBe("01JMAILROWID");
    expect(JSON.parse(req?.body ?? "")).toEqual({
      from: "Fataplus <hello@fata.plus>",
      to: ["client@example.test"],
      subject: "Votre invitation",
      text: "Bonjour,\nvoici votre lien.",
    });
  });

  it("includes the HTML body when there is one", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "re_456" }));
    };
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint });
    await mailer.send({ ...mail, html: "<p>Bonjour</p>" });
    expect(JSON.parse(seen[0]?.body ?? "").html).toBe("<p>Bonjour</p>");
  });

  it("a refused message (422) is a non-retryable error carrying the provider's reason", async () => {
    answer = (res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Invalid `to` field" }));
    };
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint });
    const err = await mailer.send(mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect((err as MailDeliveryError).retryable).toBe(false);
    expect((err as MailDeliveryError).message).toMatch(/422.*Invalid `to` field/);
  });

  it("429 and 5xx are retryable", async () => {
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint });
    for (const status of [429, 503]) {
      answer = (res) => {
        res.writeHead(status);
        res.end("busy");
      };
      const err = await mailer.send(mail).catch((e: unknown) => e);
      expect((err as MailDeliveryError).retryable).toBe(true);
    }
  });

  it("an accepted but unreadable answer counts as sent, without a provider id (no duplicate on retry)", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>ok</html>");
    };
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint });
    expect(await mailer.send(mail)).toEqual({ providerMessageId: null });
  });

  it("gives up after its time limit with a retryable error", async () => {
    answer = () => {}; // never answers
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint, timeoutMs: 150 });
    const err = await mailer.send(mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect((err as MailDeliveryError).retryable).toBe(true);
    expect((err as MailDeliveryError).message).toMatch(/no answer within 150 ms/);
  });

  it("an unreachable provider is a retryable error", async () => {
    const mailer = createHttpMailer({ apiKey: "k", from: "a@b.test", endpoint: "http://127.0.0.1:9/emails" });
    const err = await mailer.send(mail).catch((e: unknown) => e);
    expect((err as MailDeliveryError).retryable).toBe(true);
  });
});

describe("queueMail", () => {
  const fakeDb = {
    prepare: (sql: string) => ({ bind: (...args: unknown[]) => ({ sql, args }) }),
  } as unknown as D1Database;

  it("refuses a malformed message with a readable validation error", () => {
    expect(() =>
      queueMail(fakeDb, {
        tenantId: null,
        to: "not-an-address",
        subject: "x",
        text: "y",
        kind: "invitation",
      }),
    ).toThrow(/to: must be an email address/);
    expect(() =>
      queueMail(fakeDb, {
        tenantId: null,
        to: "a@b.test",
        subject: "a\r\nBcc: x@y.test",
        text: "y",
        kind: "k",
      }),
    ).toThrow(/subject: must be one line/);
  });

  it("binds the normalised address and the kind", () => {
    const stmt = queueMail(fakeDb, {
      tenantId: "FP-2026-ABCDEFGHJ",
      to: " Client@Example.TEST ",
      subject: "Hello",
      text: "Body",
      kind: "request.reminder",
    }) as unknown as { sql: string; args: unknown[] };
    expect(stmt.sql).toMatch(/INSERT INTO email_outbox/);
    expect(stmt.args.slice(1, 6)).toEqual([
      "FP-2026-ABCDEFGHJ",
      "request.reminder",
      "client@example.test",
      "Hello",
      "Body",
    ]);
  });
});
