import { SurveyDefinition } from '../survey/definition';
import { Answers, nextStep, stepKey } from '../survey/engine';
import { funnelMilestones } from '../survey/walk';
import { ResponseCoder } from './coding';
import { ResponseView } from './responseView';
import { PublishedProportion, published } from './shares';

export type FunnelTable = { step: string; reached: PublishedProportion | null }[];

/**
 * How far started responses got, by language: the milestones are the questions everyone is
 * asked, in order; reaching one means having passed the ones before, so the funnel only falls.
 */
export class Funnel {
  private readonly milestones: string[];
  private readonly milestoneCodes: number[];
  private readonly reached = new Map<string, number[]>();

  constructor(
    private readonly def: SurveyDefinition,
    coder: ResponseCoder,
  ) {
    this.milestones = funnelMilestones(def);
    this.milestoneCodes = this.milestones.map((id) => coder.question(id));
  }

  add(r: ResponseView, language: string): void {
    // The furthest milestone: the last one answered, or the next step if it is one.
    let furthest = 0;
    this.milestoneCodes.forEach((q, i) => {
      if (r.hasTop(q)) furthest = i;
    });
    if (r.response.status === 'completed') furthest = this.milestones.length - 1;
    else {
      const answers: Answers = {};
      for (const a of r.response.tuples ?? []) answers[stepKey(a[0], a[1])] = a[2];
      const next = nextStep(this.def, answers);
      const i = next ? this.milestones.indexOf(next.key) : this.milestones.length - 1;
      if (i > furthest) furthest = i;
    }
    let reached = this.reached.get(language);
    if (!reached) this.reached.set(language, (reached = new Array<number>(this.milestones.length).fill(0)));
    for (let i = 0; i <= furthest; i++) reached[i]++;
  }

  snapshot(): [string, number[]][] {
    return [...this.reached];
  }

  merge(state: [string, number[]][]): void {
    for (const [lng, counts] of state) {
      const mine = this.reached.get(lng) ?? new Array<number>(this.milestones.length).fill(0);
      this.reached.set(
        lng,
        mine.map((v, i) => v + counts[i]),
      );
    }
  }

  /**
   * The milestones a language's responses reached, published only where they cannot give away a
   * small number of drop-outs: a point is shown when at least k (or no) respondents dropped out
   * since the last point shown, and when at least k reached it. Between such points the funnel is
   * merged.
   */
  table(language: string, started: number | null, k: number): FunnelTable {
    const reached = this.reached.get(language)!;
    const total = started;
    if (total === null) return this.milestones.map((step) => ({ step, reached: null }));
    const safe = (from: number, to: number) => reached[from] - reached[to] === 0 || reached[from] - reached[to] >= k;
    const last = reached.length - 1;
    // Anchor the end (completed) when it can be shown, so the points between must leave a safe
    // remainder before it; otherwise show what can be shown from the start.
    const end = reached[last] >= k && safe(0, last) ? last : undefined;
    const shown = new Set<number>([0]);
    let previous = 0;
    for (let i = 1; i < last; i++) {
      if (reached[i] >= k && safe(previous, i) && (end === undefined || safe(i, end))) {
        shown.add(i);
        previous = i;
      }
    }
    if (end !== undefined) shown.add(end);
    return this.milestones.map((step, i) => ({ step, reached: shown.has(i) && reached[i] > 0 ? published(reached[i], total) : null }));
  }
}
