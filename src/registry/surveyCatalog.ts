import { Locales } from '../language/i18n';
import { Texts } from '../language/texts';
import { RegistryStore, SurveyVersionInfo } from '../store/registryStore';
import { currentOf, SurveyRegistry } from './surveyRegistry';
import { loadVersion } from './loadedVersion';

/** Which survey version a conversation is on, and whether it still takes answers. */
export interface SurveyChoice {
  id: string;
  version: number;
  /** The version, or the whole survey, has been closed: the respondent is told it has ended. */
  closed: boolean;
}

/**
 * The surveys as the running bot sees them: which version of which survey a new conversation
 * starts on, which SMS number answers for which survey, and each version's texts (loaded once,
 * as the i18next namespace `<survey>@<version>`, with its vocabularies folded once). Several bot
 * processes share the registry in the database; each re-reads the list of versions at most every
 * `refreshMs`, so a version published or closed by another process is seen within that time.
 */
export class SurveyCatalog {
  private versions: SurveyVersionInfo[] = [];
  private routes = new Map<string, string>();
  private readAt = -Infinity;
  private reading?: Promise<void>;
  private readonly texts = new Map<string, Promise<Texts>>();
  private readonly registry: SurveyRegistry;

  constructor(
    private readonly store: RegistryStore,
    readonly locales: Locales,
    private readonly options: { organisation?: string; defaultLocale: string; defaultSurvey: string; refreshMs?: number; now?: () => number },
  ) {
    this.registry = new SurveyRegistry(store, locales);
  }

  get defaultSurvey(): string {
    return this.options.defaultSurvey;
  }

  /** Re-reads the versions and SMS routes when they are older than `refreshMs` (or always, forced). */
  async refresh(force = false): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    if (!force && now - this.readAt < (this.options.refreshMs ?? 2000)) return;
    this.reading ??= (async () => {
      try {
        const [versions, routes] = await Promise.all([this.store.listSurveyVersions(), this.store.listSmsRoutes()]);
        this.versions = versions;
        this.routes = new Map(routes.map((r) => [r.number, r.surveyId]));
        this.readAt = now;
      } catch (err) {
        // A database outage: the versions read last stay good until it is back (and the turn
        // itself will fail cleanly on the store); with nothing read yet there is nothing to go on.
        if (this.readAt === -Infinity) throw err;
      } finally {
        this.reading = undefined;
      }
    })();
    await this.reading;
  }

  /** The ids of the surveys the registry holds, in order. */
  async surveyIds(): Promise<string[]> {
    await this.refresh();
    return [...new Set(this.versions.map((v) => v.surveyId))];
  }

  /** Every version of a survey, oldest first. */
  async versionsOf(surveyId: string): Promise<SurveyVersionInfo[]> {
    await this.refresh();
    return this.versions.filter((v) => v.surveyId === surveyId);
  }

  /** The survey an SMS to this number is for, if the number has one (`survey-bot survey sms-number`). */
  async surveyForNumber(number: string): Promise<string | undefined> {
    await this.refresh();
    return this.routes.get(number);
  }

  /**
   * The version a new conversation asking for `requested` starts on: the newest published version
   * of that survey, or of the default survey when it asks for none or for one the registry does
   * not hold. A survey with no published version left has ended.
   */
  async start(requested?: string): Promise<SurveyChoice> {
    await this.refresh();
    const known = (id: string | undefined) => id !== undefined && this.versions.some((v) => v.surveyId === id);
    const id = known(requested) ? requested! : this.defaultSurvey;
    const versions = this.versions.filter((v) => v.surveyId === id);
    if (!versions.length) throw new Error(`The default survey "${id}" is not in the registry: check DEFAULT_SURVEY.`);
    const current = currentOf(versions);
    return current === undefined ? { id, version: versions.at(-1)!.version, closed: true } : { id, version: current, closed: false };
  }

  /** Whether a conversation's version still takes answers. */
  async choice(id: string, version: number): Promise<SurveyChoice> {
    await this.refresh();
    const v = this.versions.find((x) => x.surveyId === id && x.version === version);
    return { id, version, closed: v?.state !== 'published' };
  }

  /** A version's texts, loaded from the registry on first use and kept. */
  textsFor(id: string, version: number): Promise<Texts> {
    const key = `${id}@${version}`;
    let texts = this.texts.get(key);
    if (!texts) {
      texts = (async () => {
        const { ns, pkg } = await loadVersion(this.registry, this.locales, id, version);
        // A language the version has texts in; where a bundled locale lacks one, it falls back (to
        // English, marked on the answer as text_fell_back). An imported version has every text.
        const languages = this.locales.tags.filter((t) => pkg.texts[t] !== undefined);
        return new Texts(this.locales, pkg.definition, this.options.organisation, this.options.defaultLocale, { ns, languages });
      })();
      // A failed load (a database outage) is tried again by the next turn.
      texts.catch(() => this.texts.delete(key));
      this.texts.set(key, texts);
    }
    return texts;
  }
}
