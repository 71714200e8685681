/** Filling the project's own HTML pages (the respondents' web page, the analysts' dashboard). */

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
