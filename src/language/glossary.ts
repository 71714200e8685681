import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The key terms of the survey, per language: the words on which the barrier analysis depends
 * ("offered", not "given"; "evicted", not "going out"; "anonymous", not "secret"). English
 * (`locales/en/glossary.json`) says what each term means and which strings must use it; every
 * locale says how it writes the term, and may list renderings a back-translation found wrong so
 * they cannot return. tests/locales.test.ts checks every locale against it, and translation
 * exports show the terms to reviewers.
 */

export const GLOSSARY_FILE = 'glossary.json';

export const glossaryEntry = z.strictObject({
  /** What the term means; in the source language only. */
  means: z.string().min(1).optional(),
  /** How this language writes it: whole words or stems, any one of which each string must contain. */
  terms: z.array(z.string().min(1)).min(1),
  /** Renderings that change the meaning, found in review; no string listed in `in` may contain them. */
  not: z.array(z.string().min(1)).default([]),
  /** `"<namespace>:<key>"` of the strings that must use the term; in the source language only. */
  in: z.array(z.string().regex(/^[\w-]+:[\w.-]+$/)).optional(),
});
export type GlossaryEntry = z.infer<typeof glossaryEntry>;

export const glossaryFile = z.record(z.string().regex(/^[a-z_]+$/), glossaryEntry);
export type Glossary = z.infer<typeof glossaryFile>;

/** Reads a locale's glossary; an empty one when it has none. */
export function readGlossary(folder: string): Glossary {
  const file = path.join(folder, GLOSSARY_FILE);
  if (!fs.existsSync(file)) return {};
  const parsed = glossaryFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** One way a locale's text breaks its glossary. */
export interface GlossaryProblem {
  concept: string;
  key: string;
  message: string;
}

/**
 * Checks a locale's strings against the source glossary's `in` lists and the locale's own
 * terms. `text(key)` gives the locale's text for `"<namespace>:<key>"`; `fold` the comparison
 * form of the locale (so "Anonyme" contains "anonym").
 */
export function glossaryProblems(source: Glossary, own: Glossary, text: (key: string) => string | undefined, fold: (s: string) => string): GlossaryProblem[] {
  const problems: GlossaryProblem[] = [];
  for (const [concept, entry] of Object.entries(source)) {
    const mine = own[concept];
    for (const key of entry.in ?? []) {
      if (!mine) {
        problems.push({ concept, key, message: `no term for "${concept}" in the glossary` });
        continue;
      }
      const value = text(key);
      if (value === undefined) continue;
      const folded = fold(value);
      if (!mine.terms.some((t) => folded.includes(fold(t))))
        problems.push({ concept, key, message: `uses none of the terms for "${concept}": ${mine.terms.join(', ')}` });
      for (const wrong of mine.not)
        if (folded.includes(fold(wrong))) problems.push({ concept, key, message: `uses "${wrong}", which changes the meaning of "${concept}"` });
    }
  }
  return problems;
}
