import { Locales } from '../language/i18n';
import { localeWording, storedWording, SurveyWording, WordingProvenance } from '../language/surveyWording';
import { SurveyRegistry } from '../registry/surveyRegistry';
import { loadVersion } from '../registry/loadedVersion';
import { RegistryStore, SurveyVersionState } from '../store/registryStore';
import { SurveyDefinition } from '../survey/definition';

/** A survey and its versions, as analysts may ask for them. */
export interface SurveyListing {
  id: string;
  /** Oldest first. */
  versions: { version: number; state: SurveyVersionState }[];
  /** The newest published version, if any: what analysts get when they name no version. */
  current?: number;
}

/**
 * Where the analysts' side finds surveys: every registered survey and version, each version's
 * definition, and where its words are. The analyst service asks only this, so the CLI, the HTTP
 * API and the dashboard see the same surveys, and an analysis, export or codebook is always of
 * one survey version's own definition and labels.
 */
export interface SurveyResolver {
  /** The survey analysts get when they name none (DEFAULT_SURVEY). */
  readonly defaultSurvey: string;
  surveys(): Promise<SurveyListing[]>;
  /** A listed version's definition. */
  definition(id: string, version: number): Promise<SurveyDefinition>;
  /** A listed version's texts (loaded into the locales' i18next instance) and their provenance. */
  texts(id: string, version: number): Promise<SurveyWording>;
}

/**
 * The surveys in the registry (src/registry/surveyRegistry.ts). A version's texts are loaded as the
 * i18next namespace `<id>@<version>`, as the bot's catalog loads them; a version's content never
 * changes (a change is a new version), so each is read once and kept.
 */
export class RegistrySurveys implements SurveyResolver {
  private readonly registry: SurveyRegistry;
  private readonly loaded = new Map<string, Promise<{ definition: SurveyDefinition; wording: SurveyWording }>>();

  constructor(
    store: RegistryStore,
    private readonly locales: Locales,
    readonly defaultSurvey: string,
  ) {
    this.registry = new SurveyRegistry(store, locales);
  }

  async surveys(): Promise<SurveyListing[]> {
    return (await this.registry.list()).map((s) => ({
      id: s.id,
      versions: s.versions.map((v) => ({ version: v.version, state: v.state })),
      current: s.current,
    }));
  }

  async definition(id: string, version: number): Promise<SurveyDefinition> {
    return (await this.load(id, version)).definition;
  }

  async texts(id: string, version: number): Promise<SurveyWording> {
    return (await this.load(id, version)).wording;
  }

  private load(id: string, version: number) {
    const key = `${id}@${version}`;
    let entry = this.loaded.get(key);
    if (!entry) {
      entry = loadVersion(this.registry, this.locales, id, version).then(({ ns, pkg }) => ({
        definition: pkg.definition,
        wording: storedWording(this.locales, ns, pkg.provenance as Record<string, Record<string, WordingProvenance>>),
      }));
      entry.catch(() => this.loaded.delete(key));
      this.loaded.set(key, entry);
    }
    return entry;
  }
}

/**
 * One survey definition with its texts in `locales/` (namespace = survey id), as its only survey
 * and version: for an analyst service over a definition file (tests, tools), without a registry.
 */
export function fixedSurvey(definition: SurveyDefinition, locales: Locales): SurveyResolver {
  const wording = localeWording(locales, definition.id);
  const check = (id: string, version: number) => {
    if (id !== definition.id || version !== definition.version)
      throw new RangeError(`Only ${definition.id} v${definition.version} is known here (asked for ${id} v${version}).`);
  };
  return {
    defaultSurvey: definition.id,
    surveys: async () => [{ id: definition.id, versions: [{ version: definition.version, state: 'published' }], current: definition.version }],
    definition: async (id, version) => (check(id, version), definition),
    texts: async (id, version) => (check(id, version), wording),
  };
}
