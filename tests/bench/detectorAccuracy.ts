/**
 * Accuracy of the first-message language detector on tests/fixtures/language-detection.tsv,
 * and of every statistical detector that was considered for its Latin/Cyrillic step, so the
 * choice can be re-checked when a candidate or the labelled set changes. Not a test: run it with
 *
 *   npx tsx tests/bench/detectorAccuracy.ts [--candidates <node_modules dir>] [--errors] [--all-tables]
 *
 * Only the chosen detector (tinyld) is a dependency of the project. The others are looked up in
 * `--candidates`, a node_modules folder made outside the project with
 *   npm install --prefix /tmp/detector-candidates franc@6.2.0 franc-min@6.2.0 franc-all@7.2.0 \
 *     eld@2.1.0 languagedetect@2.0.0 cld@2.10.1 tinyld@1.3.4
 * (cld compiles C++ during that install). Candidates not found are listed as skipped.
 *
 * For each candidate: "raw" is the detector alone (its best guess mapped to a locale tag,
 * anything else "und"); "pipeline" is src/language/detect.ts with the candidate as its model;
 * "letters+model" the same with the Latin and Cyrillic word lists switched off. Each candidate's
 * two thresholds are tuned on the dev rows only. --errors lists dev errors (never test errors:
 * tuning looks at dev only); --all-tables prints per-tag tables for every variant.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DETECTABLE_LANGUAGES,
  DetectorOptions,
  LanguageModel,
  ModelGuess,
  UND,
  createLanguageDetector,
  detectLanguage,
  modelCodeToTags,
} from '../../src/language/detect';

/** One labelled first message. */
export interface LabelledText {
  tag: string;
  text: string;
  split: 'dev' | 'test';
}

/** The labelled set; `#` lines are comments. */
export const LABELLED_SET_FILE = path.join(__dirname, '..', 'fixtures', 'language-detection.tsv');

/** Reads the labelled set, rejecting malformed lines so a typo cannot silently shrink it. */
export function readLabelledSet(file: string = LABELLED_SET_FILE): LabelledText[] {
  const rows: LabelledText[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [tag, text, split] = line.split('\t');
      if (!text || (split !== 'dev' && split !== 'test')) throw new Error(`${file}:${i + 1}: expected "tag<TAB>text<TAB>dev|test"`);
      rows.push({ tag, text, split });
    });
  return rows;
}

/** Precision and recall of one tag, with the counts behind them. */
export interface TagStats {
  tag: string;
  labelled: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
}

/** Accuracy over all rows, precision of the rows that got a language (not "und"), and per tag. */
export interface Evaluation {
  rows: number;
  accuracy: number;
  /**
   * Mean cost per message when a wrong guess costs 2 (the respondent must refuse it and pick
   * from the menu) and a missed one 1 (they pick from the menu); lower is better.
   */
  cost: number;
  guessed: number;
  guessPrecision: number;
  byTag: TagStats[];
  errors: Array<{ tag: string; got: string; text: string }>;
}

/** Compares predictions with labels. */
export function evaluate(rows: readonly LabelledText[], predict: (text: string) => string): Evaluation {
  const tags = [...DETECTABLE_LANGUAGES, UND];
  const stats = new Map(tags.map((tag) => [tag, { tag, labelled: 0, predicted: 0, correct: 0 }]));
  const errors: Evaluation['errors'] = [];
  let correct = 0;
  let guessed = 0;
  let guessedCorrect = 0;
  for (const row of rows) {
    const got = predict(row.text);
    stats.get(row.tag)!.labelled++;
    if (!stats.has(got)) stats.set(got, { tag: got, labelled: 0, predicted: 0, correct: 0 });
    stats.get(got)!.predicted++;
    if (got !== UND) guessed++;
    if (got === row.tag) {
      correct++;
      stats.get(got)!.correct++;
      if (got !== UND) guessedCorrect++;
    } else {
      errors.push({ tag: row.tag, got, text: row.text });
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);
  const wrong = guessed - guessedCorrect;
  const missed = rows.length - correct - wrong;
  return {
    rows: rows.length,
    accuracy: ratio(correct, rows.length),
    cost: ratio(missed + 2 * wrong, rows.length),
    guessed,
    guessPrecision: ratio(guessedCorrect, guessed),
    byTag: [...stats.values()].map((s) => ({ ...s, precision: ratio(s.correct, s.predicted), recall: ratio(s.correct, s.labelled) })),
    errors,
  };
}

// ---------------------------------------------------------------------------------------------
// Candidates

interface Candidate {
  name: string;
  /**
   * Synchronous, CommonJS and without native code: callable from detectLanguage, loadable by
   * this project's Jest (ts-jest, CommonJS, Node 20) and installable by `npm ci` without a
   * compiler.
   */
  fits: boolean;
  /** Why it does or does not fit, beyond accuracy. */
  note: string;
  model: LanguageModel;
}

/** Loads a candidate from a node_modules folder; `texts` lets an asynchronous one precompute. */
type Loader = (nodeModules: string, texts: readonly string[]) => Promise<Omit<Candidate, 'name'>>;

const requireFrom = (nodeModules: string) => createRequire(path.join(nodeModules, 'noop.js'));

// tsc rewrites import() to require() under "module": "commonjs", which cannot load the
// ESM-only candidates; this keeps a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** Imports an ESM package's main entry from a node_modules folder. */
async function importFrom(nodeModules: string, name: string): Promise<any> {
  const pkgDir = path.join(nodeModules, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const entry = typeof pkg.exports === 'object' ? (pkg.exports['.']?.import ?? pkg.exports['.']) : (pkg.main ?? 'index.js');
  return importEsm(pathToFileURL(path.join(pkgDir, typeof entry === 'string' ? entry : entry.default)).href);
}

/**
 * Turns scores that only rank (franc, languagedetect, eld) into a 0..1 confidence: how far the
 * best guess leads the best guess for a different served tag, relative to its own score.
 * Guesses that map to the same tags (Norwegian and Danish) do not count as rivals.
 */
function leadOverRival(ranked: ReadonlyArray<[string, number]>): ModelGuess[] {
  if (ranked.length === 0) return [];
  const [code, best] = ranked[0];
  const key = modelCodeToTags(code).join() || code;
  const rival = ranked.find(([c]) => (modelCodeToTags(c).join() || c) !== key)?.[1] ?? 0;
  return [{ code, score: best > 0 ? Math.min(1, (4 * (best - rival)) / best) : 0 }];
}

/** tinyld's accuracies are probabilities; those of guesses mapping to the same tags add up. */
function summedProbability(ranked: ReadonlyArray<[string, number]>): ModelGuess[] {
  if (ranked.length === 0) return [];
  const key = (c: string) => modelCodeToTags(c).join() || c;
  const [code] = ranked[0];
  return [{ code, score: ranked.filter(([c]) => key(c) === key(code)).reduce((sum, [, p]) => sum + p, 0) }];
}

const tinyldLoader =
  (entry: string): Loader =>
  async (dir) => {
    const { detectAll } = requireFrom(dir)(entry);
    return {
      fits: true,
      note: 'CommonJS build with types, no native code, loads under Jest; has no Somali, nynorsk or Sámi',
      model: {
        knows: ['nb', 'nn', 'en', 'pl', 'lt', 'uk', 'ru'],
        guesses: (text) => summedProbability((detectAll(text) as Array<{ lang: string; accuracy: number }>).map((g) => [g.lang, g.accuracy])),
      },
    };
  };

const francLoader =
  (name: string, knows: string[]): Loader =>
  async (dir) => {
    const franc = await importFrom(dir, name);
    return {
      fits: false,
      note: 'ESM only: require() fails under Jest on Node 20 without changing the Jest config',
      model: {
        knows,
        guesses: (text) => leadOverRival((franc.francAll(text, { minLength: 1 }) as Array<[string, number]>).filter(([code]) => code !== 'und')),
      },
    };
  };

const CANDIDATES: Record<string, Loader> = {
  tinyld: tinyldLoader('tinyld'),
  'tinyld/heavy': tinyldLoader('tinyld/heavy'),
  languagedetect: async (dir) => {
    const LanguageDetect = requireFrom(dir)('languagedetect');
    const detector = new LanguageDetect();
    return {
      fits: true,
      note: 'CommonJS, no native code, loads under Jest; old trigram profiles, little maintenance',
      model: { knows: ['nb', 'nn', 'en', 'pl', 'lt', 'so', 'uk', 'ru'], guesses: (text) => leadOverRival(detector.detect(text, 5)) },
    };
  },
  franc: francLoader('franc', ['nb', 'nn', 'en', 'pl', 'lt', 'so', 'uk', 'ru']),
  'franc-min': francLoader('franc-min', ['en', 'pl', 'so', 'uk', 'ru']),
  'franc-all': francLoader('franc-all', ['nb', 'nn', 'se', 'en', 'pl', 'lt', 'so', 'uk', 'ru']),
  eld: async (dir) => {
    const { eld } = await importFrom(dir, 'eld');
    await eld.load('large');
    return {
      fits: false,
      note: 'ESM only (no "require" export), loads its model asynchronously',
      model: {
        knows: ['nb', 'nn', 'en', 'pl', 'lt', 'uk', 'ru'],
        guesses: (text) => {
          const result = eld.detect(text);
          if (!result.isReliable()) return [];
          return leadOverRival(Object.entries(result.getScores() as Record<string, number>).sort((a, b) => b[1] - a[1]));
        },
      },
    };
  },
  cld: async (dir, texts) => {
    const cld = requireFrom(dir)('cld');
    // cld's public API is asynchronous, which the synchronous pipeline cannot call; results are
    // computed up front so its accuracy can still be compared.
    const cache = new Map<string, ModelGuess[]>();
    for (const text of new Set(texts)) {
      try {
        const result = await cld.detect(text, { bestEffort: true });
        const top = result.languages[0];
        cache.set(text, top ? [{ code: top.code, score: result.reliable ? top.percent / 100 : 0 }] : []);
      } catch {
        cache.set(text, []);
      }
    }
    return {
      fits: false,
      note: 'native: compiles C++ on every npm ci (111 MB installed); public API asynchronous only',
      model: { knows: ['nb', 'nn', 'en', 'pl', 'lt', 'so', 'uk', 'ru'], guesses: (text) => cache.get(text) ?? [] },
    };
  },
};

async function loadCandidates(dirs: string[], texts: readonly string[]): Promise<{ loaded: Candidate[]; skipped: string[] }> {
  const loaded: Candidate[] = [];
  const skipped: string[] = [];
  for (const [name, load] of Object.entries(CANDIDATES)) {
    const pkg = name.split('/')[0];
    const dir = dirs.find((d) => fs.existsSync(path.join(d, pkg, 'package.json')));
    if (!dir) {
      skipped.push(`${name} (not installed)`);
      continue;
    }
    try {
      loaded.push({ name, ...(await load(dir, texts)) });
    } catch (err) {
      skipped.push(`${name} (${(err as Error).message.split('\n')[0]})`);
    }
  }
  return { loaded, skipped };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (x: number) => (Number.isNaN(x) ? '   - ' : `${(100 * x).toFixed(1).padStart(5)}`);

function summaryLine(label: string, dev: Evaluation, test: Evaluation): string {
  return `${label.padEnd(44)}   ${pct(dev.accuracy)}  ${pct(dev.guessPrecision)} ${String(dev.guessed).padStart(4)} ${dev.cost.toFixed(3)} │   ${pct(test.accuracy)}  ${pct(test.guessPrecision)} ${String(test.guessed).padStart(4)} ${test.cost.toFixed(3)}`;
}

function tagTable(dev: Evaluation, test: Evaluation): string {
  const lines = ['  tag    dev P   dev R │ test P  test R'];
  for (const d of dev.byTag) {
    const t = test.byTag.find((x) => x.tag === d.tag)!;
    if (d.labelled + d.predicted + (t?.labelled ?? 0) + (t?.predicted ?? 0) === 0) continue;
    lines.push(`  ${d.tag.padEnd(5)} ${pct(d.precision)}  ${pct(d.recall)} │ ${pct(t?.precision ?? NaN)}  ${pct(t?.recall ?? NaN)}`);
  }
  return lines.join('\n');
}

type Thresholds = Pick<DetectorOptions, 'modelMinScore' | 'modelMinLetters'>;

/** The model thresholds with the lowest dev cost; ties go to the stricter setting. */
function tuneOnDev(devCost: (o: Thresholds) => number): Thresholds {
  let best: { o: Thresholds; cost: number } | undefined;
  for (const modelMinScore of [0.9, 0.7, 0.5, 0.3, 0]) {
    for (const modelMinLetters of [20, 16, 12, 9, 6, 1]) {
      const cost = devCost({ modelMinScore, modelMinLetters });
      if (!best || cost < best.cost - 1e-9) best = { o: { modelMinScore, modelMinLetters }, cost };
    }
  }
  return best!.o;
}

const thresholdsLabel = (o: Thresholds) => `s≥${o.modelMinScore} l≥${o.modelMinLetters}`;

function mainScript(text: string): string {
  const letters = text.match(/\p{L}/gu) ?? [];
  for (const script of ['Latin', 'Cyrillic']) {
    if (letters.filter((l) => new RegExp(`\\p{Script=${script}}`, 'u').test(l)).length > letters.length / 2) return script;
  }
  return 'other';
}

function rawPredictor(model: LanguageModel): (text: string) => string {
  return (text) => {
    const best = model.guesses(text)[0];
    return best ? (modelCodeToTags(best.code)[0] ?? UND) : UND;
  };
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--candidates');
  const dirs = [path.join(__dirname, '..', '..', 'node_modules'), ...(i >= 0 && argv[i + 1] ? [path.resolve(argv[i + 1])] : [])];
  const showErrors = argv.includes('--errors');
  const showAllTables = argv.includes('--all-tables');
  const rows = readLabelledSet();
  const dev = rows.filter((r) => r.split === 'dev');
  const test = rows.filter((r) => r.split === 'test');
  const { loaded, skipped } = await loadCandidates(
    dirs,
    rows.map((r) => r.text),
  );

  const out: string[] = [];
  out.push(`${rows.length} labelled messages: ${dev.length} dev, ${test.length} test.`);
  out.push('acc = correct tag or correct "und"; prec = share of non-und guesses that are right; n = non-und guesses;');
  out.push('cost = (missed + 2 × wrong guesses) / messages; s≥, l≥ = model score and letter thresholds, tuned on dev.');
  const header = `${''.padEnd(44)} ${'dev acc'.padStart(7)} ${'prec'.padStart(6)} ${'n'.padStart(4)} ${'cost'.padStart(5)} │ ${'test acc'.padStart(7)} ${'prec'.padStart(5)} ${'n'.padStart(4)} ${'cost'.padStart(5)}`;
  const variants: Array<[string, readonly [Evaluation, Evaluation]]> = [];
  const run = (label: string, predict: (t: string) => string, only: (r: LabelledText) => boolean = () => true) => {
    const result = [evaluate(dev.filter(only), predict), evaluate(test.filter(only), predict)] as const;
    variants.push([label, result]);
    out.push(summaryLine(label, ...result));
  };

  // The word lists were written by the same hand as the labelled set, so on this set they leave
  // a model little to do. Switching them off shows what each model does for messages whose
  // words no list has, which is the reason for having a model at all; its thresholds are tuned
  // on both views of the dev rows together.
  const scripted = (r: LabelledText) => ['Latin', 'Cyrillic'].includes(mainScript(r.text));
  const devScripted = dev.filter(scripted);
  const devCost = (c: Candidate, o: Thresholds) => {
    const full = createLanguageDetector({ ...o, model: c.model });
    const noWords = createLanguageDetector({ ...o, model: c.model, wordLists: false });
    return evaluate(dev, (t) => full(t).tag).cost + evaluate(devScripted, (t) => noWords(t).tag).cost;
  };
  const tuned = new Map<string, Thresholds>();
  for (const c of loaded)
    tuned.set(
      c.name,
      tuneOnDev((o) => devCost(c, o)),
    );

  out.push('\nAll messages: the detector alone ("raw") and inside src/language/detect.ts ("pipeline")');
  out.push(header);
  run('detectLanguage (as shipped)', (t) => detectLanguage(t).tag);
  const wordsOnly = createLanguageDetector({});
  run('pipeline without a model', (t) => wordsOnly(t).tag);
  for (const c of loaded) {
    const o = tuned.get(c.name)!;
    run(`${c.name} raw`, rawPredictor(c.model));
    const pipeline = createLanguageDetector({ ...o, model: c.model });
    run(`${c.name} pipeline ${thresholdsLabel(o)}`, (t) => pipeline(t).tag);
  }

  out.push('\nLatin and Cyrillic messages only, word lists switched off (letters + model)');
  out.push(header);
  run('no model', (t) => createLanguageDetector({ wordLists: false })(t).tag, scripted);
  for (const c of loaded) {
    const o = tuned.get(c.name)!;
    run(`${c.name} raw`, rawPredictor(c.model), scripted);
    const noWords = createLanguageDetector({ ...o, model: c.model, wordLists: false });
    run(`${c.name} letters+model ${thresholdsLabel(o)}`, (t) => noWords(t).tag, scripted);
  }

  out.push("\nChoice: dev cost of both views above, at each candidate's tuned thresholds (lower is better)");
  const ranking = loaded.map((c) => ({ c, cost: devCost(c, tuned.get(c.name)!) })).sort((a, b) => a.cost - b.cost);
  for (const { c, cost } of ranking) {
    out.push(`  ${cost.toFixed(3)}  ${c.name.padEnd(15)} ${c.fits ? 'fits   ' : 'no fit '} ${c.note}`);
  }
  if (skipped.length) out.push(`\nskipped: ${skipped.join('; ')}`);

  for (const [label, [d, t]] of variants.slice(0, showAllTables ? undefined : 2)) {
    out.push(`\n${label}: per tag (P = precision, R = recall)`);
    out.push(tagTable(d, t));
    if (showErrors) for (const e of d.errors) out.push(`    dev error: ${e.tag} → ${e.got}: ${e.text}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
