/** The languages analysts read: the `analyst` namespace exists in these locales only. */
export const ANALYST_LANGUAGES = ['nb', 'en'] as const;
export type AnalystLanguage = (typeof ANALYST_LANGUAGES)[number];

/**
 * The analyst language for an Accept-Language header: bokmål for any Norwegian (nb, nn, no),
 * English for English, by q-value; else `fallback` when it is one of them, else English.
 */
export function analystLanguage(header: string | undefined, fallback: string): AnalystLanguage {
  const ranked = (header ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { primary: tag.trim().toLowerCase().split(/[-_]/)[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.primary && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { primary } of ranked) {
    if (['nb', 'nn', 'no', 'nob', 'nno'].includes(primary)) return 'nb';
    if (primary === 'en') return 'en';
  }
  return (ANALYST_LANGUAGES as readonly string[]).includes(fallback) ? (fallback as AnalystLanguage) : 'en';
}
