import { texts } from '../helpers/harness';

/**
 * "Answered in the respondent's language", checked line by line: every line the bot sends must be
 * one of that language's texts (as i18next resolves them, fallbacks included), with any
 * `{{variable}}` filled in, an option number in front, or a language's own name (the menu).
 * A line in another language, or any text that is not the locales' (an error message, an echo
 * of the input), fails.
 */

const BIDI = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function leafKeys(o: unknown, prefix = ''): string[] {
  if (typeof o === 'string') return [prefix];
  if (!o || typeof o !== 'object' || Array.isArray(o)) return [];
  return Object.entries(o).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

const NAMESPACES = ['bot', texts.survey.id];
const cache = new Map<string, RegExp>();

/** One regular expression for every line `lng` may send. */
function linesOf(lng: string): RegExp {
  let re = cache.get(lng);
  if (re) return re;
  const { i18n } = texts.locales;
  const chain = [lng, ...texts.meta(lng).fallback, 'en'];
  const patterns = new Set<string>();
  for (const ns of NAMESPACES) {
    const keys = new Set(texts.locales.list.flatMap((l) => leafKeys(i18n.getResourceBundle(l.tag, ns))));
    for (const key of keys) {
      const value = chain.map((l) => i18n.getResource(l, ns, key)).find((v) => typeof v === 'string') as string | undefined;
      if (!value) continue;
      for (const line of value.replace(BIDI, '').split('\n')) {
        const parts = line.trim().split(/\{\{[^}]+\}\}/);
        if (parts.join('').trim().length === 0) continue;
        patterns.add(parts.map(escape).join('.+?'));
      }
    }
  }
  for (const l of texts.locales.list) patterns.add(escape(l.endonym));
  re = new RegExp(`^(?:\\d+\\.\\s+)?(?:${[...patterns].join('|')})$`, 'su');
  cache.set(lng, re);
  return re;
}

/** The lines of `text` that are not `lng`'s own (empty when every line is). */
export function foreignLines(lng: string, text: string): string[] {
  const re = linesOf(lng);
  return text
    .replace(BIDI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !re.test(l));
}

/** A text from `lng`'s locale, to recognise a particular reply. */
export const said = (lng: string, key: string, vars: Record<string, unknown> = {}) => texts.t(lng, key, vars);
