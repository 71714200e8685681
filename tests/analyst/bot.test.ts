import path from 'node:path';
import { issueToken } from '../../src/analyst/auth';
import { createAnalystStore } from '../../src/store/createAnalystStore';
import { startTestServer } from '../helpers/http';
import { request } from './helpers';

test('the bot serves the analyst API and the dashboard, with k from ANALYST_MIN_K, beside its channels', async () => {
  const server = await startTestServer({ ANALYST_MIN_K: '6' });
  try {
    const analysts = createAnalystStore(`file:${path.join(server.dataDir, 'survey.db')}`);
    const { token } = await issueToken(analysts, { name: 'wired', role: 'analyst' }, new Date());
    await analysts.close();
    expect((await request(`${server.url}/api/analyst/analysis?by=language`)).status).toBe(401);
    const analysis = await request(`${server.url}/api/analyst/analysis?by=language`, { token });
    expect(analysis.status).toBe(200);
    expect(analysis.body).toMatchObject({ by: 'language', k: 6, responses: 0 });
    const page = await request(`${server.url}/analyst`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await request(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});
