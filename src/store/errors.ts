/**
 * Whether an error means "the database cannot take writes right now" — locked past the busy
 * timeout, read-only or full disk, unreachable server — rather than a bug: the respondent is
 * asked to try again shortly, an SMS provider to redeliver, and the bot carries on once the
 * database is back (nothing of the failed turn was written).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, cause, error } = e as { code?: unknown; message?: unknown; cause?: unknown; error?: unknown };
    const c = typeof code === 'string' ? code : '';
    if (/^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PROTOCOL)/.test(c)) return true;
    // Node's network errors, and PostgreSQL's connection (08), resource (53) and operator (57) classes.
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(c) || /^(08|53|57)[0-9A-Z]{3}$/.test(c)) return true;
    // Prisma's own codes for the same, which is all its client keeps of the driver's error when the
    // server cannot be reached: P1001 can't reach the server, P1002 and P1008 timed out, P1017 the
    // server closed the connection, P2024 no pooled connection in time (tests/faults: PostgreSQL stopped).
    if (/^P(1001|1002|1008|1017|2024)$/.test(c)) return true;
    if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(message)) return true;
    // botbuilder's DialogContextError wraps the real error in `error`; others use `cause`.
    e = cause ?? error;
  }
  return false;
}
