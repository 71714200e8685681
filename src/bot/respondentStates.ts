import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { stateKey } from '../identity';
import { ceilHour } from '../period';
import { StateStore, StateWrite, SurveyStore } from '../store/store';

/**
 * The respondent states (src/bot/respondentState.ts), read once per turn and written with the
 * rest of the turn (src/bot/surveyBot.ts). Keyed by respondent rather than by conversation: an SMS
 * respondent has no stable conversation id, and a web respondent who reloads the page should
 * continue where they were. The key is an HMAC (src/identity.ts), never the channel's user id.
 *
 * botbuilder's BotState writes every state with eTag "*" (last writer wins), so two turns of one
 * respondent at once could each overwrite the other's answers. This keeps the eTag it read and
 * writes only if the row is still at it: the loser of a race runs its turn again.
 */
export class RespondentStates {
  /** What each turn read, by its `turnState` (src/bot/turn.ts): a turn's own, never shared with another. */
  private readonly loaded = new WeakMap<TurnContext['turnState'], Loaded>();

  constructor(
    private readonly store: StateStore & Pick<SurveyStore, 'commitTurn'>,
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reads the respondent's state (once per turn; later calls return the same object). */
  async load(context: TurnContext): Promise<Record<string, unknown>> {
    const cached = this.loaded.get(context.turnState);
    if (cached) return cached.data;
    const key = this.key(context);
    const row = await this.store.readState(key);
    const loaded: Loaded = { key, data: (row?.data as Record<string, unknown>) ?? {}, etag: row?.etag ?? null };
    this.loaded.set(context.turnState, loaded);
    return loaded.data;
  }

  /** Forgets what was read, so that a retried turn reads the state afresh. */
  reset(context: TurnContext): void {
    this.loaded.delete(context.turnState);
  }

  /** The write that leaves the state as this turn made it (or deletes it), checked against the eTag read. */
  async write(context: TurnContext, remove: boolean): Promise<StateWrite> {
    await this.load(context);
    const loaded = this.loaded.get(context.turnState)!;
    if (remove) return { key: loaded.key, delete: true };
    return { key: loaded.key, data: loaded.data, etag: loaded.etag, expiresAt: ceilHour(new Date(this.now().getTime() + this.ttlMs)) };
  }

  /**
   * Writes the state on its own, for a turn run without the bot (botbuilder-testing's
   * DialogTestClient with AutoSaveStateMiddleware): the same contract as BotState.saveChanges.
   */
  async saveChanges(context: TurnContext): Promise<void> {
    if (!this.loaded.has(context.turnState)) return;
    await this.store.commitTurn({ state: await this.write(context, false), responses: [] });
    this.reset(context);
  }

  createProperty<T>(name: string): StatePropertyAccessor<T> {
    return {
      get: async (context: TurnContext, defaultValue?: T) => {
        const data = await this.load(context);
        if (data[name] === undefined && defaultValue !== undefined) data[name] = structuredClone(defaultValue);
        return data[name] as T;
      },
      set: async (context: TurnContext, value: T) => {
        (await this.load(context))[name] = value;
      },
      delete: async (context: TurnContext) => {
        delete (await this.load(context))[name];
      },
    };
  }

  private key(context: TurnContext): string {
    const { channelId, from } = context.activity;
    if (!channelId || !from?.id) throw new Error('Activity without channelId or from.id: cannot key respondent state');
    return stateKey(this.secret, channelId, from.id);
  }
}

interface Loaded {
  key: string;
  data: Record<string, unknown>;
  /** The eTag read, or null when there was no state yet (then none may appear meanwhile). */
  etag: string | null;
}
