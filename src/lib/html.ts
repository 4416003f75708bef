import MarkdownIt from 'markdown-it';

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

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Reverses `escapeHtml` for display strings (`&` last, so `&amp;lt;` stays `&lt;`). */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

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

/** True when the text contains something that looks like an HTML tag (it will be shown as text). */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-zA-Z][^>]*>/.test(text);
}
