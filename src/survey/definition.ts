import { z } from 'zod';
import { sourceName } from './sources';

/**
 * The schema of a survey definition. Definitions hold structure only (ids, types, bounds,
 * conditions); every word a respondent sees lives in `locales/<lng>/<surveyId>.json`, keyed by
 * question and option id, so a translation never touches the definition.
 */

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case, starting with a letter');

export interface AnswerIs {
  question: string;
  /** True when a single answer equals one of these, or a multiple answer includes one. */
  anyOf: string[];
}
export type Condition = AnswerIs | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: id, anyOf: z.array(id).min(1) }),
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
  ]),
);

const base = {
  id,
  /** May be skipped with the locale's skip word. */
  optional: z.boolean().default(false),
  /** Shown only when this holds for the answers given so far. */
  when: condition.optional(),
};

/** The numbers an option stands for, when options are bands of a number (age, months), both ends included. */
export const numberRange = z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() });
export type NumberRange = z.infer<typeof numberRange>;

export const singleQuestion = z.strictObject({
  ...base,
  type: z.literal('single'),
  options: z.array(id).min(2),
  /**
   * For options that are bands of a number ("36-50", "3 to 6 months"): what each covers, so that a
   * respondent who types the number itself ("I am 42", "about 4 months") is offered its band to
   * confirm. An option number typed alone still chooses by position.
   */
  ranges: z.record(id, numberRange).optional(),
  /** What the ranges count, so that "a year" reads as 12 where they count months. */
  unit: z.enum(['months', 'years']).optional(),
});

export const multiQuestion = z.strictObject({
  ...base,
  type: z.literal('multi'),
  options: z.array(id).min(2),
  /** Options that cannot be combined with any other ("none of these", "don't know"). */
  exclusive: z.array(id).default([]),
});

/** Yes / no / don't know. Its options are fixed so every locale can share one set of yes and no words. */
export const yesNoQuestion = z.strictObject({
  ...base,
  type: z.literal('yes_no'),
  dontKnow: z.boolean().default(true),
});

export const scaleQuestion = z.strictObject({
  ...base,
  type: z.literal('scale'),
  min: z.number().int().default(1),
  max: z.number().int().default(5),
});

export const numberQuestion = z.strictObject({
  ...base,
  type: z.literal('number'),
  min: z.number().int(),
  max: z.number().int(),
  /**
   * Lower bounds of bands to store instead of the exact number (ascending, first = min). A
   * respondent types "7"; "5-9" is stored, which keeps a quasi-identifier coarse.
   */
  bands: z.array(z.number().int()).min(2).optional(),
});

export const textQuestion = z.strictObject({
  ...base,
  type: z.literal('text'),
  maxLength: z.number().int().positive().max(2000).default(500),
});

export const question = z.discriminatedUnion('type', [singleQuestion, multiQuestion, yesNoQuestion, scaleQuestion, numberQuestion, textQuestion]);
export type Question = z.infer<typeof question>;
export type QuestionType = Question['type'];

/** A block of questions asked once for each option selected in an earlier multiple-choice question. */
export const repeatBlock = z.strictObject({
  type: z.literal('repeat'),
  id,
  forEach: id,
  when: condition.optional(),
  questions: z.array(question).min(1),
});
export type RepeatBlock = z.infer<typeof repeatBlock>;

// One discriminated union (not question | block) so a broken item reports the field at fault.
export const surveyItem = z.discriminatedUnion('type', [...question.options, repeatBlock]);
export type SurveyItem = z.infer<typeof surveyItem>;

/**
 * Where a per-response value comes from: a field every response has (the language it was given
 * in, its channel kind, its ISO week), or the answer to a top-level question.
 */
export const valueSource = z.union([z.strictObject({ field: z.enum(['language', 'channel', 'period', 'source']) }), z.strictObject({ question: id })]);
export type ValueSource = z.infer<typeof valueSource>;

/**
 * One step up a generalisation hierarchy. `groups` merges codes into wider ones (every code the
 * step does not name stays as it is); `map` applies a known mapping (a municipality to its county,
 * an ISO week to its quarter or year); `rare` folds the values that fewer than k records hold into
 * one label.
 */
export const generalisationStep = z.union([
  z.strictObject({ name: z.string().min(1), groups: z.record(z.string(), z.array(z.string()).min(1)) }),
  z.strictObject({ name: z.string().min(1), map: z.enum(['municipality_county', 'week_quarter', 'week_year']) }),
  z.strictObject({ name: z.string().min(1), rare: z.string().min(1) }),
]);
export type GeneralisationStep = z.infer<typeof generalisationStep>;

/** Columns that carry a quasi-identifier's information in another form and must follow it. */
export const DERIVED_COLUMNS = ['languages_shown', 'text_fell_back'] as const;

export const quasiIdentifier = z.strictObject({
  /** The export column. */
  column: id,
  from: valueSource,
  /** The levels above the value as stored; suppression ("*") always comes after the last. */
  steps: z.array(generalisationStep).default([]),
  /** Export columns derived from this one: generalised whenever it is. */
  derived: z.array(z.enum(DERIVED_COLUMNS)).default([]),
});
export type QuasiIdentifierSpec = z.infer<typeof quasiIdentifier>;

/** A barrier question, and how it is summarised for each group. */
export const barrierMeasure = z.union([
  /** The share answering one of `positive`, among those answering one of `among`. */
  z.strictObject({ question: id, kind: z.literal('share'), positive: z.array(id).min(1), among: z.array(id).min(1) }),
  /** A scale: the share answering one of `low`, and the mean with its interval. */
  z.strictObject({ question: id, kind: z.literal('scale'), low: z.array(z.number().int()).min(1) }),
  /** A multiple choice: the share choosing each option. */
  z.strictObject({ question: id, kind: z.literal('multi') }),
]);
export type BarrierMeasure = z.infer<typeof barrierMeasure>;

/**
 * The survey-specific facts that exports and the barrier analysis need: which answers are
 * quasi-identifiers and how they give way, which groups analysts compare, the baseline group,
 * the outcome, and the barrier questions. Kept in the definition so that a new survey or version
 * brings its own, and `src/privacy/` and `src/analysis/` stay generic.
 */
export const analysisSpec = z.strictObject({
  /** In the order they give way: the first is generalised first, the last only when nothing else helps. */
  quasiIdentifiers: z.array(quasiIdentifier).min(1),
  /**
   * The order in which the quasi-identifiers' steps are taken, as column names: the n-th mention
   * of a column is its n-th step, and its last mention is its suppression. Default: each column's
   * steps in the order the columns are declared.
   */
  giveWay: z.array(id).optional(),
  /** Largest share of records that may be withheld from a record-level export instead of generalising further. */
  suppressionLimit: z.number().min(0).max(0.2).default(0.05),
  /** What `analyze --by` can group by. */
  dimensions: z.array(z.strictObject({ id, from: valueSource })).min(1),
  /** The reference group every other group is compared with. */
  baseline: z.strictObject({ question: id, anyOf: z.array(id).min(1) }),
  /**
   * The outcome, a single-choice or yes/no question; `success` is "got help". A question of a repeat
   * block gives one table per option of the block (per help area); a top-level question one table.
   */
  outcome: z.strictObject({ question: id, success: z.array(id).min(1) }),
  barriers: z.array(barrierMeasure).default([]),
});
export type AnalysisSpec = z.infer<typeof analysisSpec>;

export const surveyDefinition = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-kebab-case'),
  version: z.number().int().positive(),
  /**
   * The language the survey's texts are written in first, from which the others are translated
   * (XLSForm's `default_language`); a translation whose source text changes is marked stale.
   */
  defaultLanguage: z.string().optional(),
  /** About how many minutes the survey takes, as the greeting tells the respondent. */
  minutes: z.number().int().positive().max(60).optional(),
  /**
   * Where respondents can come from: the `src` of the start links on posters and invitations
   * (src/survey/sources.ts). Anything else is stored as `other`, nothing named as `direct`.
   */
  sources: z
    .array(sourceName)
    .max(200)
    .refine((l) => new Set(l).size === l.length, 'each source once')
    .optional(),
  /** Bumped whenever the consent text changes; stored with each response. */
  consentVersion: z.number().int().positive(),
  items: z.array(surveyItem).min(1),
  analysis: analysisSpec.optional(),
});
export type SurveyDefinition = z.infer<typeof surveyDefinition>;

/** The option ids a question offers, in display order (empty for free input). */
export function optionsOf(q: Question): string[] {
  switch (q.type) {
    case 'single':
    case 'multi':
      return q.options;
    case 'yes_no':
      return q.dontKnow ? ['yes', 'no', 'dont_know'] : ['yes', 'no'];
    default:
      return [];
  }
}
