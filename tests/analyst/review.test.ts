import fs from 'node:fs';
import path from 'node:path';
import { DASHBOARD_ASSETS_DIR } from '../../src/analyst/dashboard';
import { AnalystServer, request, startAnalystServer } from './helpers';

/**
 * The free-text review API and page (issue 20, item 3), through the real routes on a real SQLite
 * file: only reviewers (and admins) read free text; each decision is audited with the item's id
 * and never its text; the reviewer never learns which response an item belongs to.
 */
describe('the free-text review API', () => {
  let s: AnalystServer;
  let analyst: string;
  let reviewer: string;
  beforeAll(async () => {
    s = await startAnalystServer({ responses: 60 });
    analyst = await s.token('plain-analyst');
    reviewer = await s.token('kari-reviewer', 'reviewer');
  });
  afterAll(() => s.close());

  const api = (p: string) => `${s.url}/api/analyst${p}`;
  const auditRows = async () => (await s.analysts.readAudit({ limit: 1000 })).reverse();

  test('refuses analysts with 403 and audits it; a reviewer may still read analyses', async () => {
    const r = await request(api('/review/items'), { token: analyst });
    expect(r.status).toBe(403);
    expect((await auditRows()).slice(-1)[0]).toMatchObject({ tokenName: 'plain-analyst', action: 'GET /api/analyst/review/items', outcome: 'forbidden' });
    const post = await request(api('/review/items/AAAAAAAAAAAA/approve'), { method: 'POST', token: analyst, body: {} });
    expect(post.status).toBe(403);
    expect((await request(api('/analysis?by=language'), { token: reviewer })).status).toBe(200);
    expect((await request(api('/tokens'), { token: reviewer })).status).toBe(403);
  });

  test('lists pending items with what was replaced marked, and nothing that leads to a response', async () => {
    const r = await request(api('/review/items?limit=500'), { token: reviewer });
    expect(r.status).toBe(200);
    const body = r.body as { counts: Record<string, number>; items: Record<string, unknown>[] };
    const completedWithText = s.population.filter(
      (p) =>
        p.status === 'completed' && p.answers.some((a) => ['what_helped', 'municipality'].includes(a.questionId) && typeof a.value === 'string' && a.value),
    );
    expect(body.counts.pending).toBeGreaterThan(0);
    expect(body.items.length).toBe(Math.min(500, body.counts.pending));
    expect(completedWithText.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(['id', 'language', 'marks', 'question', 'questionText', 'state', 'text', 'version']);
      const marks = item.marks as [number, number][];
      for (const [a, b] of marks) expect((item.text as string).slice(a, b)).toMatch(/^<[A-Z]+>$/);
    }
    const ids = new Set(s.population.map((p) => p.id));
    expect(JSON.stringify(r.body)).not.toMatch(new RegExp([...ids].join('|')));
  });

  test('approve, redact a span and delete: each audited with the item id and offsets, never the text', async () => {
    const { items } = (await request(api('/review/items'), { token: reviewer })).body as { items: { id: string; text: string }[] };
    const [a, b, c] = items.filter((i) => i.text.length > 6);
    const approved = await request(api(`/review/items/${a.id}/approve`), { method: 'POST', token: reviewer, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: a.id, state: 'approved' });

    const redacted = await request(api(`/review/items/${b.id}/redact`), { method: 'POST', token: reviewer, body: { start: 0, end: 4 } });
    expect(redacted.status).toBe(200);
    expect((redacted.body as { text: string }).text).toMatch(/^<REDACTED>/);
    expect((redacted.body as { marks: number[][] }).marks[0]).toEqual([0, 10]);
    // A span outside the text is refused with the text's length, and changes nothing.
    const bad = await request(api(`/review/items/${b.id}/redact`), { method: 'POST', token: reviewer, body: { start: 3, end: 100000 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_span' });

    const deleted = await request(api(`/review/items/${c.id}/delete`), { method: 'POST', token: reviewer, body: {} });
    expect(deleted.body).toMatchObject({ state: 'deleted', text: '' });
    expect((await request(api(`/review/items/${c.id}/approve`), { method: 'POST', token: reviewer, body: {} })).status).toBe(404);
    expect((await request(api('/review/items/not-an-id/approve'), { method: 'POST', token: reviewer, body: {} })).status).toBe(404);

    const rows = (await auditRows()).filter((e) => e.tokenName === 'kari-reviewer' && e.action.startsWith('POST'));
    expect(rows.map((e) => [e.action, e.filters.item, e.outcome])).toEqual([
      ['POST /api/analyst/review/items/:id/approve', a.id, 'ok'],
      ['POST /api/analyst/review/items/:id/redact', b.id, 'ok'],
      ['POST /api/analyst/review/items/:id/redact', b.id, 'bad_request'],
      ['POST /api/analyst/review/items/:id/delete', c.id, 'ok'],
      ['POST /api/analyst/review/items/:id/approve', c.id, 'bad_request'],
      ['POST /api/analyst/review/items/:id/approve', 'not-an-id', 'bad_request'],
    ]);
    expect(rows[1].filters).toMatchObject({ start: '0', end: '4' });
    const audit = JSON.stringify(await auditRows());
    for (const item of [a, b, c]) expect(audit).not.toContain(item.text);
    // Each decision's hour only, as every analyst access is kept.
    expect(rows.every((e) => e.hour.getUTCMinutes() === 0 && e.hour.getUTCSeconds() === 0)).toBe(true);

    const counts = ((await request(api('/review/items?state=approved'), { token: reviewer })).body as { counts: Record<string, number> }).counts;
    expect(counts).toMatchObject({ approved: 1, deleted: 1 });
  });

  test('the review page is served like the dashboard: strict CSP, no data, its texts in the reader’s language', async () => {
    const r = await request(`${s.url}/analyst/review`, { headers: { 'accept-language': 'nb' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.text).toContain('<html lang="nb">');
    expect(r.text).toContain('<title>Gjennomgang av fritekst</title>');
    expect(r.text).not.toMatch(/<style|style="|\bon[a-z]+="/i);
    const js = fs.readFileSync(path.join(DASHBOARD_ASSETS_DIR, 'review.js'), 'utf8');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|localStorage/);
    expect((await request(`${s.url}/analyst/assets/review.js`)).status).toBe(200);
  });
});
