/**
 * The one place that decides a respondent's language: an explicit choice wins, then a language
 * detected from what they wrote, then the channel's locale (Web Chat sends the browser's), then
 * the default. Region and script subtags are dropped ("nb-NO" → "nb"), and the macrolanguage
 * "no" means bokmål, as browsers and phones use it.
 */
export function negotiateLocale(
  candidates: { explicit?: string; detected?: string; activityLocale?: string },
  supported: readonly string[],
  fallback: string,
): string {
  for (const c of [candidates.explicit, candidates.detected, candidates.activityLocale]) {
    const tag = baseTag(c);
    if (tag && supported.includes(tag)) return tag;
  }
  return fallback;
}

function baseTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'no' || primary === 'nob' ? 'nb' : primary === 'nno' ? 'nn' : primary;
}
