import { ExportFormat, ExportRequest } from '../../export/exportService';
import { hourOf } from '../auth';
import { ANALYST_API } from '../analystDeps';
import { FilterName, SelectionProblem } from '../differencing';
import { Call, Route, RouteContext } from './call';
import { PARAMETERS, choice, expectParameters, parametersOf, shown, week } from './parameters';
import { Refusal } from './refusal';
import { ResponseStream } from './responseStream';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

/** Channel kinds as the bot stores them ("web", "sms", "emulator", …). */
const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

/** The record-level export (never with free text) and the codebook that describes it. */
export function registerExportRoutes(route: Route, ctx: RouteContext): void {
  route('get', '/export', 'analyst', (c) => exportResponses(c, ctx));
  route('get', '/codebook', 'analyst', (c) => codebook(c, ctx));
}

async function exportResponses(c: Call, ctx: RouteContext): Promise<void> {
  if (c.query.has('include_free_text') || c.query.has('free_text')) throw new Refusal(400, 'no_free_text', 'no_free_text');
  const q = expectParameters(c.query, PARAMETERS.export);
  const { locales, service, analysts } = ctx.deps;
  const format = choice(q, 'format', ['csv', 'xlsx', 'json'] as const) ?? 'csv';
  const labels = choice(q, 'labels', locales.tags);
  const codebookLanguage = choice(q, 'codebook_language', ['nb', 'en'] as const) ?? (labels === 'nb' || labels === 'en' ? labels : c.lng);
  const status = choice(q, 'status', ['completed', 'all'] as const) ?? 'completed';
  const language = choice(q, 'language', locales.tags);
  const bom = choice(q, 'bom', ['true', 'false'] as const) === 'true';
  const from = week(q, 'from');
  const to = week(q, 'to');
  if (from && to && from > to) throw new Refusal(400, 'bad_parameter', 'bad_range');
  const channel = q.get('channel') ?? undefined;
  if (channel !== undefined && !CHANNEL.test(channel)) throw new Refusal(400, 'bad_parameter', 'bad_channel', { value: shown(channel) });
  const versionText = q.get('version') ?? undefined;
  const chosen = await ctx.chosenSurvey(q);
  const filter: ExportRequest['filter'] = {
    status: status === 'all' ? undefined : 'completed',
    surveyVersion: versionText === undefined ? undefined : Number(versionText),
    language,
    channel,
    fromPeriod: from,
    toPeriod: to,
  };
  await ctx.heavyWork(async () => {
    const problem = await service.exportSelectionProblem(filter, chosen.id);
    if (problem) throw refusalOf(problem, service.minK, (key, vars) => ctx.t(c.lng, key, vars));
    // Before the first byte: no data leaves without its audit row.
    await c.audit('ok');
    c.res.setHeader('Content-Type', CONTENT_TYPES[format]);
    c.res.setHeader('Content-Disposition', `attachment; filename="${chosen.id}-v${filter.surveyVersion ?? chosen.version}-responses.${format}"`);
    const out = new ResponseStream(c.res);
    try {
      await service.export({ survey: chosen.id, format, labels, codebookLanguage, bom, includeFreeText: false, filter }, out);
      await out.close();
    } catch (err) {
      if (!c.res.headersSent) {
        c.res.removeHeader('Content-Disposition');
        c.res.removeHeader('Content-Type');
      }
      await analysts
        .appendAudit({
          hour: hourOf(ctx.now()),
          tokenName: c.identity.name,
          action: `GET ${ANALYST_API}/export`,
          filters: parametersOf(c.query),
          outcome: 'error',
        })
        .catch(() => undefined);
      throw err;
    }
  });
}

async function codebook(c: Call, ctx: RouteContext): Promise<void> {
  const q = expectParameters(c.query, PARAMETERS.codebook);
  const format = choice(q, 'format', ['json', 'csv', 'xlsx'] as const) ?? 'json';
  const lang = choice(q, 'lang', ['nb', 'en'] as const) ?? c.lng;
  // CSV is one table: the columns, or with history=true the version history (JSON and XLSX hold both).
  const history = choice(q, 'history', ['true', 'false'] as const) === 'true';
  const chosen = await ctx.chosenSurvey(q);
  await c.audit('ok');
  const part = history && format === 'csv' ? 'versions' : 'codebook';
  c.res.setHeader('Content-Type', CONTENT_TYPES[format]);
  c.res.setHeader('Content-Disposition', `attachment; filename="${chosen.id}-v${chosen.version}-${part}-${lang}.${format}"`);
  const out = new ResponseStream(c.res);
  await ctx.deps.service.writeCodebook(format, lang, out, { survey: chosen.id, version: chosen.version }, { history });
  await out.close();
}

/** The refusal of a filtered export: says what to widen, never how many responses there are. */
function refusalOf(problem: SelectionProblem, k: number, t: (key: string, vars?: Record<string, unknown>) => string): Refusal {
  if (problem.kind === 'too_few') return new Refusal(422, 'too_few', 'too_few', { k }, 'refused');
  if (problem.kind === 'too_few_in_part_of_range') return new Refusal(422, 'too_few', 'too_few_in_part_of_range', { k }, 'refused');
  const names = problem.dropped.map((d: FilterName) => t('quoted', { name: d }));
  const filters = names.length > 1 ? `${names.slice(0, -1).join(', ')}${t('and')}${names[names.length - 1]}` : names[0];
  return new Refusal(422, 'too_few', 'too_few_apart', { k, filters }, 'refused');
}
