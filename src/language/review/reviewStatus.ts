import { Locales } from '../i18n';
import { SurveyDefinition } from '../../survey/definition';
import { GLOSSARY_NS, reviewUnits } from './reviewUnits';

/** Where the review of each locale stands: the README's language table. */
/** How much of a locale a native reviewer has confirmed, for the README and the codebook. */
export interface ReviewSummary {
  /** Respondent-facing strings (the bot's and the survey's), glossary terms not counted. */
  total: number;
  reviewed: number;
  /** The reviewing organisations, in the order they first appear. */
  reviewers: string[];
}

/** Counts the strings of `lng` whose exact text a native reviewer has confirmed. */
export function reviewSummary(locales: Locales, survey: SurveyDefinition, lng: string): ReviewSummary {
  const units = reviewUnits(locales, survey, lng).filter((u) => u.ns !== GLOSSARY_NS);
  const reviewed = units.filter((u) => u.status === 'reviewed');
  return { total: units.length, reviewed: reviewed.length, reviewers: [...new Set(reviewed.map((u) => u.by))] };
}

/**
 * The README's language table: each locale's default provenance and how many of its strings a
 * native reviewer has confirmed. `survey-bot translations status` prints it.
 */
export function languageTable(locales: Locales, survey: SurveyDefinition): string {
  const rows = locales.list.map((l) => {
    const { total, reviewed, reviewers } = reviewSummary(locales, survey, l.tag);
    return `| ${l.endonym} | ${l.tag} | ${l.dir} | ${l.provenance.status}: ${l.provenance.by} | ${reviewed} of ${total}${reviewers.length ? ` (${reviewers.join(', ')})` : ''} |`;
  });
  return ['| Language | Tag | Direction | Texts (meta.json) | Strings reviewed by a native speaker |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
