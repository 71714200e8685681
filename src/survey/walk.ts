import { Question, RepeatBlock, SurveyDefinition, optionsOf } from './definition';

/**
 * The one walk over a survey definition. The engine, validation, the exports, the codebook and the
 * analysis all need "every question, in order" or "every column, with repeat blocks expanded over
 * the options of the question they repeat for"; they get both from here, so a new item type or a
 * change to how blocks expand is made once.
 */

/** The key of a step: the question id, or `questionId[optionId]` inside a repeat block. */
export function stepKey(questionId: string, iteration?: string): string {
  return iteration === undefined || iteration === '' ? questionId : `${questionId}[${iteration}]`;
}

/** Splits a step key into question id and iteration ("" outside a repeat block). */
export function parseStepKey(key: string): { questionId: string; iteration: string } {
  const m = /^([a-z][a-z0-9_]*)(?:\[([a-z][a-z0-9_]*)\])?$/.exec(key);
  if (!m) throw new Error(`Not a step key: ${key}`);
  return { questionId: m[1], iteration: m[2] ?? '' };
}

/** A question where it stands in the definition: top level, or inside a repeat block. */
export interface QuestionSlot {
  question: Question;
  /** The repeat block it belongs to, if any. */
  block?: RepeatBlock;
}

/** One column of answers: a question, or a question of a repeat block for one option. */
export interface StepColumn extends QuestionSlot {
  /** The step key: `questionId`, or `questionId[option]` inside a block (see engine.stepKey). */
  key: string;
  /** Inside a block: the option of `block.forEach` this column is about. */
  option?: string;
}

/** Every question once, in definition order. */
export function questionsOf(def: SurveyDefinition): QuestionSlot[] {
  return def.items.flatMap((item) => (item.type === 'repeat' ? item.questions.map((question) => ({ question, block: item })) : [{ question: item }]));
}

/** A top-level question by id (repeat blocks repeat for top-level questions only). */
export function topLevelQuestion(def: SurveyDefinition, id: string): Question | undefined {
  for (const item of def.items) if (item.type !== 'repeat' && item.id === id) return item;
  return undefined;
}

/** A question by id, wherever it stands. */
export function findQuestion(def: SurveyDefinition, id: string): QuestionSlot | undefined {
  return questionsOf(def).find((s) => s.question.id === id);
}

/** The options a repeat block iterates over, in the order of the question it repeats for. */
export function blockOptions(def: SurveyDefinition, block: RepeatBlock): string[] {
  const source = topLevelQuestion(def, block.forEach);
  return source ? optionsOf(source) : [];
}

/**
 * Every column a response can have, in survey order: top-level questions as they are, and for each
 * repeat block its questions once per option of the question it repeats for, option by option
 * ("help_got[find_home]", "who_helped[find_home]", "help_got[rent_arrears]", …), which is the
 * order in which a respondent is asked them.
 */
export function stepColumns(def: SurveyDefinition): StepColumn[] {
  const columns: StepColumn[] = [];
  for (const item of def.items) {
    if (item.type !== 'repeat') {
      columns.push({ key: item.id, question: item });
      continue;
    }
    for (const option of blockOptions(def, item)) {
      for (const question of item.questions) columns.push({ key: stepKey(question.id, option), question, block: item, option });
    }
  }
  return columns;
}

/** The position of the item that holds a question (a repeat block's questions share theirs); after every item when none does. */
export function itemIndexOf(def: SurveyDefinition, questionId: string): number {
  const i = def.items.findIndex((item) => (item.type === 'repeat' ? item.questions.some((q) => q.id === questionId) : item.id === questionId));
  return i < 0 ? def.items.length : i;
}

/**
 * The points of the drop-off funnel: the top-level questions every respondent is asked (no skip
 * condition), in order, then "completed".
 */
export function funnelMilestones(def: SurveyDefinition): string[] {
  return [...def.items.filter((i) => i.type !== 'repeat' && !i.when).map((i) => i.id), 'completed'];
}

/** Every option id the survey uses, once each. */
export function allOptions(def: SurveyDefinition): string[] {
  return [...new Set(questionsOf(def).flatMap((s) => optionsOf(s.question)))];
}
