/**
 * Security review (issue 7): lesson and assignment Markdown is rendered into pages with `set:html`, so every
 * way to smuggle script or a dangerous URL through markdown-it must come out inert.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.ts";

const attacks = [
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](  javascript:alert(1))",
  "[x](java\tscript:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml,<svg onload=alert(1)>)",
  "<javascript:alert(1)>",
  "[x][r]\n\n[r]: javascript:alert(1)",
  "[x](//evil.example/phish)",
  '<img src=x onerror="alert(1)">',
  "<script>alert(1)</script>",
  '<a href="javascript:alert(1)">x</a>',
  "`<script>` and <svg/onload=alert(1)>",
  '[x](https://ok.example "a\\" onmouseover=\\"alert(1))',
];

describe("renderMarkdown refuses script and dangerous URLs", () => {
  it.each(attacks)("%s", async (source) => {
    const html = await renderMarkdown(source);
    // Only real tags count: text such as `&lt;img onerror=…` is shown, not run.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    for (const tag of tags) {
      expect(tag).toMatch(/^<(p|a|img|code|em|strong|br)[\s>]/i);
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag).not.toMatch(/(href|src)="\s*(javascript|vbscript|data):/i);
      expect(tag).not.toMatch(/(href|src)="\/\//i);
    }
  });
});
