import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.ts";

describe("lesson Markdown", () => {
  it("renders headings, emphasis, lists, links and images", async () => {
    const html = await renderMarkdown(
      "# Title\n\n- **bold** item\n\n[Figma](https://figma.com) and ![alt](https://img.test/a.png)",
    );
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain(
      '<a href="https://figma.com" rel="noopener noreferrer nofollow" target="_blank">Figma</a>',
    );
    expect(html).toContain(
      '<img src="https://img.test/a.png" alt="alt" loading="lazy" referrerpolicy="no-referrer">',
    );
  });

  it("shows raw HTML as text, never as markup", async () => {
    const html = await renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("refuses javascript:, data: and protocol-relative URLs in links and images", async () => {
    for (const src of [
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "![x](data:image/png;base64,AAAA)",
      "[x](//evil.test/a)",
      "[x](vbscript:msgbox)",
    ]) {
      const html = await renderMarkdown(src);
      expect(html, src).not.toMatch(/href=|src=/);
    }
  });

  it("keeps site-relative links on the site", async () => {
    expect(await renderMarkdown("[next](/bootcamp/learn)")).toContain('<a href="/bootcamp/learn">next</a>');
  });
});
