import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { analystCommand, CLI_ACTOR } from '../../src/analyst/analystCommand';
import { TokenVerifier } from '../../src/analyst/auth';
import { main } from '../../src/cli';
import { SqliteAnalystStore } from '../../src/store/sqliteAnalystStore';

function stream(): { stream: PassThrough; text(): string } {
  const chunks: Buffer[] = [];
  const s = new PassThrough();
  s.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  return { stream: s, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** `survey-bot analyst …` against a database it creates itself, as on a fresh server. */
async function run(databaseUrl: string, ...args: string[]) {
  const stdout = stream();
  const stderr = stream();
  const code = await analystCommand(args, { databaseUrl, stdout: stdout.stream, stderr: stderr.stream, now: () => new Date(Date.UTC(2026, 11, 2, 9, 41, 17)) });
  return { code, out: stdout.text(), err: stderr.text() };
}

describe('survey-bot analyst', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyst-cli-'));
  const url = `file:${path.join(dir, 'survey.db')}`;

  test('add prints the new token once, alone on stdout, and stores only its hash', async () => {
    const r = await run(url, 'add', 'kari-admin', '--role', 'admin');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sba_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}\n$/);
    expect(r.err).toMatch(/shown only now/);
    const token = r.out.trim();
    const db = new Database(path.join(dir, 'survey.db'), { readonly: true });
    const everything = JSON.stringify(db.prepare('SELECT * FROM "AnalystToken"').all()) + JSON.stringify(db.prepare('SELECT * FROM "AnalystAudit"').all());
    db.close();
    expect(everything).not.toContain(token.split('.')[1]);
    const analysts = new SqliteAnalystStore(url);
    expect(await new TokenVerifier(analysts).verify(token)).toMatchObject({ ok: true, identity: { name: 'kari-admin', role: 'admin' } });
    await analysts.close();
  });

  test('add takes the analyst role by default and refuses a name used before or a role that does not exist', async () => {
    expect((await run(url, 'add', '--role', 'analyst', 'ola')).code).toBe(0);
    const again = await run(url, 'add', 'ola');
    expect(again.code).toBe(2);
    expect(again.out).toBe('');
    expect(again.err).toMatch(/already used/);
    expect((await run(url, 'add', 'per', '--role', 'owner')).err).toMatch(/analyst, reviewer or admin/);
    expect((await run(url, 'add')).code).toBe(2);
  });

  test('list shows names, roles, ids and hours, never a token', async () => {
    const r = await run(url, 'list');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^name\s+role\s+id\s+added\s+revoked$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['kari-admin', 'admin'],
      ['ola', 'analyst'],
    ]);
    expect(r.out).toContain('2026-12-02T09:00Z');
    expect(r.out).not.toMatch(/sba_|scrypt/);
  });

  test('revoke stops a token, once, and every change is in the audit log as the command line', async () => {
    expect((await run(url, 'revoke', 'ola')).code).toBe(0);
    expect((await run(url, 'revoke', 'ola')).code).toBe(1);
    expect((await run(url, 'list')).out).toMatch(/ola\s+analyst\s+\S+\s+2026-12-02T09:00Z\s+2026-12-02T09:00Z/);
    const analysts = new SqliteAnalystStore(url);
    const audit = await analysts.readAudit({ limit: 10 });
    await analysts.close();
    expect(audit.every((e) => e.tokenName === CLI_ACTOR && e.hour.getTime() === Date.UTC(2026, 11, 2, 9))).toBe(true);
    expect(audit.map((e) => [e.action, e.filters, e.outcome])).toEqual([
      ['cli analyst revoke', { name: 'ola' }, 'bad_request'],
      ['cli analyst revoke', { name: 'ola' }, 'ok'],
      ['cli analyst add', { name: 'ola', role: 'analyst' }, 'ok'],
      ['cli analyst add', { name: 'kari-admin', role: 'admin' }, 'ok'],
    ]);
  });

  test('explains itself when called without a known subcommand', async () => {
    const r = await run(url, 'promote', 'ola');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/survey-bot analyst add NAME/);
  });

  test('is reached from the survey-bot command line', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['analyst', 'list'], { DATABASE_URL: url, DATA_DIR: dir })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/kari-admin/);
  });
});
