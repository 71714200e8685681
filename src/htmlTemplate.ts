/** Filling and sending the project's own HTML pages (the respondents' web pages, the analysts' dashboard and review page). */

/** Replaces `{{name}}` with its value; the values must already be escaped for where they go. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, name: string) => values[name] ?? m);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside <script>: `<`, `>` and `&` escaped so no text can close the element early
 * (`</script>`), and U+2028/U+2029, which older JavaScript parsers read as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The headers every page of ours is sent with: its Content-Security-Policy, never from a cache
 * (each page holds a nonce, a token or is built per reader), no referrer, no content sniffing,
 * and no camera, microphone or location.
 */
export function setPageHeaders(res: { setHeader(name: string, value: string): unknown }, csp: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}
