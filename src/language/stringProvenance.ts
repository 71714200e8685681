import type { Locales } from './i18n';
import { StringProvenance, textHash } from './provenance';

/**
 * The provenance of one string as respondents see it in `lng`.
 *
 * A per-string review counts only while the text is the one reviewed; otherwise, and for strings
 * without a review, the locale's default from `meta.json` applies. Where `lng` has no text of its
 * own for the key, the fallback language's text is what is shown, so its provenance is returned
 * (with `locale` saying which).
 *
 * @param locales the loaded locales (src/language/i18n.ts `loadLocales`)
 * @param lng a locale tag, e.g. "so"
 * @param ns the namespace: "bot", or the survey id ("housing-help")
 * @param key the key inside the namespace, e.g. "questions.interpreter.text"
 * @returns `{ status: 'drafted' | 'reviewed', by, date?, locale }`
 * @example stringProvenance(locales, 'so', 'housing-help', 'questions.interpreter.text')
 *   // → { status: 'drafted', by: 'AI-assisted draft by the development team', locale: 'so' }
 */
export function stringProvenance(locales: Locales, lng: string, ns: string, key: string): StringProvenance {
  const locale = locales.lookupOrder(lng).find((l) => locales.i18n.getResource(l, ns, key) !== undefined) ?? lng;
  const meta = locales.byTag.get(locale);
  const review = locales.provenance.get(locale)?.[`${ns}:${key}`];
  if (review && review.text === textHash(locales.i18n.getResource(locale, ns, key))) {
    return { status: review.status, by: review.by, ...(review.status === 'reviewed' ? { date: review.date } : {}), locale };
  }
  return { status: meta?.provenance.status ?? 'drafted', by: meta?.provenance.by ?? 'unknown', locale };
}
