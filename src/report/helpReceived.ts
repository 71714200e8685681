import { ProtectedCell, ProtectedTable, protectTable, wilsonInterval } from '../privacy/disclosure';
import { StoredResponse, SurveyStore } from '../store/store';

/**
 * The strategy's central question as a table: of the housing help respondents needed, how much
 * did they get — by language or by background. Counts are area-level answers to "did you get
 * help" (one respondent may count once per area). Every count passes disclosure control
 * (src/privacy/disclosure.ts), and a rate is given only where its numerator and denominator are
 * both published, with a 95 % Wilson interval.
 */
export type GroupBy = 'language' | 'background';
export const OUTCOMES = ['yes', 'partly', 'no', 'waiting'] as const;

export interface HelpReceivedRow {
  group: string;
  /** Share answering "yes", with uncertainty; null where suppression hides the counts. */
  rate: { p: number; lower: number; upper: number } | null;
}

export interface HelpReceivedReport {
  groupBy: GroupBy;
  table: ProtectedTable;
  rates: HelpReceivedRow[];
}

function groupOf(r: StoredResponse, by: GroupBy): string {
  if (by === 'language') return r.language;
  const background = r.answers.find((a) => a.questionId === 'background')?.value;
  return typeof background === 'string' ? background : 'unknown';
}

export async function helpReceived(store: SurveyStore, surveyId: string, by: GroupBy, k: number): Promise<HelpReceivedReport> {
  const responses = await store.listResponses({ surveyId, status: 'completed' });
  const counts = new Map<string, number[]>();
  for (const r of responses) {
    for (const a of r.answers) {
      if (a.questionId !== 'help_got') continue;
      const i = OUTCOMES.indexOf(a.value as (typeof OUTCOMES)[number]);
      if (i < 0) continue;
      const g = groupOf(r, by);
      if (!counts.has(g)) counts.set(g, OUTCOMES.map(() => 0));
      counts.get(g)![i] += 1;
    }
  }
  const groups = [...counts.keys()].sort();
  const table = protectTable({ rowLabels: groups, columnLabels: [...OUTCOMES], counts: groups.map((g) => counts.get(g)!) }, k);
  const published = (c: ProtectedCell) => c.status === 'published' && c.value !== null;
  const rates = groups.map((group, i) => {
    const yes = table.cells[i][0];
    const total = table.rowTotals[i];
    return { group, rate: published(yes) && published(total) && total.value! >= k ? wilsonInterval(yes.value!, total.value!) : null };
  });
  return { groupBy: by, table, rates };
}

/** A plain-text rendering for the terminal; "·" marks a suppressed cell. */
export function formatReport(report: HelpReceivedReport): string {
  const show = (c: ProtectedCell) => (c.value === null ? '·' : String(c.value));
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const header = [report.groupBy, ...OUTCOMES, 'total', 'got help (95% CI)'];
  const rows = report.table.rowLabels.map((g, i) => {
    const r = report.rates[i].rate;
    return [g, ...report.table.cells[i].map(show), show(report.table.rowTotals[i]), r ? `${pct(r.p)} (${pct(r.lower)}–${pct(r.upper)})` : '·'];
  });
  rows.push(['total', ...report.table.columnTotals.map(show), show(report.table.grandTotal), '']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n· suppressed: fewer than ${report.table.k} respondents, or would reveal such a cell\n`;
}
