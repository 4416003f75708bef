import type { ServerResponse } from 'node:http';

/**
 * Headers every answer carries: no MIME sniffing, no framing by other sites, and a Content Security Policy
 * that keeps pages to this server's own scripts, styles and connections and to images from this server
 * (a Markdown image pointing elsewhere is not loaded). `/admin/` also allows `eval`: Decap CMS and the editor's
 * checks compile schemas at run time (ajv). Inline scripts and styles stay allowed because Astro inlines small
 * page scripts and Decap injects its styles.
 */
export function setSecurityHeaders(response: ServerResponse, pathname: string, base: string): void {
  const admin = pathname.startsWith(`${base}admin/`) || pathname === `${base}admin`;
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'same-origin');
  response.setHeader('Content-Security-Policy', contentSecurityPolicy(admin));
}

/** The policy for a page: the editor (`admin`) or the rest. */
export function contentSecurityPolicy(admin: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${admin ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob: data:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}
