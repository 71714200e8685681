/**
 * Work that outlives the request that started it (an SMS reply sent after the webhook's
 * deadline): tracked, so that a graceful shutdown can wait for it instead of dropping it.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when everything tracked now (and anything it starts meanwhile) has settled. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
