import { Refusal } from './refusal';

/** Exports and analyses read every response: at most a few at once, so respondents keep a responsive bot. */
export class HeavyWork {
  private running = 0;

  constructor(private readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) throw new Refusal(503, 'busy', 'busy', {}, 'error');
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
