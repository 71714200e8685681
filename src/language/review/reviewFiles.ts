import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { ReviewUnit } from './reviewUnits';

/**
 * The review file formats: XLIFF 1.2 and 2.0 for translation tools, CSV for a spreadsheet, written
 * from the review units and read back as the reviewer returns them.
 */
export type ReviewFormat = 'xliff' | 'csv';
export type XliffVersion = '1.2' | '2.0';

/** CSV columns, in order. A reviewer edits `text` and writes "yes" in `confirmed` for every string checked and kept. */
export const CSV_COLUMNS = ['locale', 'key', 'en', 'nb', 'text', 'status', 'by', 'date', 'confirmed', 'notes'] as const;

const provenanceNote = (u: ReviewUnit) =>
  u.status === 'missing' ? 'provenance: missing (English is shown)' : `provenance: ${u.status} (${u.by}${u.date ? `, ${u.date}` : ''})`;

/** Writes a review file for `lng`. */
export async function exportTranslations(units: ReviewUnit[], lng: string, format: ReviewFormat, xliffVersion: XliffVersion = '1.2'): Promise<string> {
  if (format === 'csv') {
    const rows = units.map((u) => [lng, u.id, u.en, u.nb, u.text, u.status, u.by, u.date ?? '', '', u.notes.join(' ')]);
    return stringify([[...CSV_COLUMNS], ...rows]);
  }
  const resources: Record<string, Record<string, object>> = {};
  for (const u of units) {
    const note = [`nb: ${u.nb}`, provenanceNote(u), ...u.notes];
    (resources[u.ns] ??= {})[u.key] = {
      source: u.en,
      target: u.text,
      note,
      // XLIFF 1.2 marks a confirmed translation approved="yes"; 2.0 uses the segment state (below).
      ...(xliffVersion === '1.2' ? { additionalAttributes: { approved: 'no' } } : {}),
    };
  }
  const doc = { sourceLanguage: 'en', targetLanguage: lng, resources };
  if (xliffVersion === '1.2') {
    const { default: jsToXliff12 } = await import('xliff/jsToXliff12');
    return jsToXliff12(doc);
  }
  const { default: js2xliff } = await import('xliff/js2xliff');
  // The library writes no segment state; text content is escaped, so "<segment>" is only ever a tag.
  return (await js2xliff(doc)).replace(/<segment>/g, '<segment state="translated">');
}

/** One string as read back from a review file. */
export interface ReturnedUnit {
  id: string;
  /** The English source as it was when the file was exported. */
  en: string;
  text: string;
  confirmed: boolean;
}

/** What a review file holds. */
export interface ReviewFile {
  lng: string;
  units: ReturnedUnit[];
}

/** Reads an XLIFF 1.2 or 2.0 file, or a CSV file with {@link CSV_COLUMNS}, as exported. */
export async function parseReviewFile(content: string): Promise<ReviewFile> {
  // A spreadsheet may save a byte-order mark; csv-parse reads past it, and the XLIFF check does too.
  if (
    content
      .trimStart()
      .replace(/^\p{Cf}+/u, '')
      .startsWith('<')
  )
    return parseXliff(content.replace(/^\p{Cf}+/u, ''));
  return parseCsv(content);
}

async function parseXliff(xml: string): Promise<ReviewFile> {
  const v12 = /<xliff\b[^>]*\bversion="1\.2"/.test(xml);
  type Unit = { source?: unknown; target?: unknown; additionalAttributes?: Record<string, string> };
  type Doc = { targetLanguage?: string; resources: Record<string, Record<string, Unit>> };
  const doc = (await (v12 ? (await import('xliff/xliff12ToJs')).default(xml) : (await import('xliff/xliff2js')).default(xml))) as Doc;
  if (!doc.targetLanguage) throw new Error('The XLIFF file names no target language.');
  const states = v12 ? new Map<string, string>() : segmentStates(xml);
  const units: ReturnedUnit[] = [];
  for (const [ns, byKey] of Object.entries(doc.resources)) {
    for (const [key, u] of Object.entries(byKey)) {
      const id = `${ns}:${key}`;
      const confirmed = v12 ? u.additionalAttributes?.approved === 'yes' : ['reviewed', 'final'].includes(states.get(id) ?? '');
      units.push({ id, en: plainText(u.source), text: plainText(u.target), confirmed });
    }
  }
  return { lng: doc.targetLanguage, units };
}

/** Inline markup a translation tool may add (placeholders, spans) counts as its text. */
function plainText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(plainText).join('');
  if (typeof v === 'object')
    return Object.values(v as Record<string, { contents?: unknown }>)
      .map((e) => plainText(e?.contents))
      .join('');
  return String(v);
}

/**
 * XLIFF 2.0 keeps a segment's review state on `<segment state="…">`, which the xliff package does
 * not read; file, unit and segment start tags are found in document order.
 */
function segmentStates(xml: string): Map<string, string> {
  const states = new Map<string, string>();
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  let file = '';
  let unit = '';
  for (const m of xml.matchAll(/<(file|unit|segment)\b([^>]*)>/g)) {
    if (m[1] === 'file') file = attr(m[2], 'id') ?? '';
    else if (m[1] === 'unit') unit = attr(m[2], 'id') ?? '';
    else if (!states.has(`${file}:${unit}`)) states.set(`${file}:${unit}`, attr(m[2], 'state') ?? '');
  }
  return states;
}

/**
 * RFC 4180 CSV, as spreadsheets save it: comma, semicolon or tab (whichever the header line uses
 * most), quoted fields with line breaks, a byte-order mark; read by csv-parse.
 */
export function parseCsvRows(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function parseCsv(text: string): ReviewFile {
  const [header, ...rows] = parseCsvRows(text);
  const col = (name: (typeof CSV_COLUMNS)[number]) => {
    const i = (header ?? []).findIndex((h) => h.trim().toLowerCase() === name);
    if (i < 0) throw new Error(`The CSV file has no "${name}" column; expected ${CSV_COLUMNS.join(', ')}.`);
    return i;
  };
  const [locale, key, en, value, confirmed] = [col('locale'), col('key'), col('en'), col('text'), col('confirmed')];
  const lngs = [...new Set(rows.map((r) => (r[locale] ?? '').trim()))];
  if (lngs.length !== 1 || !lngs[0]) throw new Error(`The CSV file must hold one locale; it holds ${lngs.filter(Boolean).join(', ') || 'none'}.`);
  const yes = (s: string | undefined) => /^(yes|y|ja|x|true|1)$/i.test((s ?? '').trim());
  return { lng: lngs[0], units: rows.map((r) => ({ id: (r[key] ?? '').trim(), en: r[en] ?? '', text: r[value] ?? '', confirmed: yes(r[confirmed]) })) };
}
