import { Locales } from '../language/i18n';
import { localeWording, SurveyWording } from '../language/surveyWording';
import { reviewSummary } from '../language/translations';
import { Condition, Question, SurveyDefinition, optionsOf } from '../survey/definition';
import { bandOf } from '../survey/engine';
import { QuestionSlot, topLevelQuestion } from '../survey/walk';
import { ExportColumn } from './exportPlan';
import { levelName } from './levelName';

/**
 * The codebook: what every exported column means, every code it can hold with its label in every
 * locale, the question as each language asked it, when it was asked (the skip condition in
 * words), and where each translation came from. The codebook's own words are in
 * `locales/<lng>/analyst.json`, in the languages analysts read (nb, en).
 */

export type StringProvenance = { status: string; by: string; date?: string };

export interface CodebookOption {
  code: string;
  labels: Record<string, string>;
  /** Per locale, where the label came from, as `textProvenance` for the question. */
  labelProvenance: Record<string, StringProvenance>;
}

export interface CodebookColumn {
  name: string;
  kind: string;
  description: string;
  question?: string;
  type?: string;
  /** The question as asked, per locale. */
  text?: Record<string, string>;
  /** When the question was asked, in words. */
  askedWhen?: string;
  /** Per locale, where the question's text came from: drafted, or reviewed by whom and when. */
  textProvenance?: Record<string, StringProvenance>;
  options?: CodebookOption[];
  notes: string[];
}

export interface CodebookLocale {
  tag: string;
  endonym: string;
  dir: string;
  /** The locale's default (meta.json), for every string not reviewed on its own. */
  provenance: { status: string; by: string; method: string };
  /** Strings a native reviewer has confirmed, of all the locale's strings. */
  reviewed: { strings: number; of: number; by: string[] };
}

export interface Codebook {
  survey: { id: string; version: number; consentVersion: number };
  /** The language of the codebook's own words. */
  language: string;
  missing: string;
  columns: CodebookColumn[];
  locales: CodebookLocale[];
}

/** The languages the codebook can be written in: those with an `analyst` namespace. */
export function codebookLanguages(locales: Locales): string[] {
  return locales.list.filter((l) => locales.i18n.hasResourceBundle(l.tag, 'analyst')).map((l) => l.tag);
}

/**
 * @param wording where the survey version's texts are (its i18next namespace) and who wrote each:
 *   the files in `locales/` unless given (src/language/surveyWording.ts)
 */
export function buildCodebook(
  def: SurveyDefinition,
  locales: Locales,
  columns: readonly ExportColumn[],
  language: string,
  wording: SurveyWording = localeWording(locales, def.id),
): Codebook {
  const lng = codebookLanguages(locales).includes(language) ? language : 'en';
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.${key}`, { lng, ...vars }) as string;
  const s = (tag: string, key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`${wording.ns}:${key}`, { lng: tag, ...vars }) as string;
  const tags = locales.tags;
  const label = (tag: string, code: string) => s(tag, `options.${code}.label`);
  const derived = new Set((def.analysis?.quasiIdentifiers ?? []).flatMap((q) => q.derived));
  const provenanceOf = (key: string): Record<string, StringProvenance> => Object.fromEntries(tags.map((tag) => [tag, wording.provenance(tag, key)]));

  const out: CodebookColumn[] = columns.map((c) => {
    const notes: string[] = [];
    if (c.qi) notes.push(t('notes.generalised', { levels: [c.qi.column, ...c.qi.steps.map((x) => levelName(locales, lng, x.name)), '*'].join(' → ') }));
    if (derived.has(c.name as never)) notes.push(t('notes.derived'));
    if (!c.step) return { name: c.name, kind: t(`kinds.${c.kind}`), description: t(`columns.${c.name}`), notes };
    const q = c.step.question;
    const vars = (tag: string) => (c.step!.option ? { area: label(tag, c.step!.option) } : {});
    const text = Object.fromEntries(tags.map((tag) => [tag, s(tag, `questions.${q.id}.text`, vars(tag))]));
    const textProvenance = provenanceOf(`questions.${q.id}.text`);
    const options = optionsOf(q);
    return {
      name: c.name,
      kind: t(`kinds.${c.kind}`),
      description: text[lng] ?? text.en,
      question: q.id,
      type: typeInWords(q, t),
      text,
      textProvenance,
      askedWhen: askedWhenInWords(c.step, def, t, (code) => label(lng, code)),
      ...(options.length
        ? {
            options: options.map((code) => ({
              code,
              labels: Object.fromEntries(tags.map((tag) => [tag, label(tag, code)])),
              labelProvenance: provenanceOf(`options.${code}.label`),
            })),
          }
        : {}),
      notes: q.type === 'text' && !c.qi ? [...notes, t('notes.free_text')] : notes,
    };
  });
  return {
    survey: { id: def.id, version: def.version, consentVersion: def.consentVersion },
    language: lng,
    missing: t('notes.missing'),
    columns: out,
    locales: locales.list.map((l) => {
      const r = reviewSummary(locales, def, l.tag);
      return { tag: l.tag, endonym: l.endonym, dir: l.dir, provenance: { ...l.provenance }, reviewed: { strings: r.reviewed, of: r.total, by: r.reviewers } };
    }),
  };
}

/** A question's type in the codebook's words: "single choice", "scale 1–5", "number, stored as a band (…)". */
export function typeInWords(q: Question, t: (key: string, vars?: Record<string, unknown>) => string): string {
  if (q.type === 'scale') return t('types.scale', { min: q.min, max: q.max });
  if (q.type === 'number' && q.bands) return t('types.banded', { bands: q.bands.map((b) => bandOf(b, q.bands!)).join(', ') });
  return t(`types.${q.type}`);
}

/** When a question is asked, in the codebook's language: its block's repetition and condition, its own condition, or "always". */
export function askedWhenInWords(
  slot: QuestionSlot,
  def: SurveyDefinition,
  t: (key: string, vars?: Record<string, unknown>) => string,
  label: (code: string) => string,
): string {
  const parts = [
    slot.block ? t('when.repeat', { question: slot.block.forEach }) : '',
    slot.block?.when ? conditionInWords(slot.block.when, def, t, label) : '',
    slot.question.when ? conditionInWords(slot.question.when, def, t, label) : '',
  ].filter(Boolean);
  return parts.join(t('when.and')) || t('when.always');
}

/** A skip condition in the codebook's language: 'needed_help is yes ("Yes")', "all of: …". */
export function conditionInWords(
  c: Condition,
  def: SurveyDefinition,
  t: (key: string, vars?: Record<string, unknown>) => string,
  label: (code: string) => string,
): string {
  if ('all' in c) return t('when.all', { parts: c.all.map((x) => conditionInWords(x, def, t, label)).join('; ') });
  if ('any' in c) return t('when.any', { parts: c.any.map((x) => conditionInWords(x, def, t, label)).join('; ') });
  if ('not' in c) return t('when.not', { part: conditionInWords(c.not, def, t, label) });
  const q = topLevelQuestion(def, c.question);
  // The code, as in the data, with its label in the codebook's language, as the respondent saw it.
  const options = c.anyOf.map((o) => (q && optionsOf(q).includes(o) ? t('when.option', { code: o, label: label(o) }) : o));
  return t('when.is', { question: c.question, options: options.join(t('when.or')) });
}

/**
 * The codebook as a table, one row per column and code (the question itself on the row without a
 * code), with a label column per locale: for the CSV codebook and the XLSX codebook sheet.
 */
export function codebookTable(cb: Codebook, locales: Locales): { header: string[]; rows: string[][] } {
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.headers.${key}`, { lng: cb.language, ...vars }) as string;
  const tags = cb.locales.map((l) => l.tag);
  const header = [
    t('column'),
    t('kind'),
    t('question'),
    t('type'),
    t('code'),
    t('shown_when'),
    t('description'),
    t('reviewed_in'),
    ...tags.map((tag) => t('label', { language: tag })),
  ];
  const rows: string[][] = [];
  const reviewedIn = (p: Record<string, StringProvenance> | undefined) =>
    Object.entries(p ?? {})
      .filter(([, x]) => x.status === 'reviewed')
      .map(([tag]) => tag)
      .join(' ');
  for (const c of cb.columns) {
    rows.push([
      c.name,
      c.kind,
      c.question ?? '',
      c.type ?? '',
      '',
      c.askedWhen ?? '',
      [c.description, ...c.notes].join(' '),
      reviewedIn(c.textProvenance),
      ...tags.map((tag) => c.text?.[tag] ?? ''),
    ]);
    for (const o of c.options ?? [])
      rows.push([c.name, '', c.question ?? '', '', o.code, '', '', reviewedIn(o.labelProvenance), ...tags.map((tag) => o.labels[tag] ?? '')]);
  }
  return { header, rows };
}

/** The locales and their provenance as a table (the codebook's last part). */
export function provenanceTable(cb: Codebook, locales: Locales): { header: string[]; rows: string[][] } {
  const t = (key: string) => locales.i18n.t(`analyst:codebook.headers.${key}`, { lng: cb.language }) as string;
  return {
    header: [t('locale'), t('endonym'), t('direction'), t('provenance'), t('provenance_by'), t('provenance_method'), t('reviewed_strings')],
    rows: cb.locales.map((l) => [
      l.tag,
      l.endonym,
      l.dir,
      l.provenance.status,
      l.provenance.by,
      l.provenance.method,
      `${l.reviewed.strings} / ${l.reviewed.of}${l.reviewed.by.length ? ` (${l.reviewed.by.join(', ')})` : ''}`,
    ]),
  };
}
