import { Config } from '../config';
import { loadLocales } from '../language/i18n';
import { Texts } from '../language/texts';
import { SurveyCatalog } from '../registry/surveyCatalog';
import { SurveyRegistry } from '../registry/surveyRegistry';
import { SurveyStore } from '../store/store';

/**
 * The survey an outreach command (invitations, posters) sends people to: the version new
 * conversations start on, with its texts; or why there is none to send them to. The shipped
 * surveys are registered first, as at the bot's start, so a fresh database has them.
 */
export async function outreachSurvey(
  store: SurveyStore,
  config: Config,
  surveyId: string,
): Promise<{ version: number; texts: Texts } | { problem: 'unknown' | 'closed' }> {
  const locales = loadLocales();
  await new SurveyRegistry(store, locales).syncBundled();
  const catalog = new SurveyCatalog(store, locales, {
    organisation: config.organisation,
    defaultLocale: config.defaultLocale,
    defaultSurvey: config.defaultSurvey,
  });
  if (!(await catalog.surveyIds()).includes(surveyId)) return { problem: 'unknown' };
  const choice = await catalog.start(surveyId);
  if (choice.closed) return { problem: 'closed' };
  return { version: choice.version, texts: await catalog.textsFor(choice.id, choice.version) };
}
