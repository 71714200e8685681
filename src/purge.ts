import { Logger, safeError } from './logger';
import { SurveyStore } from './store/store';

/**
 * Deletes conversation states whose TTL has passed. That cuts the last link between a respondent
 * and an unfinished response; the answers given so far stay, unlinked. Expired Direct Line outbox
 * rows and delivery records go too. With several bot processes, one of them does it each time
 * (the store decides; PostgreSQL by advisory lock) and the others skip.
 */
export async function purgeOnce(store: SurveyStore, now: Date, logger: Logger): Promise<number> {
  const report = await store.purgeExpired(now);
  if (!report) {
    logger.debug({ event: 'purge_skipped' }, 'another process is purging');
    return 0;
  }
  if (report.states) logger.info({ event: 'state_purged', count: report.states }, 'expired conversation states deleted');
  if (report.channelData) logger.info({ event: 'channel_data_purged', count: report.channelData }, 'expired outbox and delivery records deleted');
  return report.states;
}

/** Runs `purgeOnce` now and then every `intervalMs`; returns a stop function. */
export function startPurgeJob(store: SurveyStore, intervalMs: number, logger: Logger, now: () => Date = () => new Date()): () => void {
  const run = () => purgeOnce(store, now(), logger).catch((err) => logger.error({ event: 'purge_failed', error: safeError(err) }, 'purge failed'));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
