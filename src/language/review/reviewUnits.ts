import { SEGMENT_BUDGET } from '../../text/smsText';
import { Locales } from '../i18n';
import { SurveyDefinition } from '../../survey/definition';
import { textHash } from '../provenance';
import { stringProvenance } from '../stringProvenance';

/**
 * What a native reviewer is given: every string of one locale, with its English and bokmål
 * sources, its provenance and what to watch for (variables, key terms, the SMS budget).
 */
/** The pseudo-namespace of glossary terms in a review file. */
export const GLOSSARY_NS = 'glossary';
/** How a list (keywords, synonyms) is written in one cell or segment. */
export const LIST_SEPARATOR = ' | ';

export type Json = string | Json[] | { [k: string]: Json };

/** One string to review. */
export interface ReviewUnit {
  /** `"<namespace>:<key>"`, e.g. "bot:help.text" or "glossary:offered". */
  id: string;
  ns: string;
  key: string;
  /** A keyword or synonym list, or glossary terms: one cell, items separated by {@link LIST_SEPARATOR}. */
  list: boolean;
  en: string;
  nb: string;
  /** The locale's current text; empty where it has none and English would be shown. */
  text: string;
  status: 'drafted' | 'reviewed' | 'missing';
  by: string;
  date?: string;
  /** What a reviewer needs to know: variables, key terms, the SMS budget, what a list is for. */
  notes: string[];
}

/** Every string or list of a locale file, by dotted key. */
export function flatten(obj: Json | undefined, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  if (obj === undefined) return out;
  if (typeof obj === 'string' || Array.isArray(obj)) {
    out.set(prefix, obj as string | string[]);
    return out;
  }
  for (const [k, v] of Object.entries(obj)) for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}

/** A text or list as one cell. */
export const asCell = (v: string | string[] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join(LIST_SEPARATOR) : v);
/** The interpolation variables a text uses. */
export const variables = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]))].sort();

/** The namespaces respondents read: the bot's and the survey's. */
export function reviewNamespaces(survey: SurveyDefinition): string[] {
  return ['bot', survey.id];
}

/** Every string of `lng` to review, in the order of the English files, then the glossary. */
export function reviewUnits(locales: Locales, survey: SurveyDefinition, lng: string): ReviewUnit[] {
  const units: ReviewUnit[] = [];
  const res = (l: string, ns: string) => locales.i18n.getResourceBundle(l, ns) as Json | undefined;
  const sourceGlossary = locales.glossary.get('en') ?? {};
  const termsIn = new Map<string, string[]>();
  for (const [concept, entry] of Object.entries(sourceGlossary)) {
    for (const id of entry.in ?? []) termsIn.set(id, [...(termsIn.get(id) ?? []), concept]);
  }
  const own = locales.glossary.get(lng) ?? {};
  const encoding = locales.byTag.get(lng)?.smsEncoding ?? 'UCS-2';
  const maxChars = encoding === 'GSM-7' ? 153 * SEGMENT_BUDGET['GSM-7'] : 67 * SEGMENT_BUDGET['UCS-2'];
  for (const ns of reviewNamespaces(survey)) {
    const en = flatten(res('en', ns));
    const nb = flatten(res('nb', ns));
    const mine = flatten(res(lng, ns));
    for (const [key, source] of en) {
      const id = `${ns}:${key}`;
      const current = mine.get(key);
      const p = stringProvenance(locales, lng, ns, key);
      const list = Array.isArray(source);
      const notes: string[] = [];
      if (list) notes.push(`A list: respondents may type any of these words. Separate them with "${LIST_SEPARATOR.trim()}".`);
      else {
        const vars = variables(source as string);
        if (vars.length) notes.push(`Keep ${vars.map((v) => `{{${v}}}`).join(', ')} exactly as written: the bot fills them in.`);
        notes.push(`Sent by SMS: with the variables filled in, at most about ${maxChars} characters (${encoding}).`);
      }
      for (const concept of termsIn.get(id) ?? []) {
        notes.push(
          `Key term "${concept}" (${sourceGlossary[concept].means}): this text must use ${own[concept]?.terms.map((t) => `"${t}"`).join(' or ') ?? 'the glossary term'}.`,
        );
      }
      units.push({
        id,
        ns,
        key,
        list,
        en: asCell(source),
        nb: asCell(nb.get(key)),
        text: asCell(current),
        status: current === undefined ? 'missing' : p.status,
        by: current === undefined ? '' : p.by,
        ...(p.date && current !== undefined ? { date: p.date } : {}),
        notes,
      });
    }
  }
  const reviews = locales.provenance.get(lng) ?? {};
  const meta = locales.byTag.get(lng);
  for (const [concept, entry] of Object.entries(sourceGlossary)) {
    const id = `${GLOSSARY_NS}:${concept}`;
    const terms = own[concept]?.terms;
    const review = reviews[id];
    const reviewed = review && terms && review.text === textHash(terms);
    units.push({
      id,
      ns: GLOSSARY_NS,
      key: concept,
      list: true,
      en: entry.terms.join(LIST_SEPARATOR),
      nb: (locales.glossary.get('nb')?.[concept]?.terms ?? []).join(LIST_SEPARATOR),
      text: (terms ?? []).join(LIST_SEPARATOR),
      status: !terms ? 'missing' : reviewed ? 'reviewed' : (meta?.provenance.status ?? 'drafted'),
      by: !terms ? '' : reviewed ? review.by : (meta?.provenance.by ?? ''),
      ...(reviewed ? { date: review.date } : {}),
      notes: [`Key term: ${entry.means}`, `The word or stem every one of these texts must use: ${(entry.in ?? []).join(', ')}.`],
    });
  }
  return units;
}
