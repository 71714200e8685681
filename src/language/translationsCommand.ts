import { option } from '../cliArgs';
import fs from 'node:fs';
import { loadLocales } from './i18n';
import { localesDir } from '../paths';
import { DEFAULT_SURVEY_FILE, loadSurvey } from '../survey/load';
import { ReviewFormat, XliffVersion, exportTranslations, importTranslations, languageTable, parseReviewFile, reviewUnits } from './translations';

export const TRANSLATIONS_USAGE = `Usage:
  survey-bot translations export --locale LNG [--format xliff|csv] [--xliff-version 1.2|2.0] [--out FILE]
      every string of one locale for a native reviewer: key, English and bokmål source,
      current text and its provenance (XLIFF 1.2 by default)
  survey-bot translations import FILE --reviewer "Organisation" [--date YYYY-MM-DD] [--dry-run]
      check a returned file (keys, variables, SMS budget, key terms, answer words), write its
      texts, and mark every changed or confirmed string reviewed by the organisation
  survey-bot translations status
      the README's language table: provenance and reviewed strings per locale
`;

/** Where the command reads and writes; tests point it at a copy of the locales. */
export interface TranslationsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  localesDir?: string;
  surveyFile?: string;
  /** Today, for the review date; injectable so a test does not depend on the clock. */
  today?: () => string;
}

/**
 * `survey-bot translations export|import|status`.
 *
 * @returns the process exit code: 0 done, 1 the file has problems (listed on stderr), 2 usage
 */
export async function translationsCommand(args: string[], io: TranslationsIo): Promise<number> {
  const [sub, ...rest] = args;
  const dir = io.localesDir ?? localesDir;
  const survey = loadSurvey(io.surveyFile ?? DEFAULT_SURVEY_FILE);
  const usage = (message?: string) => {
    io.stderr.write(`${message ? `${message}\n` : ''}${TRANSLATIONS_USAGE}`);
    return 2;
  };
  switch (sub) {
    case 'export': {
      const locales = loadLocales(dir);
      const lng = option(rest, '--locale');
      const format = (option(rest, '--format') ?? 'xliff') as ReviewFormat;
      const version = (option(rest, '--xliff-version') ?? '1.2') as XliffVersion;
      if (!lng || !locales.byTag.has(lng)) return usage(`--locale must be one of ${locales.tags.join(', ')}`);
      if (format !== 'xliff' && format !== 'csv') return usage(`--format must be xliff or csv, not "${format}"`);
      if (version !== '1.2' && version !== '2.0') return usage(`--xliff-version must be 1.2 or 2.0, not "${version}"`);
      const body = await exportTranslations(reviewUnits(locales, survey, lng), lng, format, version);
      const out = option(rest, '--out');
      if (out) fs.writeFileSync(out, body);
      else io.stdout.write(body);
      return 0;
    }
    case 'import': {
      const file = rest.find((a, i) => !a.startsWith('--') && !rest[i - 1]?.startsWith('--'));
      const reviewer = option(rest, '--reviewer');
      if (!file) return usage('name the returned file');
      if (!reviewer) return usage('--reviewer "Organisation name" is required: it is recorded with every reviewed string');
      const date = option(rest, '--date') ?? (io.today ?? (() => new Date().toISOString().slice(0, 10)))();
      let parsed;
      try {
        parsed = await parseReviewFile(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        io.stderr.write(`${file}: ${(err as Error).message}\n`);
        return 1;
      }
      const result = importTranslations(loadLocales(dir), survey, parsed, { reviewer, date, dryRun: rest.includes('--dry-run') });
      for (const p of result.problems) io.stderr.write(`${file}: ${p.id}: ${p.message}\n`);
      if (result.problems.length) {
        io.stderr.write(`${result.problems.length} problem(s); nothing was written.\n`);
        return 1;
      }
      const what = `${result.changed.length} changed and ${result.confirmed.length} confirmed string(s) in ${result.lng}`;
      io.stdout.write(
        result.written ? `${what} marked reviewed by ${reviewer} on ${date}.\n` : `${what} would be marked reviewed (dry run; nothing written).\n`,
      );
      return 0;
    }
    case 'status':
      io.stdout.write(`${languageTable(loadLocales(dir), survey)}\n`);
      return 0;
    default:
      return usage(sub ? `Unknown translations command "${sub}".` : undefined);
  }
}
