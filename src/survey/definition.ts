import { z } from 'zod';

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

export const singleQuestion = z.strictObject({
  ...base,
  type: z.literal('single'),
  options: z.array(id).min(2),
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

export const question = z.discriminatedUnion('type', [
  singleQuestion,
  multiQuestion,
  yesNoQuestion,
  scaleQuestion,
  numberQuestion,
  textQuestion,
]);
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

export const surveyDefinition = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-kebab-case'),
  version: z.number().int().positive(),
  /** Bumped whenever the consent text changes; stored with each response. */
  consentVersion: z.number().int().positive(),
  items: z.array(surveyItem).min(1),
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
