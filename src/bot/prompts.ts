import { Activity, ActionTypes, MessageFactory } from 'botbuilder';
import { optionsOf } from '../survey/definition';
import { Step } from '../survey/engine';
import { Texts } from '../language/texts';

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

/** What a question says, apart from where it stands in the survey: the same at every visit. */
interface QuestionBody {
  lines: string[];
  choices: string[];
  fallback: boolean;
}

// Built once per locale and step, not at every turn: a question's text is a dozen i18next
// lookups, and the same few dozen steps are asked over and over (issue [turns]). Per Texts, so a
// test that loads other locale files gets its own.
const bodies = new WeakMap<Texts, Map<string, QuestionBody>>();

function bodyOf(texts: Texts, lng: string, step: Step): QuestionBody {
  let cache = bodies.get(texts);
  if (!cache) bodies.set(texts, (cache = new Map()));
  const key = `${lng}\u0000${step.key}`;
  let body = cache.get(key);
  if (!body) cache.set(key, (body = buildBody(texts, lng, step)));
  return body;
}

function buildBody(texts: Texts, lng: string, step: Step): QuestionBody {
  const q = step.question;
  const vars = step.repeat ? { area: texts.optionLabel(lng, step.repeat.option) } : {};
  const keys = [`questions.${q.id}.text`];
  const lines = [texts.s(lng, `questions.${q.id}.text`, vars)];
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
  return { lines, choices, fallback: keys.some((k) => texts.fallsBack(lng, texts.ns, k)) };
}

/** A survey step as one message: progress, question, numbered options and how to answer. */
export function renderQuestion(texts: Texts, lng: string, step: Step, position: { index: number; total: number }): RenderedQuestion {
  const body = bodyOf(texts, lng, step);
  // A new activity every time: botbuilder fills in ids and addresses on what it sends.
  return { activity: withChoices(texts.lines(lng, texts.t(lng, 'bot:question.progress', position), ...body.lines), body.choices), fallback: body.fallback };
}
