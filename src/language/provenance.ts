import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Locales } from '../i18n';

/**
 * Who wrote each text, and whether a qualified native speaker has reviewed it. A locale's
 * `meta.json` holds the default for all its strings (every locale in this repository: drafted);
 * `locales/<tag>/provenance.json` holds per-string overrides, written by `survey-bot translations
 * import` when a reviewing organisation returns a file. A review covers the exact text that was
 * reviewed: an override records a hash of it, and a string edited afterwards is a draft again.
 */

export const PROVENANCE_FILE = 'provenance.json';

/** One string's review. */
export const stringReview = z.strictObject({
  status: z.enum(['drafted', 'reviewed']),
  /** The reviewing organisation, or who drafted a replacement. */
  by: z.string().min(1),
  /** Day of the review, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2025-03-31'),
  /** {@link textHash} of the text that was reviewed. */
  text: z.string().regex(/^[0-9a-f]{16}$/),
});
export type StringReview = z.infer<typeof stringReview>;

/** `locales/<tag>/provenance.json`: `"<namespace>:<key>"` → its review. */
export const provenanceFile = z.record(z.string().regex(/^[\w-]+:[\w.-]+$/, 'a key such as "bot:help.text"'), stringReview);
export type ProvenanceOverrides = z.infer<typeof provenanceFile>;

/** What {@link stringProvenance} says about one string. */
export interface StringProvenance {
  status: 'drafted' | 'reviewed';
  /** Who wrote it (drafted) or which organisation reviewed it (reviewed). */
  by: string;
  /** When it was reviewed, YYYY-MM-DD; absent for drafts. */
  date?: string;
  /** The locale whose text this is: `lng`, or the fallback shown where `lng` has none. */
  locale: string;
}

/** A short, stable fingerprint of a text (a string or a keyword list) as stored in a locale file. */
export function textHash(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Reads a locale's per-string overrides; none when the file does not exist yet. */
export function readProvenance(folder: string): ProvenanceOverrides {
  const file = path.join(folder, PROVENANCE_FILE);
  if (!fs.existsSync(file)) return {};
  const parsed = provenanceFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Writes a locale's overrides, sorted by key so that a review shows as a readable diff. */
export function writeProvenance(folder: string, overrides: ProvenanceOverrides): void {
  const sorted = Object.fromEntries(Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(path.join(folder, PROVENANCE_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/**
 * The provenance of one string as respondents see it in `lng`.
 *
 * A per-string review counts only while the text is the one reviewed; otherwise, and for strings
 * without a review, the locale's default from `meta.json` applies. Where `lng` has no text of its
 * own for the key, the fallback language's text is what is shown, so its provenance is returned
 * (with `locale` saying which).
 *
 * @param locales the loaded locales (src/i18n.ts `loadLocales`)
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
