import { Storage, StoreItems } from 'botbuilder';
import { ceilHour } from '../period';
import { SurveyStore } from '../store/store';

/**
 * botbuilder's `Storage` over the survey store, so conversation state survives restarts and is
 * shared by every bot process. eTags follow botbuilder's contract (a write with a stale eTag
 * fails; "*" or none overwrites), and every write pushes the row's expiry out by the TTL.
 */
export class StoreStorage implements Storage {
  constructor(
    private readonly store: SurveyStore,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const rows = await this.store.readStates(keys);
    const items: StoreItems = {};
    for (const [key, row] of Object.entries(rows)) items[key] = { ...(row.data as object), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const expiresAt = ceilHour(new Date(this.now().getTime() + this.ttlMs));
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = item as { eTag?: string };
      await this.store.writeState(key, data, eTag, expiresAt);
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.deleteStates(keys);
  }
}
