import { option } from '../cliArgs';
import { once } from 'node:events';
import readline from 'node:readline';
import { Texts } from './texts';
import { loadLocales } from './i18n';
import { AnswerValue } from '../survey/engine';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../survey/load';
import { Recognition, recognize } from '../survey/recognize';
import { questionsOf } from '../survey/walk';

const USAGE = 'Usage: survey-bot recognize --locale L --question Q [--survey ID] < lines\n';

/** A stored value as one word: an option code, codes joined by "+", a number or band, or "skip". */
function shown(value: AnswerValue): string {
  if (value === null) return 'skip';
  return Array.isArray(value) ? value.join('+') : String(value);
}

/**
 * What the bot does with one typed answer: the code(s) it stores at once, `confirm:CODE` where it
 * first asks "Did I understand you right?", or `ask` where it asks the question again (a command
 * such as "help" or "back" is not an answer either, and also gives `ask`).
 */
export function recognitionLine(r: Recognition): string {
  if (r.ok) return shown(r.value);
  return r.reason === 'confirm' ? `confirm:${shown(r.value)}` : 'ask';
}

/**
 * `survey-bot recognize --locale L --question Q`: one typed answer per input line, one line out
 * per line in, in order, so that a native reviewer can type the phrases people use and see what
 * the bot would store (`paste typed.txt <(survey-bot recognize --locale so --question situation < typed.txt)`).
 *
 * @returns the process exit code
 */
export async function recognizeCommand(
  args: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; surveyFiles: { id: string; file: string }[] },
): Promise<number> {
  const opt = (name: string) => option(args, name);
  const lng = opt('--locale');
  const questionId = opt('--question');
  if (!lng || !questionId) {
    io.stderr.write(USAGE);
    return 2;
  }
  // A survey shipped with the project (src/survey/definitions/), the default one unless named.
  const surveyId = opt('--survey');
  const file = surveyId ? io.surveyFiles.find((f) => f.id === surveyId)?.file : DEFAULT_SURVEY_FILE;
  if (!file) {
    io.stderr.write(`Unknown survey "${surveyId}". Surveys: ${io.surveyFiles.map((f) => f.id).join(', ')}\n`);
    return 2;
  }
  const texts = new Texts(loadLocales(), loadSurvey(file), undefined, 'nb');
  if (!texts.locales.byTag.has(lng)) {
    io.stderr.write(`Unknown locale "${lng}". Locales: ${texts.locales.tags.join(', ')}\n`);
    return 2;
  }
  const answerable = questionsOf(texts.survey)
    .map((s) => s.question)
    .filter((q) => q.type !== 'text');
  const question = answerable.find((q) => q.id === questionId);
  if (!question) {
    io.stderr.write(`Unknown question "${questionId}" (free-text questions are not recognised). Questions: ${answerable.map((q) => q.id).join(', ')}\n`);
    return 2;
  }
  const vocab = texts.words.vocabulary(lng, question);
  // crlfDelay: a file saved on Windows must not yield an empty line per "\r\n".
  for await (const line of readline.createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    const out = texts.words.command(lng, line) ? 'ask' : recognitionLine(recognize(question, line, vocab));
    if (!io.stdout.write(`${out}\n`)) await once(io.stdout, 'drain');
  }
  return 0;
}
