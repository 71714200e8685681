/**
 * The language tags of an HTTP Accept-Language header (RFC 9110 §12.5.4), best first: by q-value,
 * then by order. `*` and tags with q=0 are dropped; at most 20 entries are read, since the header
 * comes from anyone.
 */
export function rankAcceptLanguage(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}
