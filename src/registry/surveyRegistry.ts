import { Locales } from '../language/i18n';
import { floorHour } from '../period';
import { NEXT_STATES, RegistryStore, SurveyVersionExistsError, SurveyVersionInfo, SurveyVersionRecord, SurveyVersionSource } from '../store/registryStore';
import { validateSurvey } from '../survey/validate';
import { PackageProvenance, SurveyPackage, bundledPackage, bundledSurveyFiles, contentHash, flattenTexts } from './surveyPackage';

/** A survey and its versions, as `survey-bot survey list` shows them. */
export interface SurveySummary {
  id: string;
  versions: SurveyVersionInfo[];
  /** The version new conversations start on: the newest published one. */
  current?: number;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/**
 * The survey registry (src/store/registryStore.ts) as operators and the bot use it: surveys
 * shipped with the project are registered at start-up, spreadsheets are imported as new versions,
 * versions are published and closed. A published version never changes; new conversations start
 * on the newest published version; a conversation finishes on the version it started.
 */
export class SurveyRegistry {
  constructor(
    private readonly store: RegistryStore,
    private readonly locales: Locales,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<SurveySummary[]> {
    const byId = new Map<string, SurveyVersionInfo[]>();
    for (const v of await this.store.listSurveyVersions()) byId.set(v.surveyId, [...(byId.get(v.surveyId) ?? []), v]);
    return [...byId].map(([id, versions]) => ({ id, versions, current: currentOf(versions) }));
  }

  async read(surveyId: string, version: number): Promise<SurveyPackage & { info: SurveyVersionInfo }> {
    const r = await this.store.readSurveyVersion(surveyId, version);
    if (!r) throw new RegistryError(`Survey ${surveyId} has no version ${version}.`);
    const { survey } = validateSurvey(r.definition);
    if (!survey) throw new RegistryError(`Survey ${surveyId} v${version} in the database is not a valid definition.`);
    const { definition: _d, texts, provenance, ...info } = r;
    return { definition: survey, texts: texts as SurveyPackage['texts'], provenance: provenance as PackageProvenance, info };
  }

  /**
   * Registers the surveys shipped with the project. A survey the registry does not have yet gets
   * its bundled version, published. A survey whose newest version is a published bundled one
   * follows the shipped files: when they changed (a corrected translation, a new option), the
   * change is a new version, published, so new conversations get it and running ones keep theirs.
   * A survey an operator has imported a version of, or closed, is left as the operator left it.
   */
  async syncBundled(): Promise<{ registered: string[] }> {
    const registered: string[] = [];
    const all = await this.list();
    for (const { id, file } of bundledSurveyFiles()) {
      const pkg = bundledPackage(file, this.locales);
      const versions = all.find((s) => s.id === id)?.versions ?? [];
      const latest = versions.at(-1);
      if (latest && (latest.source !== 'bundled' || latest.state !== 'published')) continue;
      if (latest && latest.contentHash === contentHash(pkg)) continue;
      const version = latest ? latest.version + 1 : pkg.definition.version;
      try {
        await this.insert({ ...pkg, definition: { ...pkg.definition, version } }, 'bundled', 'published', latest && (await this.read(id, latest.version)));
        registered.push(`${id} v${version}`);
      } catch (err) {
        // Another process registered it at the same moment.
        if (!(err instanceof SurveyVersionExistsError)) throw err;
      }
    }
    return { registered };
  }

  /**
   * A package imported from a spreadsheet, as a new draft version (the next number, whatever the
   * sheet's `version` says if that one is taken). Unchanged content makes no version.
   */
  async importPackage(pkg: SurveyPackage): Promise<{ version: number; created: boolean }> {
    const versions = (await this.list()).find((s) => s.id === pkg.definition.id)?.versions ?? [];
    const hash = contentHash(pkg);
    const same = versions.find((v) => v.contentHash === hash);
    if (same) return { version: same.version, created: false };
    const latest = versions.at(-1);
    const wanted = pkg.definition.version;
    const version = versions.some((v) => v.version === wanted) || (latest && wanted <= latest.version) ? (latest?.version ?? 0) + 1 : wanted;
    await this.insert(
      { ...pkg, definition: { ...pkg.definition, version } },
      'import',
      'draft',
      latest && (await this.read(pkg.definition.id, latest.version)),
    );
    return { version, created: true };
  }

  /** Publishes a draft (the newest one when no version is given): new conversations start on it. */
  async publish(surveyId: string, version?: number): Promise<number> {
    const v = await this.pick(surveyId, version, 'draft');
    await this.move(v, 'published');
    return v.version;
  }

  /** Closes every open version of a survey: respondents who write to it are told it has ended. */
  async close(surveyId: string): Promise<number[]> {
    const versions = (await this.list()).find((s) => s.id === surveyId)?.versions;
    if (!versions) throw new RegistryError(`No survey ${surveyId}.`);
    const open = versions.filter((v) => v.state !== 'closed');
    for (const v of open) await this.move(v, 'closed');
    return open.map((v) => v.version);
  }

  private async pick(surveyId: string, version: number | undefined, state: 'draft'): Promise<SurveyVersionInfo> {
    const versions = (await this.list()).find((s) => s.id === surveyId)?.versions;
    if (!versions) throw new RegistryError(`No survey ${surveyId}.`);
    const v = version === undefined ? versions.filter((x) => x.state === state).at(-1) : versions.find((x) => x.version === version);
    if (!v) throw new RegistryError(version === undefined ? `Survey ${surveyId} has no ${state} version.` : `Survey ${surveyId} has no version ${version}.`);
    return v;
  }

  private async move(v: SurveyVersionInfo, state: 'published' | 'closed'): Promise<void> {
    if (!NEXT_STATES[v.state].includes(state)) throw new RegistryError(`Survey ${v.surveyId} v${v.version} is ${v.state}; it cannot become ${state}.`);
    await this.store.setSurveyVersionState(v.surveyId, v.version, state, floorHour(this.now()));
  }

  private async insert(pkg: SurveyPackage, source: SurveyVersionSource, state: 'draft' | 'published', previous?: SurveyPackage): Promise<void> {
    const at = floorHour(this.now());
    const record: SurveyVersionRecord = {
      surveyId: pkg.definition.id,
      version: pkg.definition.version,
      state,
      source,
      definition: pkg.definition,
      texts: pkg.texts,
      provenance: carriedProvenance(pkg, previous),
      contentHash: contentHash(pkg),
      createdAt: at,
      ...(state === 'published' ? { publishedAt: at } : {}),
    };
    await this.store.insertSurveyVersion(record);
  }
}

/** The newest published version, if any. */
export function currentOf(versions: readonly SurveyVersionInfo[]): number | undefined {
  return versions.filter((v) => v.state === 'published').at(-1)?.version;
}

/**
 * A new version's provenance, string by string: a translation whose source text changed while it
 * stayed the same is stale (kept, marked for review, never dropped: Kobo's users lost translations
 * this way, kpi #2363, #6587); everything else keeps what the package says.
 */
export function carriedProvenance(pkg: SurveyPackage, previous?: SurveyPackage): PackageProvenance {
  if (!previous) return pkg.provenance;
  const source = pkg.definition.defaultLanguage ?? 'en';
  const before = flattenTexts(previous.texts[source]);
  const now = flattenTexts(pkg.texts[source]);
  const out: PackageProvenance = {};
  for (const [lng, byKey] of Object.entries(pkg.provenance)) {
    out[lng] = { ...byKey };
    const oldTexts = flattenTexts(previous.texts[lng]);
    for (const [key, text] of flattenTexts(pkg.texts[lng])) {
      const earlier = previous.provenance[lng]?.[key];
      const kept = oldTexts.has(key) && JSON.stringify(oldTexts.get(key)) === JSON.stringify(text);
      const sourceChanged = lng !== source && before.has(key) && JSON.stringify(before.get(key)) !== JSON.stringify(now.get(key));
      // A text nobody touched keeps who wrote or reviewed it; one whose source moved under it is stale.
      if (kept && sourceChanged) out[lng][key] = { ...(earlier ?? out[lng][key] ?? { by: 'unknown' }), status: 'stale' };
      else if (kept && earlier) out[lng][key] = earlier;
    }
  }
  return out;
}
