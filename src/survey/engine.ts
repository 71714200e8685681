import { Condition, Question, SurveyDefinition } from './definition';
import { blockOptions, stepKey } from './walk';

export { parseStepKey, stepKey } from './walk';

/**
 * The survey engine: pure functions over a definition and the answers given so far. No I/O and no
 * botbuilder, so every path through a survey can be tested as data.
 */

/** A stored answer: option id(s), a number, a band label, free text, or null when skipped. */
export type AnswerValue = string | string[] | number | null;

/** Answers keyed by step key: the question id, or `questionId[optionId]` inside a repeat block. */
export type Answers = Record<string, AnswerValue>;

/** One question as asked: inside a repeat block it carries the option it is asked about. */
export interface Step {
  key: string;
  question: Question;
  /** The repeat block's id and the selected option this iteration is about. */
  repeat?: { blockId: string; forEach: string; option: string };
}

/** What a running survey remembers between turns. */
export interface Progress {
  answers: Answers;
  /** Step keys in the order they were answered; `back` walks it backwards. */
  history: string[];
}

/**
 * Evaluates a condition. Inside a repeat block, references to questions of the same block read the
 * answer of the same iteration. An unanswered or skipped question satisfies no `anyOf`.
 */
export function holds(cond: Condition, answers: Answers, iteration?: { option: string; local: Set<string> }): boolean {
  if ('all' in cond) return cond.all.every((c) => holds(c, answers, iteration));
  if ('any' in cond) return cond.any.some((c) => holds(c, answers, iteration));
  if ('not' in cond) return !holds(cond.not, answers, iteration);
  const key = iteration && iteration.local.has(cond.question) ? stepKey(cond.question, iteration.option) : cond.question;
  const value = answers[key];
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => cond.anyOf.includes(v));
  return cond.anyOf.includes(String(value));
}

/**
 * Every step visible for these answers, in order. Conditions read only answers to steps that are
 * themselves visible, so an answer left behind by a closed branch cannot reopen anything.
 */
export function visibleSteps(def: SurveyDefinition, answers: Answers): Step[] {
  const steps: Step[] = [];
  const seen: Answers = {};
  const show = (step: Step) => {
    steps.push(step);
    if (step.key in answers) seen[step.key] = answers[step.key];
  };
  for (const item of def.items) {
    if (item.type === 'repeat') {
      if (item.when && !holds(item.when, seen)) continue;
      const selected = seen[item.forEach];
      if (!Array.isArray(selected)) continue;
      const local = new Set(item.questions.map((q) => q.id));
      const sourceOrder = blockOptions(def, item);
      const ordered = [...selected].sort((a, b) => sourceOrder.indexOf(a) - sourceOrder.indexOf(b));
      for (const option of ordered) {
        for (const q of item.questions) {
          if (q.when && !holds(q.when, seen, { option, local })) continue;
          show({ key: stepKey(q.id, option), question: q, repeat: { blockId: item.id, forEach: item.forEach, option } });
        }
      }
    } else {
      if (item.when && !holds(item.when, seen)) continue;
      show({ key: item.id, question: item });
    }
  }
  return steps;
}

/** The first visible step without an answer, or undefined when the survey is complete. */
export function nextStep(def: SurveyDefinition, answers: Answers): Step | undefined {
  return visibleSteps(def, answers).find((s) => !(s.key in answers));
}

/**
 * "3 of 14": the step's position and an estimate of the steps the respondent will see. A question
 * whose condition still depends on an unanswered question counts as coming, and a repeat block
 * over an unanswered choice counts once, so the total starts high and shrinks as branches close
 * rather than jumping up (respondents read a growing total as a broken promise).
 */
export function progressOf(def: SurveyDefinition, answers: Answers, key: string): { index: number; total: number } {
  const steps = visibleSteps(def, answers);
  const seen: Answers = {};
  for (const s of steps) if (s.key in answers) seen[s.key] = answers[s.key];
  const hidden = new Set<string>();
  let pending = 0;
  for (const item of def.items) {
    if (item.type === 'repeat') {
      const when = item.when ? maybeHolds(item.when, seen, hidden) : true;
      if (when === false || hidden.has(item.forEach) || Array.isArray(seen[item.forEach])) continue;
      if (item.forEach in seen) continue; // skipped: nothing to repeat
      pending += item.questions.filter((q) => !q.when || maybeHolds(q.when, seen, hidden) !== false).length;
      continue;
    }
    const when = item.when ? maybeHolds(item.when, seen, hidden) : true;
    if (when === false) hidden.add(item.id);
    else if (when === undefined) pending += 1;
  }
  return { index: steps.findIndex((s) => s.key === key) + 1, total: steps.length + pending };
}

/** Three-valued `holds`: undefined while a question it depends on may still be answered. */
function maybeHolds(cond: Condition, seen: Answers, hidden: Set<string>): boolean | undefined {
  if ('all' in cond) {
    const r = cond.all.map((c) => maybeHolds(c, seen, hidden));
    return r.includes(false) ? false : r.includes(undefined) ? undefined : true;
  }
  if ('any' in cond) {
    const r = cond.any.map((c) => maybeHolds(c, seen, hidden));
    return r.includes(true) ? true : r.includes(undefined) ? undefined : false;
  }
  if ('not' in cond) {
    const r = maybeHolds(cond.not, seen, hidden);
    return r === undefined ? undefined : !r;
  }
  if (hidden.has(cond.question)) return false;
  if (!(cond.question in seen)) return undefined;
  return holds(cond, seen);
}

/**
 * Records an answer and drops answers that the new answer made invisible (a changed branch), so
 * a stored response never holds answers to questions its own path did not ask.
 * Returns the new progress and the keys that were dropped.
 */
export function answer(def: SurveyDefinition, progress: Progress, key: string, value: AnswerValue): { progress: Progress; dropped: string[] } {
  const answers: Answers = { ...progress.answers, [key]: value };
  const history = [...progress.history.filter((k) => k !== key), key];
  const visible = new Set(visibleSteps(def, answers).map((s) => s.key));
  const dropped = Object.keys(answers).filter((k) => !visible.has(k));
  for (const k of dropped) delete answers[k];
  return { progress: { answers, history: history.filter((k) => !dropped.includes(k)) }, dropped };
}

/** Undoes the most recent answer. Returns undefined at the first question. */
export function back(progress: Progress): { progress: Progress; key: string } | undefined {
  const key = progress.history[progress.history.length - 1];
  if (key === undefined) return undefined;
  const answers = { ...progress.answers };
  delete answers[key];
  return { progress: { answers, history: progress.history.slice(0, -1) }, key };
}

/** Maps a number to its band label ("5-9", "10+") when the question stores bands. */
export function bandOf(value: number, bands: number[]): string {
  let i = bands.length - 1;
  while (i > 0 && value < bands[i]) i--;
  const lo = bands[i];
  const next = bands[i + 1];
  if (next === undefined) return `${lo}+`;
  return next - 1 === lo ? String(lo) : `${lo}-${next - 1}`;
}

export const emptyProgress = (): Progress => ({ answers: {}, history: [] });
