import { Writable } from 'node:stream';
import { createLogger, Logger } from '../../src/logger';

/** Collects log lines in memory, to assert what logs do (and do not) contain. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger('debug', sink as never), lines };
}
