import { Condition, Question, SurveyDefinition, optionsOf, surveyDefinition } from './definition';

export interface Problem {
  /** Where in the definition, e.g. `items[3].when.anyOf[0]`. */
  path: string;
  message: string;
}

/**
 * Checks a survey definition: its shape (zod) and what a schema cannot see — unique ids,
 * conditions that refer to earlier questions and to options those questions have, repeat blocks
 * over an earlier multiple-choice question, and sane bounds. Returns every problem, not the first.
 */
export function validateSurvey(input: unknown): { survey?: SurveyDefinition; problems: Problem[] } {
  const parsed = surveyDefinition.safeParse(input);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const survey = parsed.data;
  const problems: Problem[] = [];
  const earlier = new Map<string, Question>();
  const seen = new Set<string>();

  const checkId = (id: string, path: string) => {
    if (seen.has(id)) problems.push({ path, message: `duplicate id "${id}"` });
    seen.add(id);
  };
  const checkCondition = (c: Condition, path: string, scope: Map<string, Question>) => {
    if ('all' in c) return c.all.forEach((x, i) => checkCondition(x, `${path}.all[${i}]`, scope));
    if ('any' in c) return c.any.forEach((x, i) => checkCondition(x, `${path}.any[${i}]`, scope));
    if ('not' in c) return checkCondition(c.not, `${path}.not`, scope);
    const target = scope.get(c.question);
    if (!target) return problems.push({ path: `${path}.question`, message: `"${c.question}" is not an earlier question` });
    const options = optionsOf(target);
    if (options.length === 0) return problems.push({ path: `${path}.question`, message: `"${c.question}" has no options to test (type ${target.type})` });
    c.anyOf.forEach((o, i) => {
      if (!options.includes(o)) problems.push({ path: `${path}.anyOf[${i}]`, message: `"${o}" is not an option of "${c.question}"` });
    });
  };
  const checkQuestion = (q: Question, path: string, scope: Map<string, Question>) => {
    checkId(q.id, `${path}.id`);
    if (q.when) checkCondition(q.when, `${path}.when`, scope);
    if (q.type === 'single' || q.type === 'multi') {
      const dup = q.options.find((o, i) => q.options.indexOf(o) !== i);
      if (dup) problems.push({ path: `${path}.options`, message: `option "${dup}" appears twice` });
    }
    if (q.type === 'multi') {
      q.exclusive.forEach((o, i) => {
        if (!q.options.includes(o)) problems.push({ path: `${path}.exclusive[${i}]`, message: `"${o}" is not an option of this question` });
      });
    }
    if ((q.type === 'scale' || q.type === 'number') && q.min >= q.max) problems.push({ path: `${path}.max`, message: `max (${q.max}) must be greater than min (${q.min})` });
    if (q.type === 'number' && q.bands) {
      if (q.bands[0] !== q.min) problems.push({ path: `${path}.bands[0]`, message: `the first band must start at min (${q.min})` });
      q.bands.forEach((b, i) => {
        if (i > 0 && b <= q.bands![i - 1]) problems.push({ path: `${path}.bands[${i}]`, message: 'bands must be strictly ascending' });
        if (b > q.max) problems.push({ path: `${path}.bands[${i}]`, message: `band start ${b} is above max (${q.max})` });
      });
    }
  };

  survey.items.forEach((item, i) => {
    const path = `items[${i}]`;
    if (item.type === 'repeat') {
      checkId(item.id, `${path}.id`);
      const source = earlier.get(item.forEach);
      if (!source) problems.push({ path: `${path}.forEach`, message: `"${item.forEach}" is not an earlier question` });
      else if (source.type !== 'multi') problems.push({ path: `${path}.forEach`, message: `"${item.forEach}" must be a multiple-choice question` });
      if (item.when) checkCondition(item.when, `${path}.when`, earlier);
      const local = new Map(earlier);
      item.questions.forEach((q, j) => {
        checkQuestion(q, `${path}.questions[${j}]`, local);
        local.set(q.id, q);
      });
    } else {
      checkQuestion(item, path, earlier);
      earlier.set(item.id, item);
    }
  });
  return problems.length ? { problems } : { survey, problems };
}

/** Every locale key a survey needs: question texts, scale end labels and option labels. */
export function requiredTextKeys(survey: SurveyDefinition): string[] {
  const keys = new Set<string>(['title', 'consent.purpose', 'consent.anonymity', 'consent.after', 'consent.ask', 'consent.declined', 'consent.default_organisation', 'thanks.done', 'thanks.where_help']);
  const add = (q: Question) => {
    keys.add(`questions.${q.id}.text`).add(`questions.${q.id}.simple`);
    if (q.type === 'scale') keys.add(`questions.${q.id}.min`).add(`questions.${q.id}.max`);
    for (const o of optionsOf(q)) keys.add(`options.${o}.label`);
  };
  for (const item of survey.items) {
    if (item.type === 'repeat') item.questions.forEach(add);
    else add(item);
  }
  return [...keys];
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(root)';
}
