import fs from 'node:fs';
import { option } from '../cliArgs';
import { Config } from '../config';
import { SurveyStore } from '../store/store';
import { outreachSurvey } from './outreachSurvey';
import { FontMissingError } from './posterFonts';
import { posterBaseUrl, posterLanguages, posterPages, PosterRequestError, posterSource } from './posterPages';

export const POSTER_USAGE = `  poster SURVEY --out FILE.pdf [--lang so,ar,ti,prs,nb] [--source nav-office-poster]
         [--base-url https://bolig.example.no]
                            one A4 poster page per language: the survey's title, an invitation, a
                            QR code of the start link (BASE/s/SURVEY?lang=…&src=SOURCE), the link
                            and the survey's SMS number; --lang: default every language the survey
                            has; --base-url: default PUBLIC_URL; --source: one the survey declares, default its first *-poster
`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** `survey-bot poster …`: a PDF of start-link posters for one survey (src/outreach/posterPdf.ts). */
export async function posterCommand(args: string[], config: Config, store: SurveyStore, io: Io): Promise<number> {
  const fail = (message: string, code = 2) => {
    io.stderr.write(`${message}\n`);
    return code;
  };
  const [surveyId] = args;
  const out = option(args, '--out');
  if (!surveyId || surveyId.startsWith('--') || !out || out.startsWith('--')) return fail(`Usage:\n${POSTER_USAGE}`);
  const base = option(args, '--base-url') ?? config.publicUrl;
  if (!base) return fail('The posters need the address the link starts with: --base-url https://… or PUBLIC_URL in the configuration.');

  const survey = await outreachSurvey(store, config, surveyId);
  if ('problem' in survey)
    return fail(
      survey.problem === 'unknown'
        ? `No survey ${surveyId}; survey-bot survey list shows them.`
        : `Survey ${surveyId} is closed: a poster would send people to a survey that has ended.`,
      1,
    );
  const { texts } = survey;
  const smsNumbers = (await store.listSmsRoutes()).filter((r) => r.surveyId === surveyId).map((r) => r.number);
  try {
    const request = {
      surveyId,
      languages: posterLanguages(option(args, '--lang'), texts.languages),
      baseUrl: posterBaseUrl(base),
      source: posterSource(option(args, '--source'), texts.survey.sources ?? []),
      smsNumbers,
    };
    const pages = posterPages(texts, request);
    // Loaded only here: pdfkit and its font engine are a large part of a CLI start otherwise.
    const { renderPosters } = await import('./posterPdf');
    const pdf = await renderPosters(pages, { title: texts.surveyVars(config.defaultLocale).title });
    try {
      fs.writeFileSync(out, pdf);
    } catch (err) {
      return fail(`Could not write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
    }
    io.stdout.write(`Wrote ${pages.length} poster page(s) of ${surveyId} v${survey.version} to ${out} (${request.languages.join(', ')}).\n`);
    for (const p of pages) io.stdout.write(`  ${p.lang}\t${p.link}\n`);
    io.stdout.write(
      smsNumbers.length
        ? `SMS number printed: ${smsNumbers[0]}${smsNumbers.length > 1 ? ` (the survey has ${smsNumbers.length}; the first is printed)` : ''}.\n`
        : `No SMS number answers for ${surveyId}, so the posters have no SMS line (survey-bot survey sms-number NUMBER ${surveyId} adds one).\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof PosterRequestError) return fail(err.message);
    if (err instanceof FontMissingError) return fail(err.message, 1);
    throw err;
  }
}
