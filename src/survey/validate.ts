import { Condition, Question, SurveyDefinition, ValueSource, optionsOf, surveyDefinition } from './definition';
import { bandOf } from './engine';
import { findQuestion, questionsOf, topLevelQuestion } from './walk';

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
    if (q.type === 'single' && q.ranges) {
      const ranges = q.ranges;
      for (const o of Object.keys(ranges))
        if (!q.options.includes(o)) problems.push({ path: `${path}.ranges.${o}`, message: `"${o}" is not an option of this question` });
      const entries = Object.entries(ranges);
      entries.forEach(([o, r], i) => {
        if (r.min !== undefined && r.max !== undefined && r.min > r.max) problems.push({ path: `${path}.ranges.${o}`, message: 'min is above max' });
        for (const [p, s] of entries.slice(i + 1)) {
          const lo = Math.max(r.min ?? -Infinity, s.min ?? -Infinity);
          const hi = Math.min(r.max ?? Infinity, s.max ?? Infinity);
          if (lo <= hi) problems.push({ path: `${path}.ranges.${p}`, message: `overlaps the range of "${o}": a number in both could not be coded` });
        }
      });
    }
    if (q.type === 'multi') {
      q.exclusive.forEach((o, i) => {
        if (!q.options.includes(o)) problems.push({ path: `${path}.exclusive[${i}]`, message: `"${o}" is not an option of this question` });
      });
    }
    if ((q.type === 'scale' || q.type === 'number') && q.min >= q.max)
      problems.push({ path: `${path}.max`, message: `max (${q.max}) must be greater than min (${q.min})` });
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
  if (survey.analysis) validateAnalysis(survey, problems);
  return problems.length ? { problems } : { survey, problems };
}

/** The codes a question's answers take: option ids, band labels, or none (free input). */
export function answerCodes(q: Question): string[] {
  if (q.type === 'number' && q.bands) return q.bands.map((b) => bandOf(b, q.bands!));
  if (q.type === 'scale') return Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min + i));
  return optionsOf(q);
}

/** What the analysis section refers to must exist, and be of a type it can use. */
function validateAnalysis(survey: SurveyDefinition, problems: Problem[]): void {
  const a = survey.analysis!;
  const at = (path: string, message: string) => problems.push({ path: `analysis.${path}`, message });
  const source = (from: ValueSource, path: string): Question | undefined => {
    if (!('question' in from)) return undefined;
    const q = topLevelQuestion(survey, from.question);
    if (!q) at(`${path}.question`, `"${from.question}" is not a top-level question`);
    return q;
  };
  const columns = new Set<string>();
  a.quasiIdentifiers.forEach((qi, i) => {
    const path = `quasiIdentifiers[${i}]`;
    if (columns.has(qi.column)) at(`${path}.column`, `column "${qi.column}" is declared twice`);
    columns.add(qi.column);
    const q = source(qi.from, `${path}.from`);
    if (q && q.type !== 'text') {
      const codes = new Set(answerCodes(q));
      qi.steps.forEach((step, j) => {
        if (!('groups' in step)) return;
        for (const [label, members] of Object.entries(step.groups)) {
          members.forEach((m, k) => {
            if (j === 0 && !codes.has(m)) at(`${path}.steps[${j}].groups.${label}[${k}]`, `"${m}" is not an answer code of "${q.id}"`);
          });
        }
      });
    }
    if (qi.derived.length && !('field' in qi.from && qi.from.field === 'language')) at(`${path}.derived`, 'only the language can have derived columns');
  });
  if (a.giveWay) {
    for (const qi of a.quasiIdentifiers) {
      const mentions = a.giveWay.filter((c) => c === qi.column).length;
      if (mentions !== qi.steps.length + 1)
        at('giveWay', `"${qi.column}" must be named ${qi.steps.length + 1} time(s), once per step and once for its suppression (named ${mentions})`);
    }
    a.giveWay.forEach((c, i) => columns.has(c) || at(`giveWay[${i}]`, `"${c}" is not a declared quasi-identifier column`));
  }
  a.dimensions.forEach((d, i) => {
    const q = source(d.from, `dimensions[${i}].from`);
    if (q && optionsOf(q).length === 0) at(`dimensions[${i}].from.question`, `"${q.id}" has no options to group by`);
  });
  const base = topLevelQuestion(survey, a.baseline.question);
  if (!base) at('baseline.question', `"${a.baseline.question}" is not a top-level question`);
  else a.baseline.anyOf.forEach((o, i) => optionsOf(base).includes(o) || at(`baseline.anyOf[${i}]`, `"${o}" is not an option of "${base.id}"`));
  // The outcome: a question of a repeat block (one table per option the block repeats for), or a
  // top-level question (one table); either way one answer per table, from a list of options.
  const outcome = findQuestion(survey, a.outcome.question);
  if (!outcome) at('outcome.question', `"${a.outcome.question}" is not a question of this survey`);
  else if (outcome.question.type !== 'single' && outcome.question.type !== 'yes_no')
    at('outcome.question', `"${a.outcome.question}" is a ${outcome.question.type} question, not single or yes_no`);
  else
    a.outcome.success.forEach(
      (o, i) => optionsOf(outcome.question).includes(o) || at(`outcome.success[${i}]`, `"${o}" is not an option of "${a.outcome.question}"`),
    );
  a.barriers.forEach((b, i) => {
    const slot = findQuestion(survey, b.question);
    if (!slot || slot.block) return void at(`barriers[${i}].question`, `"${b.question}" is not a top-level question`);
    const q = slot.question;
    const wanted = b.kind === 'share' ? ['single', 'yes_no'] : [b.kind];
    if (!wanted.includes(q.type)) return void at(`barriers[${i}].kind`, `"${q.id}" is a ${q.type} question, not ${wanted.join(' or ')}`);
    const codes = answerCodes(q);
    if (b.kind === 'share') [...b.positive, ...b.among].forEach((o) => codes.includes(o) || at(`barriers[${i}]`, `"${o}" is not an option of "${q.id}"`));
    if (b.kind === 'scale') b.low.forEach((v) => codes.includes(String(v)) || at(`barriers[${i}].low`, `${v} is outside the scale of "${q.id}"`));
  });
}

/** Every locale key a survey needs: question texts, scale end labels and option labels. */
export function requiredTextKeys(survey: SurveyDefinition): string[] {
  const keys = new Set<string>([
    'title',
    'consent.purpose',
    'consent.anonymity',
    'consent.after',
    'consent.ask',
    'consent.declined',
    'consent.default_organisation',
    'thanks.done',
    'thanks.where_help',
  ]);
  for (const { question: q } of questionsOf(survey)) {
    keys.add(`questions.${q.id}.text`).add(`questions.${q.id}.simple`);
    if (q.type === 'scale') keys.add(`questions.${q.id}.min`).add(`questions.${q.id}.max`);
    for (const o of optionsOf(q)) keys.add(`options.${o}.label`);
  }
  return [...keys];
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(root)';
}
