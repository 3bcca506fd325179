/**
 * Lesson and assignment Markdown → HTML, safely (decision 010): markdown-it with raw HTML off (any tag in the
 * source is shown as text), links and images limited to http(s), mailto and site-relative URLs, external links
 * opened without referrer or opener. The output is trusted HTML for the page that embeds it.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;
md.validateLink = (url: string): boolean => SAFE_URL.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = String(token?.attrGet("href") ?? "");
  if (token && /^https?:\/\//i.test(href)) {
    token.attrSet("rel", "noopener noreferrer nofollow");
    token.attrSet("target", "_blank");
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const defaultImage =
  md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet("loading", "lazy");
    token.attrSet("referrerpolicy", "no-referrer");
  }
  return defaultImage(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}
