import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured logs (pino) that carry no message text and no identifiers: callers log event names,
 * counts and error classes only. Time is kept to the hour; an exact time next to a channel event
 * could be matched against an SMS provider's delivery log to find the respondent.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: () => `,"time":"${new Date().toISOString().slice(0, 13)}:00Z"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export interface SafeError {
  name: string;
  code?: string;
  frames?: string;
  /** The wrapped error (botbuilder's DialogContextError wraps the real one in `error`). */
  cause?: SafeError;
}

/** An error reduced to what is safe to log: its class, code and stack frames, never its message. */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { name: typeof err };
  const code = (err as { code?: unknown }).code;
  const inner = (err as { error?: unknown }).error ?? err.cause;
  return {
    name: err.name,
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
    // Messages can quote input (a driver error echoing a value); frames cannot.
    frames: err.stack
      ?.split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 8)
      .join('\n'),
    cause: inner instanceof Error && depth < 3 ? safeError(inner, depth + 1) : undefined,
  };
}
