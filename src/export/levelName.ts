import { Locales, textOr } from '../language/i18n';

/**
 * A generalisation level in the analyst's language: the step names of the survey definition
 * ("county", "wider age band") and "suppressed" have texts in `analyst:disclosure.levels`; a
 * column's own name (its value as stored) stays as it is.
 */
export function levelName(locales: Locales, lng: string, level: string): string {
  return textOr(locales, `analyst:disclosure.levels.${level}`, lng, level);
}
