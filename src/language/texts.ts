import { Locales } from './i18n';
import { SurveyDefinition } from '../survey/definition';
import { Messages, SurveyTextsOptions } from './messages';
import { SmsKeyword, Words } from './words';

export { Command } from './words';
export type { SmsKeyword, YesNoPrompt } from './words';

/**
 * The bot's language, loaded once at start-up: what it says ({@link Messages}, this class) and
 * what it listens for ({@link Words}, `texts.words`: vocabularies, commands, keywords, language
 * names, all folded once here rather than on every turn).
 */
export class Texts extends Messages {
  readonly words: Words;

  constructor(locales: Locales, survey: SurveyDefinition, organisation: string | undefined, defaultLocale: string, options: SurveyTextsOptions = {}) {
    super(locales, survey, organisation, defaultLocale, options);
    this.words = new Words(this);
  }

  /** {@link Words.smsKeyword}, for the channel code that answers STOP and HELP before any dialog runs. */
  smsKeyword(text: string | undefined): SmsKeyword | undefined {
    return this.words.smsKeyword(text);
  }
}
