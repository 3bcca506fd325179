/**
 * Lesson and assignment Markdown → HTML, safely (decision 010): markdown-it with raw HTML off (any tag in the
 * source is shown as text), links and images limited to http(s), mailto and site-relative URLs, external links
 * opened without referrer or opener. The output is trusted HTML for the page that embeds it.
 * The parser is built on first use: importing the domain costs nothing to code that never renders Markdown.
 */
import MarkdownIt from "markdown-it";

const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

type Parser = InstanceType<typeof MarkdownIt>;
let md: Parser | null = null;

function parser(): Parser {
  if (md) return md;
  const m = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
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

export function renderMarkdown(source: string): string {
  return parser().render(source);
}
