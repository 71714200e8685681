import { once } from 'node:events';
import { Writable } from 'node:stream';
import { stringify, Stringifier } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { Cell, ExportColumn, FreeTextItem } from './exportPlan';

/**
 * The three export formats behind one interface, each streaming: rows are written as they come
 * from the store, so memory stays flat however many responses there are.
 */
export interface ExportSink {
  start(columns: readonly ExportColumn[]): Promise<void>;
  row(cells: readonly Cell[]): Promise<void>;
  /** Writes what follows the rows (free text, codebook, disclosure report); the caller ends the output. */
  finish(extra: SinkExtras): Promise<void>;
}

export interface Table {
  header: string[];
  rows: string[][];
}

export interface SinkExtras {
  /** Redacted and shuffled apart from the rows; absent unless asked for. */
  freeText?: FreeTextItem[];
  codebook: Table;
  provenance: Table;
  disclosure: Table;
  /** For JSON: the same, as structured data. */
  json: { codebook: unknown; disclosure: unknown };
}

// OWASP "CSV injection": a cell a spreadsheet would read as a formula (= + - @, or a tab, CR or LF
// that some programs strip before looking) is prefixed with an apostrophe. Only text cells: a
// negative number in a numeric column is a number, and must stay one.
const FORMULA_START = /^[=+\-@\t\r\n]/;

export function guardFormula(cell: Cell): Cell {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

async function write(stream: Stringifier, record: unknown[]): Promise<void> {
  if (!stream.write(record)) await once(stream, 'drain');
}

function csvStream(out: Writable, bom: boolean): { stream: Stringifier; done: Promise<void> } {
  // RFC 4180: CRLF between records, quotes doubled, fields quoted when they hold a comma, quote
  // or line break. The BOM is for Excel, which otherwise reads UTF-8 as the local code page.
  const stream = stringify({ record_delimiter: 'windows', bom, cast: { boolean: (v) => (v ? 'true' : 'false') } });
  stream.pipe(out, { end: false });
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return { stream, done };
}

/** CSV: the answers to `out`; free text, when asked for, to its own file. */
export class CsvSink implements ExportSink {
  private csv?: { stream: Stringifier; done: Promise<void> };

  constructor(
    private readonly out: Writable,
    private readonly options: { bom?: boolean; freeTextOut?: Writable } = {},
  ) {}

  async start(columns: readonly ExportColumn[]): Promise<void> {
    this.csv = csvStream(this.out, this.options.bom ?? false);
    await write(
      this.csv.stream,
      columns.map((c) => c.name),
    );
  }

  async row(cells: readonly Cell[]): Promise<void> {
    await write(this.csv!.stream, cells.map(guardFormula));
  }

  async finish(extra: SinkExtras): Promise<void> {
    this.csv!.stream.end();
    await this.csv!.done;
    if (extra.freeText && this.options.freeTextOut) {
      const free = csvStream(this.options.freeTextOut, this.options.bom ?? false);
      await write(free.stream, ['question', 'text']);
      for (const item of extra.freeText) await write(free.stream, [item.question, guardFormula(item.text)]);
      free.stream.end();
      await free.done;
    }
  }
}

/** A table as CSV text (the codebook on its own). */
export async function writeCsvTable(out: Writable, table: Table, bom = false): Promise<void> {
  const csv = csvStream(out, bom);
  await write(csv.stream, table.header);
  for (const r of table.rows) await write(csv.stream, r.map(guardFormula));
  csv.stream.end();
  await csv.done;
}

/**
 * XLSX through exceljs's streaming writer: an answers sheet, then the free text (if asked for),
 * the codebook, the locales' provenance and what disclosure control did. Cells are typed (numbers
 * as numbers, text as text), so a formula-looking answer stays text; the CSV guard is kept anyway
 * for analysts who save the sheet as CSV.
 */
export class XlsxSink implements ExportSink {
  private workbook!: ExcelJS.stream.xlsx.WorkbookWriter;
  private answers?: ExcelJS.Worksheet;

  constructor(private readonly out: Writable) {}

  async start(columns: readonly ExportColumn[]): Promise<void> {
    this.workbook = await xlsxWriter(this.out);
    this.answers = this.workbook.addWorksheet('answers');
    this.answers.addRow(columns.map((c) => c.name)).commit();
  }

  async row(cells: readonly Cell[]): Promise<void> {
    this.answers!.addRow(cells.map((c) => (c === null ? null : guardFormula(c)))).commit();
  }

  async finish(extra: SinkExtras): Promise<void> {
    this.answers!.commit();
    if (extra.freeText) this.sheet('free_text', { header: ['question', 'text'], rows: extra.freeText.map((f) => [f.question, String(guardFormula(f.text))]) });
    this.sheet('codebook', extra.codebook);
    this.sheet('locales', extra.provenance);
    this.sheet('disclosure', extra.disclosure);
    await this.workbook.commit();
  }

  private sheet(name: string, table: Table): void {
    const ws = this.workbook.addWorksheet(name);
    ws.addRow(table.header).commit();
    for (const r of table.rows) ws.addRow(r).commit();
    ws.commit();
  }
}

/** exceljs is large (tens of megabytes in memory); only XLSX exports load it. */
export async function xlsxWriter(out: Writable): Promise<ExcelJS.stream.xlsx.WorkbookWriter> {
  const { default: excel } = await import('exceljs');
  return new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
}

/** JSON: one object, with the records streamed as an array between its metadata. */
export class JsonSink implements ExportSink {
  private names: string[] = [];
  private first = true;

  constructor(
    private readonly out: Writable,
    private readonly head: Record<string, unknown>,
  ) {}

  async start(columns: readonly ExportColumn[]): Promise<void> {
    this.names = columns.map((c) => c.name);
    const head = JSON.stringify(this.head, null, 2);
    await this.put(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "records": [`);
  }

  async row(cells: readonly Cell[]): Promise<void> {
    const record: Record<string, Cell> = {};
    this.names.forEach((n, i) => (record[n] = cells[i]));
    await this.put(`${this.first ? '\n' : ',\n'}    ${JSON.stringify(record)}`);
    this.first = false;
  }

  async finish(extra: SinkExtras): Promise<void> {
    const tail: Record<string, unknown> = { disclosure: extra.json.disclosure, codebook: extra.json.codebook };
    if (extra.freeText) tail.freeText = extra.freeText;
    const body = JSON.stringify(tail, null, 2);
    await this.put(`${this.first ? '' : '\n  '}],\n${body.slice(body.indexOf('{') + 1)}\n`);
  }

  private async put(text: string): Promise<void> {
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
