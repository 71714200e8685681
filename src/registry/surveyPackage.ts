import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Locales } from '../language/i18n';
import { stringProvenance } from '../language/stringProvenance';
import { surveysDir } from '../paths';
import { SurveyDefinition } from '../survey/definition';
import { validateSurvey } from '../survey/validate';

/**
 * A survey version as the registry holds it: the definition, its texts per locale (an i18next
 * namespace object each: title, consent, questions, options, thanks) and each text's provenance.
 * One package is one version; its content hash tells whether an import changes anything.
 */
export interface SurveyPackage {
  definition: SurveyDefinition;
  texts: Record<string, TextTree>;
  provenance: PackageProvenance;
}

export type TextTree = { [key: string]: string | string[] | TextTree };

/**
 * Per locale and dotted key: who wrote the text, and its state. `stale` keeps a translation whose
 * source text changed in a later version, marked for review rather than dropped.
 */
export type PackageProvenance = Record<string, Record<string, TextProvenance>>;
export interface TextProvenance {
  status: 'drafted' | 'reviewed' | 'stale';
  by: string;
  date?: string;
}

/**
 * SHA-256 over the definition and the texts, keys sorted, so that the same content hashes the same
 * however it was written. Not over the version number: a sheet that says `version 1` about what
 * is already stored as version 2 is no change.
 */
export function contentHash(pkg: Pick<SurveyPackage, 'definition' | 'texts'>): string {
  const { version: _version, ...definition } = pkg.definition;
  return crypto
    .createHash('sha256')
    .update(stableJson({ definition, texts: pkg.texts }))
    .digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Every text of a tree by dotted key. */
export function flattenTexts(tree: TextTree | undefined, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of Object.entries(tree ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' || Array.isArray(v)) out.set(key, v);
    else for (const [kk, vv] of flattenTexts(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Sets a dotted key in a tree. */
export function setText(tree: TextTree, key: string, value: string | string[]): void {
  const parts = key.split('.');
  let node = tree;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as TextTree;
  node[parts[parts.length - 1]] = value;
}

/** The survey definitions shipped with the project: `src/survey/definitions/<id>.v<N>.json`, newest version of each. */
export function bundledSurveyFiles(dir: string = surveysDir): { id: string; version: number; file: string }[] {
  const newest = new Map<string, { id: string; version: number; file: string }>();
  for (const f of fs.readdirSync(dir)) {
    const m = /^([a-z][a-z0-9-]*)\.v(\d+)\.json$/.exec(f);
    if (!m) continue;
    const entry = { id: m[1], version: Number(m[2]), file: path.join(dir, f) };
    if ((newest.get(entry.id)?.version ?? 0) < entry.version) newest.set(entry.id, entry);
  }
  return [...newest.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * A survey shipped with the project, as a package: the definition file and, from every locale
 * folder that has it, `locales/<lng>/<surveyId>.json`, with each string's provenance as the
 * locale files record it (meta.json, provenance.json).
 */
export function bundledPackage(file: string, locales: Locales, dir: string = locales.dir): SurveyPackage {
  const { survey, problems } = validateSurvey(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!survey) throw new Error(`${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  const texts: Record<string, TextTree> = {};
  const provenance: PackageProvenance = {};
  for (const lng of locales.tags) {
    const f = path.join(dir, lng, `${survey.id}.json`);
    if (!fs.existsSync(f)) continue;
    texts[lng] = JSON.parse(fs.readFileSync(f, 'utf8')) as TextTree;
    provenance[lng] = {};
    for (const key of flattenTexts(texts[lng]).keys()) {
      const p = stringProvenance(locales, lng, survey.id, key);
      provenance[lng][key] = { status: p.status, by: p.by, ...(p.date ? { date: p.date } : {}) };
    }
  }
  return { definition: survey, texts, provenance };
}
