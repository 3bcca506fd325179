/**
 * Lesson and assignment Markdown → HTML, safely (decision 010): markdown-it with raw HTML off (any tag in the
 * source is shown as text), links and images limited to http(s), mailto and site-relative URLs, external links
 * opened without referrer or opener. The output is trusted HTML for the page that embeds it.
 * markdown-it is loaded on first use (a dynamic import): code that imports the domain without rendering Markdown
 * (the CRM's forms in the browser) never bundles it in what it loads.
 */
import type MarkdownIt from "markdown-it";

const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

type Parser = InstanceType<typeof MarkdownIt>;
let md: Parser | null = null;

async function parser(): Promise<Parser> {
  if (md) return md;
  const { default: MarkdownItClass } = await import("markdown-it");
  const m = new MarkdownItClass({ html: false, linkify: true, typographer: false, breaks: false });
  m.validateLink = (url: string): boolean => SAFE_URL.test(url.trim());
  const render: NonNullable<typeof m.renderer.rules.link_open> = (tokens, idx, options, _env, self) =>
    self.renderToken(tokens, idx, options);
  m.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token && /^https?:\/\//i.test(String(token.attrGet("href") ?? ""))) {
      token.attrSet("rel", "noopener noreferrer nofollow");
      token.attrSet("target", "_blank");
    }
    return render(tokens, idx, options, env, self);
  };
  const image = m.renderer.rules.image;
  m.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token) {
      token.attrSet("loading", "lazy");
      token.attrSet("referrerpolicy", "no-referrer");
    }
    return image ? image(tokens, idx, options, env, self) : render(tokens, idx, options, env, self);
  };
  md = m;
  return m;
}

export async function renderMarkdown(source: string): Promise<string> {
  return (await parser()).render(source);
}
