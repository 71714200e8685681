import { Locales } from '../language/i18n';
import { SurveyWording } from '../language/surveyWording';
import { SurveyDefinition, optionsOf } from '../survey/definition';
import { answerCodes } from '../survey/validate';
import { QuestionSlot, questionsOf } from '../survey/walk';
import { askedWhenInWords, Codebook, typeInWords } from './codebook';

/**
 * The codebook's version history: every version of a survey, its questions and codes, and what
 * changed from the version before — questions and options added or removed, changed skip
 * conditions, changed question texts and option labels in the survey's default language. Data
 * from several versions are read side by side with it: a code that was added in version 2 cannot
 * occur in version 1's responses, and a question whose condition changed was asked of other people.
 */

/** One version of a survey, as the history is made from it. */
export interface SurveyVersionSource {
  version: number;
  /** draft, published or closed (src/store/registryStore.ts). */
  state: string;
  definition: SurveyDefinition;
  wording: SurveyWording;
}

export interface VersionQuestion {
  id: string;
  /** The question's type in the codebook's words. */
  type: string;
  /** The repeat block it belongs to, if any. */
  block?: string;
  askedWhen: string;
  /** The question's text in the version's default language. */
  text: string;
  /** Every code its answers take, with the option's label in the default language (empty for scale points and bands). */
  codes: { code: string; label: string }[];
}

export interface VersionChanges {
  /** The version compared with: the one before. */
  from: number;
  questionsAdded: string[];
  /** With the text the question had. */
  questionsRemoved: { question: string; text: string }[];
  optionsAdded: { question: string; code: string }[];
  /** With the label the option had. */
  optionsRemoved: { question: string; code: string; label: string }[];
  /** When the question is asked (its own condition or its block's), before and after, in words. */
  conditionsChanged: { question: string; before: string; after: string }[];
  /** Question texts (`questions.<id>.text`) and option labels (`options.<code>.label`) changed in the default language. */
  labelsChanged: { key: string; before: string; after: string }[];
}

export interface CodebookVersion {
  version: number;
  state: string;
  /** The language of `text` and `label`: the version's `defaultLanguage`, else English. */
  language: string;
  questions: VersionQuestion[];
  /** Absent for the first version. */
  changes?: VersionChanges;
}

/**
 * A codebook with the history of its survey's versions: the codebook on its own (`survey-bot
 * codebook`, `GET /api/analyst/codebook`); the one an export carries has no history.
 */
export type CodebookWithVersions = Codebook & { versions: CodebookVersion[] };

/** The language a version's texts were written in first. */
export function defaultLanguageOf(def: SurveyDefinition): string {
  return def.defaultLanguage ?? 'en';
}

/**
 * The history of a survey's versions, oldest first.
 *
 * @param versions the survey's versions, in any order
 * @param lng the codebook's language (nb or en), for types and conditions in words
 */
export function versionHistory(versions: readonly SurveyVersionSource[], locales: Locales, lng: string): CodebookVersion[] {
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.${key}`, { lng, ...vars }) as string;
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  return sorted.map((v, i) => {
    const language = defaultLanguageOf(v.definition);
    const words = wordsOf(v, locales, language);
    const askedWhen = (slot: QuestionSlot) => askedWhenInWords(slot, v.definition, t, (code) => labelIn(locales, v.wording, lng, code));
    const questions = questionsOf(v.definition).map((slot): VersionQuestion => {
      const q = slot.question;
      const options = new Set(optionsOf(q));
      return {
        id: q.id,
        type: typeInWords(q, t),
        ...(slot.block ? { block: slot.block.id } : {}),
        askedWhen: askedWhen(slot),
        text: words(`questions.${q.id}.text`),
        codes: answerCodes(q).map((code) => ({ code, label: options.has(code) ? words(`options.${code}.label`) : '' })),
      };
    });
    const previous = sorted[i - 1];
    return {
      version: v.version,
      state: v.state,
      language,
      questions,
      ...(previous ? { changes: changesBetween(previous, v, locales, language, t, lng) } : {}),
    };
  });
}

/** The raw text of a key in one language (no fallback: a label missing there is not a label that changed). */
function wordsOf(v: SurveyVersionSource, locales: Locales, language: string): (key: string) => string {
  return (key) => {
    const text: unknown = locales.i18n.getResource(language, v.wording.ns, key);
    return typeof text === 'string' ? text : '';
  };
}

/** An option's label in the codebook's language, as the codebook shows one (with fallback), or the code. */
function labelIn(locales: Locales, wording: SurveyWording, lng: string, code: string): string {
  const key = `${wording.ns}:options.${code}.label`;
  return locales.i18n.exists(key, { lng }) ? (locales.i18n.t(key, { lng }) as string) : code;
}

function changesBetween(
  before: SurveyVersionSource,
  after: SurveyVersionSource,
  locales: Locales,
  language: string,
  t: (key: string, vars?: Record<string, unknown>) => string,
  lng: string,
): VersionChanges {
  const old = new Map(questionsOf(before.definition).map((s) => [s.question.id, s]));
  const now = new Map(questionsOf(after.definition).map((s) => [s.question.id, s]));
  const oldWords = wordsOf(before, locales, language);
  const newWords = wordsOf(after, locales, language);
  const inWords = (v: SurveyVersionSource, slot: QuestionSlot) => askedWhenInWords(slot, v.definition, t, (code) => labelIn(locales, v.wording, lng, code));
  const changes: VersionChanges = {
    from: before.version,
    questionsAdded: [...now.keys()].filter((id) => !old.has(id)),
    questionsRemoved: [...old.keys()].filter((id) => !now.has(id)).map((question) => ({ question, text: oldWords(`questions.${question}.text`) })),
    optionsAdded: [],
    optionsRemoved: [],
    conditionsChanged: [],
    labelsChanged: [],
  };
  const labelKeys = new Set<string>();
  for (const [id, slot] of now) {
    const was = old.get(id);
    if (!was) continue;
    const oldCodes = optionsOf(was.question);
    const newCodes = optionsOf(slot.question);
    for (const code of newCodes) if (!oldCodes.includes(code)) changes.optionsAdded.push({ question: id, code });
    for (const code of oldCodes) if (!newCodes.includes(code)) changes.optionsRemoved.push({ question: id, code, label: oldWords(`options.${code}.label`) });
    const condition = (s: QuestionSlot) => JSON.stringify([s.block?.forEach, s.block?.when, s.question.when]);
    if (condition(was) !== condition(slot)) changes.conditionsChanged.push({ question: id, before: inWords(before, was), after: inWords(after, slot) });
    labelKeys.add(`questions.${id}.text`);
    for (const code of newCodes) if (oldCodes.includes(code)) labelKeys.add(`options.${code}.label`);
  }
  for (const key of labelKeys) {
    const [a, b] = [oldWords(key), newWords(key)];
    if (a !== b) changes.labelsChanged.push({ key, before: a, after: b });
  }
  return changes;
}

/**
 * The history as one table (the `versions` sheet of the XLSX codebook, and the CSV codebook with
 * `history`): per version a row per question and per code, with what changed from the version
 * before, then a row for each question and option it no longer has.
 */
export function versionTable(versions: readonly CodebookVersion[], locales: Locales, lng: string): { header: string[]; rows: string[][] } {
  const h = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.headers.${key}`, { lng, ...vars }) as string;
  const c = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:codebook.changes.${key}`, { lng, ...vars }) as string;
  const state = (s: string) => locales.i18n.t(`analyst:codebook.states.${s}`, { lng, defaultValue: s }) as string;
  const language = versions.at(-1)?.language ?? 'en';
  const header = [h('version'), h('state'), h('question'), h('type'), h('code'), h('label', { language }), h('shown_when'), h('change')];
  const rows: string[][] = [];
  for (const v of versions) {
    const ch = v.changes;
    const label = new Map(ch?.labelsChanged.map((l) => [l.key, l.before]) ?? []);
    const condition = new Map(ch?.conditionsChanged.map((x) => [x.question, x.before]) ?? []);
    const added = new Set(ch?.questionsAdded ?? []);
    const optionAdded = new Set(ch?.optionsAdded.map((o) => `${o.question}:${o.code}`) ?? []);
    const textChange = (key: string) => (label.has(key) ? c('text_changed', { before: label.get(key) }) : '');
    rows.push([String(v.version), state(v.state), '', '', '', '', '', ch ? '' : c('first')]);
    for (const q of v.questions) {
      const change = added.has(q.id)
        ? c('added')
        : [textChange(`questions.${q.id}.text`), condition.has(q.id) ? c('condition_changed', { before: condition.get(q.id) }) : ''].filter(Boolean).join('; ');
      rows.push([String(v.version), '', q.id, q.type, '', q.text, q.askedWhen, change]);
      for (const code of q.codes) {
        const codeChange = added.has(q.id) ? '' : optionAdded.has(`${q.id}:${code.code}`) ? c('added') : textChange(`options.${code.code}.label`);
        rows.push([String(v.version), '', q.id, '', code.code, code.label, '', codeChange]);
      }
    }
    for (const r of ch?.questionsRemoved ?? []) rows.push([String(v.version), '', r.question, '', '', r.text, '', c('removed')]);
    for (const r of ch?.optionsRemoved ?? []) rows.push([String(v.version), '', r.question, '', r.code, r.label, '', c('removed')]);
  }
  return { header, rows };
}
