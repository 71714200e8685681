import { Activity, ActionTypes, MessageFactory } from 'botbuilder';
import { optionsOf } from '../survey/definition';
import { Step } from '../survey/engine';
import { Texts } from './texts';

/**
 * Turns a survey step into a message. Options are always numbered in the text, because SMS and
 * many phones show no buttons; on channels that do (Web Chat), `suggestedActions` adds them.
 */
export interface RenderedQuestion {
  activity: Partial<Activity>;
  /** Some text of the question came from a fallback language. */
  fallback: boolean;
}

/** Options as numbered lines ("1. Yes"), for channels without buttons. */
export function numbered(labels: string[]): string {
  return labels.map((l, i) => `${i + 1}. ${l}`).join('\n');
}

/** A message with one `imBack` button per choice, whose value is the label itself. */
export function withChoices(text: string, choices: string[]): Partial<Activity> {
  const activity = MessageFactory.text(text);
  if (choices.length) {
    activity.suggestedActions = {
      to: [],
      actions: choices.map((c) => ({ type: ActionTypes.ImBack, title: c, value: c })),
    };
  }
  return activity;
}

/** A survey step as one message: progress, question, numbered options and how to answer. */
export function renderQuestion(texts: Texts, lng: string, step: Step, position: { index: number; total: number }): RenderedQuestion {
  const q = step.question;
  const ns = texts.ns;
  const vars = step.repeat ? { area: texts.optionLabel(lng, step.repeat.option) } : {};
  const keys = [`questions.${q.id}.text`];
  const lines = [texts.t(lng, 'bot:question.progress', position), texts.s(lng, `questions.${q.id}.text`, vars)];
  let choices: string[] = [];
  switch (q.type) {
    case 'single':
    case 'yes_no':
    case 'multi': {
      const options = optionsOf(q);
      choices = options.map((o) => texts.optionLabel(lng, o));
      keys.push(...options.map((o) => `options.${o}.label`));
      lines.push(numbered(choices), texts.t(lng, q.type === 'multi' ? 'bot:question.choose_many' : 'bot:question.choose_one'));
      // A multiple choice is typed ("1, 3"); one button per option would send only one of them.
      if (q.type === 'multi') choices = [];
      break;
    }
    case 'scale':
      keys.push(`questions.${q.id}.min`, `questions.${q.id}.max`);
      lines.push(texts.s(lng, `questions.${q.id}.min`), texts.s(lng, `questions.${q.id}.max`), texts.t(lng, 'bot:question.scale', { min: q.min, max: q.max }));
      choices = Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min + i));
      break;
    case 'number':
      lines.push(texts.t(lng, 'bot:question.number', { min: q.min, max: q.max }));
      break;
    case 'text':
      lines.push(texts.t(lng, 'bot:question.text'));
      break;
  }
  if (q.optional) lines.push(texts.t(lng, 'bot:question.optional', { skip: texts.words.keyword(lng, 'skip') }));
  const fallback = keys.some((k) => texts.fallsBack(lng, ns, k));
  return { activity: withChoices(texts.lines(lng, ...lines), choices), fallback };
}
