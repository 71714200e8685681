import { Locales, LocaleMeta } from './i18n';
import { SurveyDefinition } from '../survey/definition';
import { directional } from '../text/bidi';

/**
 * Every word the bot says, looked up in `locales/`. Dialogs get text only through this class (or
 * {@link Words} for what the bot listens for), so a missing translation is one place to find and
 * user-facing literals never creep into code.
 */
export interface SurveyTextsOptions {
  /** The i18next namespace of the survey's texts: the survey id for the files in locales/, `<id>@<version>` for a registry version. */
  ns?: string;
  /** The locales this survey version can be offered in (all of them, for the files in locales/). */
  languages?: readonly string[];
}

/** What a greeting promises when a survey does not say how long it takes. */
const DEFAULT_MINUTES = 5;

export class Messages {
  readonly ns: string;
  /** The locales the survey can be offered in, in menu order. */
  readonly languages: readonly string[];

  constructor(
    readonly locales: Locales,
    readonly survey: SurveyDefinition,
    private readonly organisation: string | undefined,
    readonly defaultLocale: string,
    options: SurveyTextsOptions = {},
  ) {
    if (!locales.byTag.has(defaultLocale)) throw new Error(`DEFAULT_LOCALE ${defaultLocale} has no folder in locales/`);
    this.ns = options.ns ?? survey.id;
    this.languages = options.languages ?? locales.tags;
  }

  meta(lng: string): LocaleMeta {
    return this.locales.byTag.get(lng) ?? this.locales.byTag.get(this.defaultLocale)!;
  }

  /**
   * A bot string (`bot` namespace) or a survey string (`<surveyId>:` prefix). In a right-to-left
   * language, a line that would start with Latin text ("NAV …", an organisation's name) is
   * marked right-to-left, or phones would lay it out left to right.
   */
  t(lng: string, key: string, vars: Record<string, unknown> = {}): string {
    return directional(this.locales.i18n.t(key, { lng, ...vars }) as string, this.meta(lng).dir);
  }

  /** The first thing the bot says: hello, the survey's title and how long it takes. */
  greeting(lng: string): string {
    return this.t(lng, 'bot:greeting', this.surveyVars(lng));
  }

  /**
   * What a text about the survey as a whole names: its title (plain, to go inside another text)
   * and about how many minutes it takes. For the greeting and the SMS invitations.
   */
  surveyVars(lng: string): { title: string; minutes: number } {
    return { title: this.locales.i18n.t(`${this.ns}:title`, { lng }) as string, minutes: this.survey.minutes ?? DEFAULT_MINUTES };
  }

  /** A survey string: question texts, option labels, consent. */
  s(lng: string, key: string, vars: Record<string, unknown> = {}): string {
    return this.t(lng, `${this.ns}:${key}`, vars);
  }

  /** Lines of one message, joined and laid out in `lng`'s direction (see {@link t}). */
  lines(lng: string, ...lines: string[]): string {
    return directional(lines.join('\n'), this.meta(lng).dir);
  }

  /**
   * A list (keywords, synonyms) as written, or [] when the key holds no list; from `lng`, or from
   * its fallbacks as `t` would. Read from the resources, not through i18next's `t`, which took
   * 0.18 s of every start for the vocabularies (its key resolution, once per list and language).
   */
  list(lng: string, key: string): string[] {
    const sep = key.indexOf(':');
    const ns = sep < 0 ? 'bot' : key.slice(0, sep);
    const path = key.slice(sep + 1);
    for (const l of this.locales.lookupOrder(lng)) {
      const v: unknown = this.locales.i18n.getResource(l, ns, path);
      if (v !== undefined) return Array.isArray(v) ? (v as string[]) : [];
    }
    return [];
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
}
