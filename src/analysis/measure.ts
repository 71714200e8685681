import { ResponseView } from './responseView';
import { TableProtector } from './tableProtector';

/**
 * One measure of the analysis (help received, barriers, comprehension by language, …): it counts
 * the responses it is given and turns its counts into protected tables at the end. Its counts are
 * plain data, so that part of the responses can be counted in one worker thread and part in
 * another, and the counts added (src/analysis/parallel.ts).
 */
export interface Measure<State, Table> {
  /** Counts one response. */
  add(response: ResponseView): void;
  /** Everything counted so far, for {@link merge} in the same measure elsewhere. */
  snapshot(): State;
  /** Adds what the same measure, over other responses, counted. */
  merge(state: State): void;
  /** The measure's protected tables; every table goes through `protector`, which tallies what it hid. */
  table(protector: TableProtector): Table;
}
