import { ChannelStore } from './channelStore';
import { OutreachStore } from './outreachStore';
import { RegistryStore } from './registryStore';
import { ResponseStore } from './responseStore';
import { ReviewStore } from './reviewStore';
import { StateStore } from './stateStore';
import { TurnStore } from './turnStore';

export * from './channelStore';
export * from './outreachStore';
export * from './registryStore';
export * from './responseStore';
export * from './reviewStore';
export * from './stateStore';
export * from './turnStore';

/**
 * The storage boundary, by concern: responses and answers (responseStore.ts), respondent state
 * (stateStore.ts), channel deliveries and the outbox (channelStore.ts), and the one write a turn
 * makes (turnStore.ts). One implementation per database: SQLite (sqliteStore.ts) and PostgreSQL
 * (pgStore.ts). The bot, the channels and the analyst service talk only to these interfaces; the
 * dialogs see less still (src/bot/responseRecorder.ts).
 */
export interface SurveyStore extends ResponseStore, StateStore, ChannelStore, TurnStore, RegistryStore, OutreachStore, ReviewStore {
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<MigrationReport>;
  /** Resolves when the database answers; rejects with the driver's error when it does not. */
  ping(): Promise<void>;
  /** Waits for what is in flight and closes the connections. */
  close(): Promise<void>;
  /**
   * Deletes expired states, outbox rows and delivery records. With several processes, one does it
   * and the others skip (undefined).
   */
  purgeExpired(now: Date): Promise<PurgeReport | undefined>;
}

export interface PurgeReport {
  states: number;
  channelData: number;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}
