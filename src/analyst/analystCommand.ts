import { createStore } from '../store/createStore';
import { AnalystNameTakenError, AnalystStore, AnalystTokenInfo } from '../store/analystStore';
import { createAnalystStore } from '../store/createAnalystStore';
import { hourOf, issueToken, TokenRequestError } from './auth';

export const ANALYST_USAGE = `Usage:
  survey-bot analyst add NAME [--role analyst|admin]   create a token (printed once, on stdout)
  survey-bot analyst list                              every token: name, role, id, when added and revoked
  survey-bot analyst revoke NAME                       stop a token at once
`;

/** How the operator at the server's command line appears in the audit log (no token name can contain parentheses). */
export const CLI_ACTOR = '(cli)';

interface Io {
  databaseUrl: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  now?: () => Date;
}

/**
 * `survey-bot analyst add|list|revoke`: token management for operators at the server, who need no
 * token themselves. Migrates first, so it works on a database the bot has not started on yet.
 * The new token goes alone to stdout (so a script can capture it) and is never stored or shown
 * again; everything else goes to stderr.
 */
export async function analystCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const now = io.now ?? (() => new Date());
  if (!['add', 'list', 'revoke'].includes(sub ?? '')) {
    io.stderr.write(ANALYST_USAGE);
    return 2;
  }
  const name = rest.find((a, i) => !a.startsWith('--') && rest[i - 1] !== '--role');
  if (sub !== 'list' && !name) {
    io.stderr.write(`analyst ${sub} needs a NAME.\n${ANALYST_USAGE}`);
    return 2;
  }
  const roleAt = rest.indexOf('--role');
  const role = roleAt >= 0 ? (rest[roleAt + 1] ?? '') : 'analyst';
  const survey = createStore(io.databaseUrl);
  try {
    await survey.migrate();
  } finally {
    await survey.close();
  }
  const analysts = createAnalystStore(io.databaseUrl);
  try {
    if (sub === 'list') return await list(analysts, io);
    if (sub === 'add') return await add(analysts, name!, role, now(), io);
    return await revoke(analysts, name!, now(), io);
  } finally {
    await analysts.close();
  }
}

async function add(analysts: AnalystStore, name: string, role: string, now: Date, io: Io): Promise<number> {
  try {
    const { token, info } = await issueToken(analysts, { name, role }, now);
    await analysts.appendAudit({ hour: hourOf(now), tokenName: CLI_ACTOR, action: 'cli analyst add', filters: { name, role: info.role }, outcome: 'ok' });
    io.stderr.write(
      `Token for "${info.name}" (${info.role}). It is shown only now and cannot be recovered: hand it over safely (a password manager, not e-mail).\n`,
    );
    io.stdout.write(`${token}\n`);
    return 0;
  } catch (err) {
    if (err instanceof TokenRequestError || err instanceof AnalystNameTakenError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function list(analysts: AnalystStore, io: Io): Promise<number> {
  const tokens = await analysts.listTokens();
  if (tokens.length === 0) {
    io.stderr.write('No analyst tokens yet. Add one with: survey-bot analyst add NAME --role admin\n');
    return 0;
  }
  io.stdout.write(columns([['name', 'role', 'id', 'added', 'revoked'], ...tokens.map(row)]));
  return 0;
}

async function revoke(analysts: AnalystStore, name: string, now: Date, io: Io): Promise<number> {
  const revoked = await analysts.revokeToken(name, hourOf(now));
  await analysts.appendAudit({
    hour: hourOf(now),
    tokenName: CLI_ACTOR,
    action: 'cli analyst revoke',
    filters: { name },
    outcome: revoked ? 'ok' : 'bad_request',
  });
  if (!revoked) {
    io.stderr.write(`No active token is called "${name}" (see survey-bot analyst list).\n`);
    return 1;
  }
  io.stderr.write(`Revoked "${revoked.name}": it stops working at once, in every bot process.\n`);
  return 0;
}

const hourText = (d: Date) => `${d.toISOString().slice(0, 13)}:00Z`;

function row(t: AnalystTokenInfo): string[] {
  return [t.name, t.role, t.id, hourText(t.createdAt), t.revokedAt ? hourText(t.revokedAt) : ''];
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
