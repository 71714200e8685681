import { ResponseFilter, SurveyStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { CodedResponse, ResponseCoder } from './coding';

/**
 * What kept responses belong to: a database, a range of one survey's responses, and the
 * definition itself, since the coder keeps the values of the questions that definition counts.
 * The pool sends a range back to the worker that holds it under this key.
 */
export function rangeKey(databaseUrl: string, filter: ResponseFilter, def: SurveyDefinition): string {
  return JSON.stringify([databaseUrl, filter, def]);
}

/**
 * The completed responses of one survey and id range, coded, kept by a worker thread between
 * analyses. A completed response never changes: the state that linked it to its respondent is
 * deleted at completion (README, Privacy), so nobody can answer, go back or switch
 * language in it again, and the database refuses any change to it (migration
 * completed_responses_final); it can only be withdrawn, that is deleted. Each analysis therefore
 * reads in full only what is new or still in progress, and of the rest only the ids, which show
 * what was withdrawn (npm run bench:export: 100,000 responses in a fraction of the first read's
 * time, with new ones written between the analyses).
 *
 * What is kept holds no id that leads to a person (response ids are random), no free text (the
 * coder keeps values of counted questions only) and lives only in the worker's memory.
 */
export class CompletedResponses {
  private readonly kept = new Map<string, { response: CodedResponse; read: number }>();
  private reads = 0;

  constructor(readonly coder: ResponseCoder) {}

  get size(): number {
    return this.kept.size;
  }

  /** Hands every response matching `filter` to `add`, each once, as the store holds them now. */
  async read(store: SurveyStore, filter: ResponseFilter, add: (r: CodedResponse) => void): Promise<void> {
    const read = ++this.reads;
    try {
      for await (const batch of store.scanForAnalysis(filter, { batchSize: 5000, known: [...this.kept.keys()] })) {
        for (const row of batch) {
          if ('known' in row) {
            const entry = this.kept.get(row.id);
            if (!entry) throw new Error(`the store returned ${row.id} as known, but it was never read`);
            entry.read = read;
            add(entry.response);
            continue;
          }
          const response = this.coder.code(row);
          if (response.status === 'completed') this.kept.set(row.id, { response, read });
          else this.kept.delete(row.id);
          add(response);
        }
      }
    } catch (err) {
      // A read that failed half-way leaves no judgement on what it did not reach.
      this.kept.clear();
      throw err;
    }
    for (const [id, entry] of this.kept) if (entry.read !== read) this.kept.delete(id);
  }
}
