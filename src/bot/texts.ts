import { Locales, LocaleMeta } from '../i18n';
import { Question, SurveyDefinition, optionsOf } from '../survey/definition';
import { Vocabulary, normalize } from '../survey/recognize';

/** The interruptions a respondent can type at any question, in any supported language. */
export enum Command {
  Help = 'help',
  Back = 'back',
  Language = 'language',
  Stop = 'stop',
  Delete = 'delete',
  DontUnderstand = 'dont_understand',
}
const COMMANDS = Object.values(Command);

/**
 * Every word the bot says or listens for, looked up in `locales/`. Dialogs get text only through
 * this class, so a missing translation is one place to find and user-facing literals never creep
 * into code.
 */
export class Texts {
  constructor(
    readonly locales: Locales,
    readonly survey: SurveyDefinition,
    private readonly organisation: string | undefined,
    readonly defaultLocale: string,
  ) {
    if (!locales.byTag.has(defaultLocale)) throw new Error(`DEFAULT_LOCALE ${defaultLocale} has no folder in locales/`);
  }

  get ns(): string {
    return this.survey.id;
  }

  meta(lng: string): LocaleMeta {
    return this.locales.byTag.get(lng) ?? this.locales.byTag.get(this.defaultLocale)!;
  }

  /** A bot string (`bot` namespace) or a survey string (`<surveyId>:` prefix). */
  t(lng: string, key: string, vars: Record<string, unknown> = {}): string {
    return this.locales.i18n.t(key, { lng, ...vars }) as string;
  }

  /** A survey string: question texts, option labels, consent. */
  s(lng: string, key: string, vars: Record<string, unknown> = {}): string {
    return this.t(lng, `${this.ns}:${key}`, vars);
  }

  list(lng: string, key: string): string[] {
    const v = this.locales.i18n.t(key, { lng, returnObjects: true });
    return Array.isArray(v) ? (v as string[]) : [];
  }

  /** True when `key` has no text of its own in `lng` and would be shown from a fallback language. */
  fallsBack(lng: string, ns: string, key: string): boolean {
    return this.locales.i18n.getResource(lng, ns, key) === undefined;
  }

  optionLabel(lng: string, option: string): string {
    return this.s(lng, `options.${option}.label`);
  }

  organisationName(lng: string): string {
    return this.organisation ?? this.s(lng, 'consent.default_organisation');
  }

  /** The words that answer `q` in `lng`: option labels and synonyms, skip and "and" words. */
  vocabulary(lng: string, q: Question | { type: 'yes_no'; dontKnow: boolean }): Vocabulary {
    const options: Record<string, string[]> = {};
    for (const o of optionsOf(q as Question)) options[o] = [this.optionLabel(lng, o), ...this.list(lng, `${this.ns}:options.${o}.synonyms`)];
    return {
      options,
      skip: this.list(lng, 'bot:keywords.skip'),
      and: this.list(lng, 'bot:keywords.and'),
      foldDiacritics: this.meta(lng).foldDiacritics,
    };
  }

  /**
   * Yes/no words in `lng`, with the labels of this prompt's own buttons first ("Yes, delete",
   * "Other language"), so a tapped button is understood as well as a typed "ja" or "1".
   */
  yesNoVocabulary(lng: string, yesLabel?: string, noLabel?: string): Vocabulary {
    const vocab = this.vocabulary(lng, { type: 'yes_no', dontKnow: false });
    if (yesLabel) vocab.options.yes.unshift(yesLabel);
    if (noLabel) vocab.options.no.unshift(noLabel);
    return vocab;
  }

  /**
   * Recognises an interruption keyword. The respondent's own language and English always count;
   * the word for "language" counts in every supported language, since someone who picked the
   * wrong language by mistake cannot be expected to know its word for it.
   */
  command(lng: string, text: string | undefined): Command | undefined {
    if (!text || text.length > 60) return undefined;
    const fold = this.meta(lng).foldDiacritics;
    const input = normalize(text, fold);
    if (!input) return undefined;
    for (const c of COMMANDS) {
      const langs = c === Command.Language ? this.locales.list.map((l) => l.tag) : [...new Set([lng, 'en'])];
      // The SMS STOP words pause on every channel too: "stop" should never be read as an answer.
      const lists = c === Command.Stop ? ['stop', 'opt_out'] : [c];
      for (const l of langs) {
        if (lists.some((list) => this.list(l, `bot:keywords.${list}`).some((w) => normalize(w, fold) === input))) return c;
      }
    }
    return undefined;
  }

  /** The first keyword of a command, as shown in help texts. */
  keyword(lng: string, c: Command | 'skip'): string {
    return this.list(lng, `bot:keywords.${c}`)[0] ?? c;
  }

  /** A language named by its endonym or tag ("Polski", "pl", "العربية"), as typed at any time. */
  languageFromName(text: string | undefined): string | undefined {
    if (!text || text.length > 60) return undefined;
    const input = normalize(text, true);
    return this.locales.list.find((l) => normalize(l.endonym, true) === input || l.tag === input)?.tag;
  }

  /**
   * SMS carrier keywords (STOP, START, HELP and their equivalents) in any supported language: a
   * respondent may send STOP before choosing a language, and carriers expect it to work.
   */
  smsKeyword(text: string | undefined): 'opt_out' | 'opt_in' | 'sms_help' | undefined {
    if (!text || text.length > 40) return undefined;
    for (const kind of ['opt_out', 'opt_in', 'sms_help'] as const) {
      for (const l of this.locales.list) {
        const fold = l.foldDiacritics;
        const input = normalize(text, fold);
        if (this.list(l.tag, `bot:keywords.${kind}`).some((w) => normalize(w, fold) === input)) return kind;
      }
    }
    return undefined;
  }
}
