import MarkdownIt from 'markdown-it';

// The plain-text helpers live apart so that code that only escapes does not load markdown-it.
import { escapeHtml } from './html-text.ts';

export { escapeHtml, looksLikeHtml, unescapeHtml } from './html-text.ts';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
const defaultLinkOpen =
  markdown.renderer.rules['link_open'] ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
// Links open in a new tab so that following one does not lose the spawn form.
markdown.renderer.rules['link_open'] = (tokens, index, options, env, self) => {
  tokens[index]?.attrSet('target', '_blank');
  tokens[index]?.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, index, options, env, self);
};

// An image in a description would make every user's browser fetch a URL of the author's choosing (tracking, or
// a third party's server) on the hub's spawn page; it becomes a link to the image with its alt text instead.
markdown.renderer.rules['image'] = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
  return `<a href="${escapeHtml(src)}" target="_blank" rel="noopener noreferrer">${escapeHtml(alt)}</a>`;
};

/**
 * Renders a short Markdown description to HTML that is safe to insert unescaped, as KubeSpawner does:
 * raw HTML typed by a person is shown as text (markdown-it with `html: false`), and markdown-it refuses
 * `javascript:`, `vbscript:` and `data:` links; images become links, so the page loads nothing from elsewhere. KubeSpawner wraps the description in `<p>`, so paragraphs are
 * rendered inline and joined with line breaks (a `<p>` inside a `<p>` is not valid HTML).
 */
export function renderDescription(markdownText: string): string {
  return markdownText
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => markdown.renderInline(paragraph.trim()))
    .join('<br><br>');
}
