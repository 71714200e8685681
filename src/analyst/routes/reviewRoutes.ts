import { FREE_TEXT_STATES, FreeTextDecision, FreeTextItemRecord } from '../../store/reviewStore';
import { placeholderSpans, redactSpan } from '../../export/freeTextReview';
import { ChosenSurvey } from '../analystService';
import { Call, Route, RouteContext, json } from './call';
import { jsonBody } from './jsonBody';
import { choice, expectParameters, shown, wholeNumber } from './parameters';
import { Refusal } from './refusal';

const ITEM_ID = /^[A-Za-z0-9_-]{12}$/;

/**
 * The free-text review queue, for the reviewer role (and admins): list the items of a survey,
 * approve one, redact a span of it, or delete it. Each call is audited by the route guard with
 * the item's id and never its text; the reviewer sees only redacted text.
 */
export function registerReviewRoutes(route: Route, ctx: RouteContext): void {
  route('get', '/review/items', 'reviewer', (c) => listItems(c, ctx));
  route('post', '/review/items/:id/approve', 'reviewer', (c) => decide(c, ctx, 'approve'));
  route('post', '/review/items/:id/redact', 'reviewer', (c) => decide(c, ctx, 'redact'));
  route('post', '/review/items/:id/delete', 'reviewer', (c) => decide(c, ctx, 'delete'));
}

async function listItems(c: Call, ctx: RouteContext): Promise<void> {
  const q = expectParameters(c.query, ['survey', 'version', 'state', 'limit']);
  const chosen = await ctx.chosenSurvey(q);
  const state = choice(q, 'state', FREE_TEXT_STATES) ?? 'pending';
  const limit = wholeNumber(q, 'limit', 1, 500) ?? 100;
  const { items, counts } = await ctx.heavyWork(() => ctx.deps.service.freeTextQueue(chosen, { state, limit, allVersions: !q.has('version') }));
  await c.audit('ok');
  json(c.res, 200, { survey: chosen.id, version: q.has('version') ? chosen.version : null, counts, items: items.map((i) => itemJson(i, chosen, c, ctx)) });
}

async function decide(c: Call, ctx: RouteContext, action: FreeTextDecision['action']): Promise<void> {
  expectParameters(c.query, []);
  const id = String((c.req.params as Record<string, unknown> | undefined)?.id ?? '');
  const filters: Record<string, string> = { item: shown(id), action };
  if (!ITEM_ID.test(id)) throw new Refusal(404, 'no_such_item', 'no_such_item', {}, 'bad_request', filters);
  let decision: FreeTextDecision = { action: action as 'approve' | 'delete' };
  if (action === 'redact') {
    const body = await jsonBody(c.req);
    const item = await ctx.deps.service.freeTextItem(id);
    if (!item || item.state === 'deleted') throw new Refusal(404, 'no_such_item', 'no_such_item', {}, 'bad_request', filters);
    const start = Number(body?.start);
    const end = Number(body?.end);
    // Offsets, never the selected words: the audit keeps where the reviewer cut, not what.
    Object.assign(filters, { start: shown(String(body?.start)), end: shown(String(body?.end)) });
    const text = redactSpan(item.text, start, end);
    if (text === undefined) throw new Refusal(400, 'bad_span', 'bad_span', { length: item.text.length }, 'bad_request', filters);
    decision = { action: 'redact', text };
  }
  const item = await ctx.deps.service.reviewFreeText(id, decision);
  if (!item) throw new Refusal(404, 'no_such_item', 'no_such_item', {}, 'bad_request', filters);
  await c.audit('ok', filters);
  json(c.res, 200, { id: item.id, state: item.state, text: item.text, marks: placeholderSpans(item.text) });
}

function itemJson(item: FreeTextItemRecord, chosen: ChosenSurvey, c: Call, ctx: RouteContext) {
  const question = ctx.deps.locales.i18n.t(`${chosen.wording.ns}:questions.${item.questionId}.text`, { lng: c.lng, defaultValue: item.questionId }) as string;
  return {
    id: item.id,
    question: item.questionId,
    questionText: question,
    version: item.surveyVersion,
    language: item.language,
    state: item.state,
    text: item.text,
    marks: placeholderSpans(item.text),
  };
}
