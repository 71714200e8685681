import type { Locales } from './i18n';
import { stringProvenance } from './stringProvenance';

/** Who wrote one survey string, as analysts are shown it: drafted, reviewed (by whom, when), or stale. */
export interface WordingProvenance {
  status: string;
  by: string;
  date?: string;
}

/**
 * Where the words of one survey version are, for the analysts' side (labels in exports and the
 * analysis, the codebook): the i18next namespace its texts are loaded under, and each string's
 * provenance. The files in `locales/` are the namespace `<surveyId>` with the provenance the
 * locale folders record; a version read from the survey registry is the namespace
 * `<surveyId>@<version>` with the provenance stored with it.
 */
export interface SurveyWording {
  ns: string;
  /** The provenance of `key` as shown in `lng`: its own text's, or the fallback language's where it has none. */
  provenance(lng: string, key: string): WordingProvenance;
}

/** The survey's texts in `locales/<lng>/<surveyId>.json`. */
export function localeWording(locales: Locales, surveyId: string): SurveyWording {
  return {
    ns: surveyId,
    provenance(lng, key) {
      const p = stringProvenance(locales, lng, surveyId, key);
      return { status: p.status, by: p.by, ...(p.date ? { date: p.date } : {}) };
    },
  };
}

/**
 * A survey version's texts as loaded into `ns`, with the provenance stored beside them (per locale
 * and dotted key). A locale without a text of its own shows its fallback's, so that one's
 * provenance is given, as {@link localeWording} does; a string with no stored provenance gets the
 * locale's default (meta.json).
 */
export function storedWording(locales: Locales, ns: string, provenance: Readonly<Record<string, Readonly<Record<string, WordingProvenance>>>>): SurveyWording {
  return {
    ns,
    provenance(lng, key) {
      const shown = locales.lookupOrder(lng).find((l) => locales.i18n.getResource(l, ns, key) !== undefined) ?? lng;
      const p = provenance[shown]?.[key];
      if (p) return { status: p.status, by: p.by, ...(p.date ? { date: p.date } : {}) };
      const meta = locales.byTag.get(shown);
      return { status: meta?.provenance.status ?? 'drafted', by: meta?.provenance.by ?? 'unknown' };
    },
  };
}
