import fs from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { loadLocales } from './language/i18n';
import { createLogger } from './logger';
import { configureRedaction } from './privacy/redact';
import { createStore } from './store/createStore';
import { MigrationReport, SurveyStore } from './store/store';
import { Problem, requiredTextKeys, validateSurvey } from './survey/validate';
import { option } from './cliArgs';
import { SURVEY_USAGE } from './registry/surveyCommand';
import { INVITE_USAGE } from './outreach/inviteCommand';
import { POSTER_USAGE } from './outreach/posterCommand';

const USAGE = `Usage: survey-bot <command>

Commands:
  start                     run the bot (migrates the database first)
  migrate                   apply pending database migrations and exit
  survey validate <file>    check a survey definition and its texts in every locale
${SURVEY_USAGE}${INVITE_USAGE}${POSTER_USAGE}  redact [--explain]        read lines on stdin, print them with personal data replaced
                            (--explain: what was replaced in each line, by kind and count)
  detect-language           read lines on stdin, print the locale tag the bot would guess (or und)
  recognize --locale L --question Q [--survey ID]
                            read typed answers on stdin, print for each what the bot would do:
                            the code(s) it stores (several joined by +), confirm:CODE where it
                            asks the respondent to confirm first, or ask where it asks again
  translations export|import|status
                            review files for native reviewers (XLIFF or CSV), import of reviewed
                            texts with per-string provenance, the language table
  export --format csv|xlsx|json [--survey ID] [--out FILE] [--labels LOCALE] [--version N]
         [--from WEEK] [--to WEEK] [--language L] [--channel C] [--status completed|all]
         [--k 5] [--include-free-text] [--bom] [--codebook-language nb|en]
                            anonymised responses: shuffled, no response id, k-anonymous over the
                            survey's quasi-identifiers; WEEK is an ISO week such as 2026-W05
  analyze --by language|background|situation|channel [--survey ID] [--version N] [--area AREA]
          [--json] [--k 5] [--status completed|all] [--lang en|nb]
                            help received and barriers by group, with 95% intervals, gaps to the
                            baseline group and tests; every number through disclosure control
  codebook [--survey ID] [--version N] [--format json|csv|xlsx] [--out FILE] [--lang en|nb]
           [--history]
                            every column, question and code, with labels in every language, and
                            what changed in each version (--history: that table alone, as CSV)
                            --survey: a survey in the registry (default DEFAULT_SURVEY); --version:
                            one of its versions (default its newest published one)
  analyst add NAME [--role analyst|admin] | analyst list | analyst revoke NAME
                            tokens for the analyst API and dashboard (/analyst); a new token is
                            printed once, and stored only as a hash
`;

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(env);
    case 'migrate':
      return migrate(env);
    case 'survey': {
      if (rest[0] === 'validate' && rest[1]) return validate(rest[1]);
      const config = configOrExit(env);
      if (!config) return 1;
      const { surveyCommand } = await import('./registry/surveyCommand');
      return withStore(config.databaseUrl, (store) => surveyCommand(rest, store, { stdout: process.stdout, stderr: process.stderr }));
    }
    case 'export':
      return exportCommand(rest, env);
    case 'analyze':
      return analyzeCommand(rest, env);
    case 'codebook':
      return codebookCommand(rest, env);
    case 'invite': {
      const config = configOrExit(env);
      if (!config) return 1;
      const { inviteCommand } = await import('./outreach/inviteCommand');
      const progress = await progressBar();
      return withStore(config.databaseUrl, (store) =>
        inviteCommand(rest, config, store, createLogger(config.logLevel), { stdout: process.stdout, stderr: process.stderr, progress }),
      );
    }
    case 'poster': {
      const config = configOrExit(env);
      if (!config) return 1;
      const { posterCommand } = await import('./outreach/posterCommand');
      return withStore(config.databaseUrl, (store) => posterCommand(rest, config, store, { stdout: process.stdout, stderr: process.stderr }));
    }
    case 'analyst': {
      const config = configOrExit(env);
      if (!config) return 1;
      const { analystCommand } = await import('./analyst/analystCommand');
      return analystCommand(rest, { databaseUrl: config.databaseUrl, stdout: process.stdout, stderr: process.stderr });
    }
    case 'translations': {
      const { translationsCommand } = await import('./language/translationsCommand');
      return translationsCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    }
    case 'detect-language': {
      const { detectLanguageCommand } = await import('./language/detectCommand');
      return detectLanguageCommand(process.stdin, process.stdout);
    }
    case 'recognize': {
      const { recognizeCommand } = await import('./language/recognizeCommand');
      const { bundledSurveyFiles } = await import('./registry/surveyPackage');
      return recognizeCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, surveyFiles: bundledSurveyFiles() });
    }
    case 'redact': {
      const config = configOrExit(env);
      if (!config) return 1;
      const { redactCommand } = await import('./privacy/redactCommand');
      return redactCommand(process.stdin, process.stdout, rest);
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
    const config = loadConfig(env);
    // Every command redacts alike: the bot at capture, export before writing, `redact` for operators.
    configureRedaction(config.redaction);
    return config;
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
  // Node prints process warnings to stderr, past the logger: restify's spdy dependency alone
  // (http-deceiver) triggers DEP0111 twice at every start. They go to the log, class and code only.
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => logger.warn({ event: 'process_warning', warning: w.name, code: w.code }, 'process warning'));
  // Libraries print to the console too (botframework-connector: a refused token's signing keys, an
  // expired token's error with its dates). Here stdout is the log's: logged by method, never the text.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    console[method] = () => logger.warn({ event: 'library_console', method }, 'a library wrote to the console');
  }
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
      report.applied.length
        ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}\n`
        : `Database is up to date (${report.alreadyApplied} migration(s) applied before).\n`,
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

/** Reads an option limited to `choices`; undefined (after saying why) for anything else. */
function choiceOption<T extends string>(args: string[], name: string, choices: readonly T[]): T | undefined {
  const value = option(args, name) ?? choices[0];
  if ((choices as readonly string[]).includes(value)) return value as T;
  process.stderr.write(`${name} must be ${choices.join(' or ')}, not "${value}"\n`);
  return undefined;
}

/** Reads --k; undefined (after saying why) when it is not a whole number of at least 3. */
function kOption(args: string[]): number | undefined {
  const k = Number(option(args, '--k') ?? 5);
  if (Number.isInteger(k) && k >= 3) return k;
  process.stderr.write('--k must be a whole number of at least 3: with smaller groups, the people in a group can tell each other apart\n');
  return undefined;
}

const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** Reads --version; undefined when not given, null (after saying why) when it is not a version number. */
function versionOption(args: string[]): number | undefined | null {
  const version = option(args, '--version');
  if (version === undefined) return undefined;
  if (/^[1-9]\d*$/.test(version)) return Number(version);
  process.stderr.write(`--version must be a survey version number, not "${version}"\n`);
  return null;
}

/**
 * The analyst service over the configured store and its survey registry, for one command; the
 * store is closed after. A survey or version the registry does not hold ends the command with
 * what it does hold.
 */
async function withAnalyst(env: NodeJS.ProcessEnv, work: (service: import('./analyst/analystService').AnalystService) => Promise<number>): Promise<number> {
  const config = configOrExit(env);
  if (!config) return 1;
  const { AnalystService, SurveyChoiceError } = await import('./analyst/analystService');
  const { RegistrySurveys } = await import('./analyst/surveyResolver');
  const { SurveyRegistry } = await import('./registry/surveyRegistry');
  const locales = loadLocales();
  // At the server's own command line the operator may choose k (at least 3); the HTTP API never lets a request choose.
  const parallel = { databaseUrl: config.databaseUrl, threads: Math.min(2, (await import('node:os')).availableParallelism()) };
  return withStore(config.databaseUrl, async (store) => {
    // The surveys shipped with the project are in the registry, as they are when the bot starts.
    await new SurveyRegistry(store, locales).syncBundled();
    const surveys = new RegistrySurveys(store, locales, config.defaultSurvey);
    try {
      return await work(new AnalystService({ store, surveys, locales, parallel }, 3));
    } catch (err) {
      if (!(err instanceof SurveyChoiceError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
  });
}

/** A progress bar on a terminal; nothing when stderr is piped or a file. */
async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ stream: process.stderr, hideCursor: true, format: '{bar} {percentage}% | {value}/{total}' }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

/** Resolves when a file stream has flushed and closed (or at once for stdout). */
function closed(out: NodeJS.WritableStream): Promise<void> {
  if (out === process.stdout) return Promise.resolve();
  return new Promise((resolve, reject) => {
    out.on('error', reject);
    if ((out as fs.WriteStream).closed) resolve();
    else out.on('close', () => resolve());
    out.end();
  });
}

async function exportCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const format = choiceOption(args, '--format', ['csv', 'xlsx', 'json'] as const);
  const status = choiceOption(args, '--status', ['completed', 'all'] as const);
  const k = kOption(args);
  if (format === undefined || status === undefined || k === undefined) return 2;
  const from = option(args, '--from');
  const to = option(args, '--to');
  for (const [name, week] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (week !== undefined && !ISO_WEEK.test(week)) {
      process.stderr.write(`${name} must be an ISO week such as 2026-W05, not "${week}"\n`);
      return 2;
    }
  }
  const version = versionOption(args);
  if (version === null) return 2;
  const file = option(args, '--out');
  if (format === 'xlsx' && !file && process.stdout.isTTY) {
    process.stderr.write('An XLSX file is binary: give --out FILE, or redirect the output to a file\n');
    return 2;
  }
  return withAnalyst(env, async (service) => {
    // Checked before a file is created for it.
    const chosen = await service.resolve({ survey: option(args, '--survey'), version });
    const lng = option(args, '--codebook-language') ?? option(args, '--labels') ?? 'en';
    const out = file ? fs.createWriteStream(file) : process.stdout;
    const freeFile = file ? file.replace(/(\.[a-z]+)?$/i, '.free-text$1') : undefined;
    const freeOut = args.includes('--include-free-text') && format === 'csv' && freeFile ? fs.createWriteStream(freeFile) : undefined;
    const bar = await progressBar();
    try {
      const summary = await service.export(
        {
          survey: chosen.id,
          format,
          k,
          labels: option(args, '--labels'),
          codebookLanguage: lng,
          includeFreeText: args.includes('--include-free-text'),
          bom: args.includes('--bom'),
          filter: {
            status: status === 'all' ? undefined : 'completed',
            surveyVersion: version,
            language: option(args, '--language'),
            channel: option(args, '--channel'),
            fromPeriod: from,
            toPeriod: to,
          },
          onProgress: (done, total) => bar.update(done, total),
        },
        out,
        freeOut,
      );
      bar.stop();
      await Promise.all([closed(out), ...(freeOut ? [closed(freeOut)] : [])]);
      const { disclosureLines } = await import('./export/exportService');
      process.stderr.write(`${disclosureLines(summary.report, service.locales, lng).join('\n')}\n`);
      if (args.includes('--include-free-text'))
        process.stderr.write(
          `${summary.freeTextItems} free-text answer(s), approved by a reviewer, redacted and shuffled, ${freeOut ? `in ${freeFile}` : 'in the export'}; ` +
            `${summary.freeTextPending} still waiting for review (the dashboard's review page, reviewer role), not in the export\n`,
        );
      return 0;
    } catch (err) {
      bar.stop();
      if (err instanceof RangeError) {
        process.stderr.write(`${err.message}\n`);
        return 2;
      }
      throw err;
    }
  });
}

async function analyzeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const status = choiceOption(args, '--status', ['completed', 'all'] as const);
  const lng = choiceOption(args, '--lang', ['en', 'nb'] as const);
  const k = kOption(args);
  const by = option(args, '--by');
  const version = versionOption(args);
  if (status === undefined || lng === undefined || k === undefined || version === null) return 2;
  if (!by) {
    process.stderr.write('analyze needs --by language|background|situation|channel\n');
    return 2;
  }
  return withAnalyst(env, async (service) => {
    const { AnalysisRequestError } = await import('./analysis/analyze');
    try {
      const chosen = await service.resolve({ survey: option(args, '--survey'), version });
      const result = await service.analyze({ survey: chosen.id, version: chosen.version, by, area: option(args, '--area'), k, status });
      if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const { formatAnalysis } = await import('./analysis/format');
        process.stdout.write(formatAnalysis(result, service.locales, lng, chosen.definition, chosen.wording.ns));
      }
      return 0;
    } catch (err) {
      if (err instanceof AnalysisRequestError) {
        process.stderr.write(`${err.message}\n`);
        return 2;
      }
      throw err;
    }
  });
}

async function codebookCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const format = choiceOption(args, '--format', ['json', 'csv', 'xlsx'] as const);
  const lng = choiceOption(args, '--lang', ['en', 'nb'] as const);
  const version = versionOption(args);
  if (format === undefined || lng === undefined || version === null) return 2;
  return withAnalyst(env, async (service) => {
    // Checked before a file is created for it.
    const chosen = await service.resolve({ survey: option(args, '--survey'), version });
    const file = option(args, '--out');
    const out = file ? fs.createWriteStream(file) : process.stdout;
    await service.writeCodebook(format, lng, out, { survey: chosen.id, version: chosen.version }, { history: args.includes('--history') });
    await closed(out);
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
        if (locales.i18n.getResource(l.tag, survey.id, key) === undefined)
          all.push({ path: `locales/${l.tag}/${survey.id}.json:${key}`, message: 'missing text' });
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
