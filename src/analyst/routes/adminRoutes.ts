import { jsonBody } from './jsonBody';
import { AnalystNameTakenError, AnalystTokenInfo, StoredAuditEntry } from '../../store/analystStore';
import { hourOf, issueToken, TokenRequestError } from '../auth';
import { Call, Route, RouteContext, json } from './call';
import { PARAMETERS, expectParameters, shown, wholeNumber } from './parameters';
import { Refusal } from './refusal';

/** Admin only: issuing, listing and revoking analyst tokens, and reading the audit log. */
export function registerAdminRoutes(route: Route, ctx: RouteContext): void {
  route('get', '/tokens', 'admin', (c) => listTokens(c, ctx));
  route('post', '/tokens', 'admin', (c) => addToken(c, ctx));
  route('del', '/tokens/:name', 'admin', (c) => revokeToken(c, ctx));
  route('get', '/audit', 'admin', (c) => readAudit(c, ctx));
}

async function listTokens(c: Call, ctx: RouteContext): Promise<void> {
  expectParameters(c.query, PARAMETERS.none);
  const tokens = await ctx.deps.analysts.listTokens();
  await c.audit('ok');
  json(c.res, 200, { tokens: tokens.map(tokenJson) });
}

async function addToken(c: Call, ctx: RouteContext): Promise<void> {
  expectParameters(c.query, PARAMETERS.none);
  const body = await jsonBody(c.req);
  const name = typeof body?.name === 'string' ? body.name : '';
  const role = typeof body?.role === 'string' ? body.role : 'analyst';
  const filters = { name: shown(name), role: shown(role) };
  if (!body) throw new Refusal(400, 'bad_body', 'bad_body');
  let issued: Awaited<ReturnType<typeof issueToken>>;
  try {
    issued = await issueToken(ctx.deps.analysts, { name, role }, ctx.now());
  } catch (err) {
    if (err instanceof TokenRequestError) throw new Refusal(400, err.reason, err.reason, {}, 'bad_request', filters);
    if (err instanceof AnalystNameTakenError) throw new Refusal(409, 'name_taken', 'name_taken', { name: shown(name) }, 'bad_request', filters);
    throw err;
  }
  await c.audit('ok', filters);
  ctx.deps.logger.info({ event: 'analyst_token_issued', role: issued.info.role }, 'analyst token issued');
  json(c.res, 201, { ...tokenJson(issued.info), token: issued.token });
}

async function revokeToken(c: Call, ctx: RouteContext): Promise<void> {
  expectParameters(c.query, PARAMETERS.none);
  const name = String((c.req.params as Record<string, unknown> | undefined)?.name ?? '');
  const filters = { name: shown(name) };
  const tokens = await ctx.deps.analysts.listTokens();
  const target = tokens.find((t) => t.name === name && t.revokedAt === null);
  if (!target) throw new Refusal(404, 'no_such_token', 'no_such_token', { name: shown(name) }, 'bad_request', filters);
  // Locking every admin out over HTTP would leave only the server's command line.
  if (target.role === 'admin' && tokens.filter((t) => t.role === 'admin' && t.revokedAt === null).length === 1) {
    throw new Refusal(409, 'last_admin', 'last_admin', { name: shown(name) }, 'bad_request', filters);
  }
  const revoked = await ctx.deps.analysts.revokeToken(name, hourOf(ctx.now()));
  if (revoked) ctx.verifier.forget(revoked.id);
  await c.audit('ok', filters);
  ctx.deps.logger.info({ event: 'analyst_token_revoked' }, 'analyst token revoked');
  json(c.res, 200, tokenJson(revoked ?? target));
}

async function readAudit(c: Call, ctx: RouteContext): Promise<void> {
  const q = expectParameters(c.query, PARAMETERS.audit);
  const limit = wholeNumber(q, 'limit', 1, 500) ?? 100;
  const before = wholeNumber(q, 'before', 1, Number.MAX_SAFE_INTEGER);
  const entries = await ctx.deps.analysts.readAudit({ limit, beforeSeq: before });
  await c.audit('ok');
  json(c.res, 200, { entries: entries.map(auditJson), next: entries.length === limit ? entries[entries.length - 1].seq : null });
}

function tokenJson(t: AnalystTokenInfo) {
  return { name: t.name, role: t.role, id: t.id, createdAt: t.createdAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null };
}

function auditJson(e: StoredAuditEntry) {
  return { seq: e.seq, hour: e.hour.toISOString(), token: e.tokenName, action: e.action, filters: e.filters, outcome: e.outcome };
}
