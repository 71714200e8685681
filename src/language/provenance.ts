import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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

/** What `stringProvenance` (stringProvenance.ts) says about one string. */
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
