import fs from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { loadLocales } from './i18n';
import { createLogger } from './logger';
import { createStore } from './store/createStore';
import { MigrationReport, SurveyStore } from './store/store';
import { Problem, requiredTextKeys, validateSurvey } from './survey/validate';

const USAGE = `Usage: survey-bot <command>

Commands:
  start                     run the bot (migrates the database first)
  migrate                   apply pending database migrations and exit
  survey validate <file>    check a survey definition and its texts in every locale
  redact [--explain]        read lines on stdin, print them with personal data replaced
                            (--explain: what was replaced in each line, by kind and count)
  detect-language           read lines on stdin, print the locale tag the bot would guess (or und)
  export [--format csv|json] [--k 5] [--include-partial]
                            print anonymised responses (shuffled, k-anonymous, JSON with codebook)
  report [--by language|background] [--k 5] [--json]
                            help received by group, small cells suppressed, with 95% intervals
`;

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(env);
    case 'migrate':
      return migrate(env);
    case 'survey':
      if (rest[0] === 'validate' && rest[1]) return validate(rest[1]);
      process.stderr.write(USAGE);
      return 2;
    case 'export':
      return exportCommand(rest, env);
    case 'report':
      return reportCommand(rest, env);
    case 'detect-language': {
      const { detectLanguageCommand } = await import('./language/detectCommand');
      return detectLanguageCommand(process.stdin, process.stdout);
    }
    case 'redact': {
      const config = configOrExit(env);
      if (!config) return 1;
      const { redactCommand } = await import('./privacy/redactCommand');
      return redactCommand(process.stdin, process.stdout, rest, config.redaction);
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

function configOrExit(env: NodeJS.ProcessEnv) {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

async function start(env: NodeJS.ProcessEnv): Promise<number> {
  const config = configOrExit(env);
  if (!config) return 1;
  const logger = createLogger(config.logLevel);
  (await import('./privacy/redact')).configureRedaction(config.redaction);
  // Imported here so `survey validate` does not load botbuilder.
  const { startBot } = await import('./index');
  const bot = await startBot(config, logger);
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ event: 'stopping', signal }, 'shutting down');
      bot.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function migrate(env: NodeJS.ProcessEnv): Promise<number> {
  const config = configOrExit(env);
  if (!config) return 1;
  return withStore(config.databaseUrl, async (_store, report) => {
    process.stdout.write(
      report.applied.length ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}\n` : `Database is up to date (${report.alreadyApplied} migration(s) applied before).\n`,
    );
    return 0;
  });
}

/** Opens the configured store, migrates it, runs `work`, and always closes the store. */
async function withStore(databaseUrl: string, work: (store: SurveyStore, migrations: MigrationReport) => Promise<number>): Promise<number> {
  const store = createStore(databaseUrl);
  try {
    return await work(store, await store.migrate());
  } finally {
    await store.close();
  }
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Reads an option limited to `choices`; undefined (after saying why) for anything else. */
function choiceOption<T extends string>(args: string[], name: string, choices: readonly T[]): T | undefined {
  const value = option(args, name) ?? choices[0];
  if ((choices as readonly string[]).includes(value)) return value as T;
  process.stderr.write(`${name} must be ${choices.join(' or ')}, not "${value}"\n`);
  return undefined;
}

/** Reads --k; undefined (after saying why) when it is not a whole number of at least 2. */
function kOption(args: string[]): number | undefined {
  const k = Number(option(args, '--k') ?? 5);
  if (Number.isInteger(k) && k >= 2) return k;
  process.stderr.write('--k must be a whole number of at least 2\n');
  return undefined;
}

async function reportCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = configOrExit(env);
  if (!config) return 1;
  const by = choiceOption(args, '--by', ['language', 'background'] as const);
  const k = kOption(args);
  if (by === undefined || k === undefined) return 2;
  const { helpReceived, formatReport } = await import('./report/helpReceived');
  const { DEFAULT_SURVEY_FILE, loadSurvey } = await import('./survey/load');
  return withStore(config.databaseUrl, async (store) => {
    const report = await helpReceived(store, loadSurvey(DEFAULT_SURVEY_FILE).id, by, k);
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return 0;
  });
}

async function exportCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = configOrExit(env);
  if (!config) return 1;
  const format = choiceOption(args, '--format', ['csv', 'json'] as const);
  const k = kOption(args);
  if (format === undefined || k === undefined) return 2;
  const { Texts } = await import('./bot/texts');
  const { exportResponses } = await import('./export/exportResponses');
  const { DEFAULT_SURVEY_FILE, loadSurvey } = await import('./survey/load');
  const texts = new Texts(loadLocales(), loadSurvey(DEFAULT_SURVEY_FILE), config.organisation, config.defaultLocale);
  return withStore(config.databaseUrl, async (store) => {
    const result = await exportResponses(store, texts, { format, k, includePartial: args.includes('--include-partial') });
    process.stdout.write(result.body);
    process.stderr.write(`${result.rows} response(s) exported, k = ${k}.\n`);
    return 0;
  });
}

function validate(file: string): number {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    process.stderr.write(`${file}: not readable JSON: ${(err as Error).message}\n`);
    return 1;
  }
  const { survey, problems } = validateSurvey(json);
  const all: Problem[] = [...problems];
  if (survey) {
    const locales = loadLocales();
    for (const l of locales.list) {
      for (const key of requiredTextKeys(survey)) {
        if (locales.i18n.getResource(l.tag, survey.id, key) === undefined) all.push({ path: `locales/${l.tag}/${survey.id}.json:${key}`, message: 'missing text' });
      }
    }
  }
  for (const p of all) process.stdout.write(`${file}: ${p.path}: ${p.message}\n`);
  if (all.length) {
    process.stdout.write(`${all.length} problem(s).\n`);
    return 1;
  }
  process.stdout.write(`${file}: OK (${survey!.id} v${survey!.version}, ${survey!.items.length} items)\n`);
  return 0;
}
