import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Logger } from './logger';

/**
 * The server secret behind the state-key HMAC. Given in SURVEY_SECRET, or generated once into
 * DATA_DIR (mode 0600) so a restart keys the same respondents the same way. Every process of a
 * scaled-out deployment must share it: set SURVEY_SECRET there.
 */
export function ensureSecret(given: string | undefined, dataDir: string, logger: Logger): string {
  if (given) return given;
  const file = path.join(dataDir, 'survey-secret');
  if (fs.existsSync(file)) {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
    throw new Error(`${file} holds no usable secret (under 32 characters); delete it to generate a new one, or set SURVEY_SECRET.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  try {
    // 'wx' fails if another process created it first; then use theirs.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ event: 'secret_generated', file }, 'SURVEY_SECRET not set: generated a new secret and saved it in the data directory');
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ensureSecret(undefined, dataDir, logger);
    throw err;
  }
}
