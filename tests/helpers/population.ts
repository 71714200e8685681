import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { Question, SurveyDefinition } from '../../src/survey/definition';
import { AnswerValue, Answers, nextStep, parseStepKey } from '../../src/survey/engine';
import { StoredAnswer, StoredResponse, SurveyStore } from '../../src/store/store';
import { answerCodes } from '../../src/survey/validate';
import { MUNICIPALITIES_BY_COUNTY } from '../../src/privacy/counties';
import { seededRandom } from '../../src/seededRandom';

/**
 * A synthetic population of responses for tests and benchmarks: every response follows the
 * survey's own skip logic (answers are drawn step by step through the engine), and the groups
 * differ the way the strategy fears they do (immigrants get help less often), so an analysis has
 * real gaps to find. Deterministic for a seed.
 */

/** Reproducible draws for a seed. */
export const prng = seededRandom;

type Weights = Record<string, number>;

function pick(random: () => number, weights: Weights): string {
  const total = Object.values(weights).reduce((s, w) => s + w, 0);
  let x = random() * total;
  for (const [k, w] of Object.entries(weights)) if ((x -= w) < 0) return k;
  return Object.keys(weights)[0];
}

/** Language shares of a plausible survey among people in difficult housing situations. */
export const LANGUAGE_WEIGHTS: Weights = {
  nb: 40,
  en: 6,
  pl: 10,
  lt: 3,
  uk: 7,
  ru: 3,
  ar: 8,
  so: 6,
  ti: 5,
  fa: 3,
  prs: 3,
  ps: 1,
  ur: 2,
  ckb: 1,
  th: 1,
  nn: 1,
  se: 0.5,
};

export interface PopulationOptions {
  seed?: number;
  languages?: Weights;
  /** Share of responses left unfinished. */
  unfinished?: number;
  /** ISO weeks to spread responses over. */
  weeks?: string[];
  /** The source of the i-th response (default `direct`); not drawn, so the rest of a population stays as it was. */
  source?: (i: number) => string;
}

const WEEKS = Array.from({ length: 26 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`);
const MUNICIPALITIES = Object.values(MUNICIPALITIES_BY_COUNTY).flat();

/** Draws `n` responses to `def`. */
export function generatePopulation(def: SurveyDefinition, n: number, options: PopulationOptions = {}): StoredResponse[] {
  const random = prng(options.seed ?? 1);
  const languages = options.languages ?? LANGUAGE_WEIGHTS;
  const weeks = options.weeks ?? WEEKS;
  const out: StoredResponse[] = [];
  for (let i = 0; i < n; i++) {
    const language = pick(random, languages);
    const norwegian = language === 'nb' || language === 'nn' || language === 'se';
    const background = norwegian
      ? pick(random, { born_norway: 80, born_norway_immigrant_parents: 8, born_abroad: 12 })
      : pick(random, { born_abroad: 88, born_norway_immigrant_parents: 10, born_norway: 2 });
    const immigrant = background !== 'born_norway';
    const answers: Answers = {};
    const meta: Record<string, { language: string; fallback: boolean; notUnderstood: number }> = {};
    const stopAt = random() < (options.unfinished ?? 0.15) ? Math.floor(random() * 18) : Infinity;
    let switched = 0;
    let shownIn = language;
    for (let steps = 0; steps < stopAt; steps++) {
      const step = nextStep(def, answers);
      if (!step) break;
      if (!norwegian && random() < 0.004) {
        shownIn = shownIn === 'en' ? language : 'en';
        switched++;
      }
      answers[step.key] = drawAnswer(step.question, step.key, random, { background, immigrant, answers });
      meta[step.key] = { language: shownIn, fallback: shownIn === 'se' && random() < 0.3, notUnderstood: random() < (norwegian ? 0.02 : 0.08) ? 1 : 0 };
    }
    const completed = nextStep(def, answers) === undefined;
    // Drawn from what is already drawn, so that the populations other tests rely on stay as they were:
    // typed answers confirmed more often outside the Norwegian languages, some of them declined.
    const confirmations = !norwegian && Object.keys(answers).length % 3 === 0 ? 1 + (Object.keys(answers).length % 2) : 0;
    const storedAnswers: StoredAnswer[] = Object.entries(answers).map(([key, value]) => ({ ...parseStepKey(key), value, ...meta[key] }));
    out.push({
      id: crypto.randomUUID(),
      surveyId: def.id,
      surveyVersion: def.version,
      consentVersion: def.consentVersion,
      channel: random() < 0.3 ? 'sms' : 'web',
      source: options.source?.(i) ?? 'direct',
      period: weeks[Math.floor(random() * weeks.length)],
      language,
      status: completed ? 'completed' : 'in_progress',
      languageSwitches: switched,
      notUnderstoodCount: storedAnswers.reduce((s, a) => s + a.notUnderstood, 0),
      confirmations,
      confirmationsDeclined: confirmations > 0 && background === 'born_abroad' && switched === 0 && Object.keys(answers).length % 4 === 0 ? 1 : 0,
      answers: storedAnswers,
    });
  }
  return out;
}

interface Person {
  background: string;
  immigrant: boolean;
  answers: Answers;
}

function drawAnswer(q: Question, key: string, random: () => number, p: Person): AnswerValue {
  if (q.id === 'background') return p.background;
  if (q.optional && random() < 0.25) return null;
  switch (q.id) {
    case 'needed_help':
      return pick(random, { yes: 72, no: 22, dont_know: 6 });
    case 'help_got':
      // The gap the strategy asks about: help reaches the baseline group more often.
      return p.immigrant ? pick(random, { yes: 36, partly: 24, no: 28, waiting: 12 }) : pick(random, { yes: 55, partly: 20, no: 18, waiting: 7 });
    case 'info_language':
      return p.immigrant ? pick(random, { yes: 50, no: 38, dont_know: 12 }) : pick(random, { yes: 85, no: 8, dont_know: 7 });
    case 'interpreter':
      return p.immigrant ? pick(random, { yes: 35, no: 40, not_needed: 25 }) : pick(random, { yes: 2, no: 3, not_needed: 95 });
    case 'municipality':
      return random() < 0.85 ? MUNICIPALITIES[Math.floor(random() * MUNICIPALITIES.length)] : 'Værøy';
    case 'what_helped':
      return random() < 0.5 ? 'Raskere svar fra NAV og hjelp med depositum' : 'A flat with two rooms for 9000 kr in Bergen';
  }
  void key;
  switch (q.type) {
    case 'yes_no':
      return pick(random, q.dontKnow ? { yes: 45, no: 45, dont_know: 10 } : { yes: 40, no: 60 });
    case 'single':
      return q.options[Math.floor(random() * q.options.length)];
    case 'multi': {
      const plain = q.options.filter((o) => !q.exclusive.includes(o));
      if (q.exclusive.length && random() < 0.1) return [q.exclusive[0]];
      const chosen = plain.filter(() => random() < 1.6 / plain.length);
      return chosen.length ? chosen : [plain[Math.floor(random() * plain.length)]];
    }
    case 'scale': {
      const skew = p.immigrant ? 0.8 : 0;
      return Math.max(q.min, Math.min(q.max, Math.round(q.min + random() * (q.max - q.min) + 0.5 - skew * random())));
    }
    case 'number': {
      const codes = answerCodes(q);
      return q.bands ? codes[Math.floor(random() * codes.length)] : q.min + Math.floor(random() * (q.max - q.min + 1));
    }
    case 'text':
      return 'tekst';
  }
}

/**
 * Writes responses straight into a migrated SQLite file, in one transaction: a hundred thousand
 * responses in seconds, where the store's one-answer-at-a-time path (built for conversations)
 * would take minutes.
 */
export function insertIntoSqlite(file: string, responses: readonly StoredResponse[]): void {
  const db = new Database(file);
  try {
    const response = db.prepare(
      'INSERT INTO "Response" (id, surveyId, surveyVersion, consentVersion, channel, period, language, status, languageSwitches, notUnderstoodCount, confirmations, confirmationsDeclined, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const answer = db.prepare(
      'INSERT INTO "Answer" (responseId, questionId, iteration, value, language, fallback, notUnderstood) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const complete = db.prepare('UPDATE "Response" SET status = ? WHERE id = ?');
    db.transaction(() => {
      for (const r of responses) {
        // In progress until its answers are in, as the bot writes it: a completed response takes
        // no more answers (migration completed_responses_final).
        response.run(
          r.id,
          r.surveyId,
          r.surveyVersion,
          r.consentVersion,
          r.channel,
          r.period,
          r.language,
          'in_progress',
          r.languageSwitches,
          r.notUnderstoodCount,
          r.confirmations,
          r.confirmationsDeclined,
          r.source,
        );
        for (const a of r.answers) answer.run(r.id, a.questionId, a.iteration, JSON.stringify(a.value), a.language, a.fallback ? 1 : 0, a.notUnderstood);
        if (r.status !== 'in_progress') complete.run(r.status, r.id);
      }
    })();
  } finally {
    db.close();
  }
}

/** Writes responses through the store's own interface (any database). */
export async function insertThroughStore(store: SurveyStore, responses: readonly StoredResponse[]): Promise<void> {
  for (const r of responses) {
    await store.applyResponses([
      {
        kind: 'start',
        response: {
          id: r.id,
          surveyId: r.surveyId,
          surveyVersion: r.surveyVersion,
          consentVersion: r.consentVersion,
          channel: r.channel,
          period: r.period,
          language: r.language,
        },
      },
      ...r.answers.map((a) => ({ kind: 'answer' as const, answer: { responseId: r.id, ...a }, drop: [] })),
      {
        kind: 'update',
        responseId: r.id,
        patch: {
          status: r.status,
          languageSwitches: r.languageSwitches,
          notUnderstoodCount: r.notUnderstoodCount,
          confirmations: r.confirmations,
          confirmationsDeclined: r.confirmationsDeclined,
        },
      },
    ]);
  }
}

/** A migrated SQLite store in a fresh temporary file, holding a generated population. */
export async function populatedSqliteStore(
  def: SurveyDefinition,
  n: number,
  options: PopulationOptions = {},
): Promise<{ store: SurveyStore; file: string; population: StoredResponse[] }> {
  const { SqliteStore } = await import('../../src/store/sqliteStore');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'survey-pop-')), 'survey.db');
  const store = new SqliteStore(`file:${file}`);
  await store.migrate();
  const population = generatePopulation(def, n, options);
  insertIntoSqlite(file, population);
  return { store, file, population };
}
