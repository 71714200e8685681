import { Logger, safeError } from './logger';
import { SurveyStore } from './store/store';

/**
 * Deletes conversation states whose TTL has passed. That cuts the last link between a respondent
 * and an unfinished response; the answers given so far stay, unlinked. Expired Direct Line outbox
 * rows and SMS idempotency records go too.
 */
export async function purgeOnce(store: SurveyStore, now: Date, logger: Logger): Promise<number> {
  const purged = await store.purgeExpiredStates(now);
  if (purged) logger.info({ event: 'state_purged', count: purged }, 'expired conversation states deleted');
  const channel = await store.purgeExpiredChannelData(now);
  if (channel) logger.info({ event: 'channel_data_purged', count: channel }, 'expired outbox and SMS delivery records deleted');
  return purged;
}

/** Runs `purgeOnce` now and then every `intervalMs`; returns a stop function. */
export function startPurgeJob(store: SurveyStore, intervalMs: number, logger: Logger, now: () => Date = () => new Date()): () => void {
  const run = () => purgeOnce(store, now(), logger).catch((err) => logger.error({ event: 'purge_failed', error: safeError(err) }, 'purge failed'));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
