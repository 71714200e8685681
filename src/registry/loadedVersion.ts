import { Locales } from '../language/i18n';
import { SurveyPackage } from './surveyPackage';
import { SurveyRegistry } from './surveyRegistry';

/** A registry version with its texts added to i18next under its namespace, `<id>@<version>`. */
export interface LoadedVersion {
  ns: string;
  pkg: SurveyPackage;
}

// Per Locales (one i18next instance), so the bot's catalog and the analysts' resolver of one
// process read a version once and share its namespace.
const loaded = new WeakMap<Locales, Map<string, Promise<LoadedVersion>>>();

/** Reads a version from the registry on first use and loads its texts; kept for the process. */
export function loadVersion(registry: SurveyRegistry, locales: Locales, id: string, version: number): Promise<LoadedVersion> {
  const ns = `${id}@${version}`;
  let byNs = loaded.get(locales);
  if (!byNs) loaded.set(locales, (byNs = new Map()));
  let entry = byNs.get(ns);
  if (!entry) {
    entry = (async () => {
      const pkg = await registry.read(id, version);
      for (const [lng, tree] of Object.entries(pkg.texts)) locales.i18n.addResourceBundle(lng, ns, tree, true, true);
      return { ns, pkg };
    })();
    // A failed read (the database unreachable) is tried again by the next caller.
    entry.catch(() => byNs.delete(ns));
    byNs.set(ns, entry);
  }
  return entry;
}
