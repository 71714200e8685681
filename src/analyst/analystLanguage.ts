import { rankAcceptLanguage } from '../language/acceptLanguage';

/** The languages analysts read: the `analyst` namespace exists in these locales only. */
export const ANALYST_LANGUAGES = ['nb', 'en'] as const;
export type AnalystLanguage = (typeof ANALYST_LANGUAGES)[number];

/**
 * The analyst language for an Accept-Language header: bokmål for any Norwegian (nb, nn, no),
 * English for English, by q-value; else `fallback` when it is one of them, else English.
 */
export function analystLanguage(header: string | undefined, fallback: string): AnalystLanguage {
  for (const tag of rankAcceptLanguage(header)) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (['nb', 'nn', 'no', 'nob', 'nno'].includes(primary)) return 'nb';
    if (primary === 'en') return 'en';
  }
  return (ANALYST_LANGUAGES as readonly string[]).includes(fallback) ? (fallback as AnalystLanguage) : 'en';
}
