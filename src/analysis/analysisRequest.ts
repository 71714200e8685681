import { SurveyDefinition } from '../survey/definition';
import { blockOptions, findQuestion } from '../survey/walk';

export interface AnalysisRequest {
  by: string;
  area?: string;
  k: number;
  /** Which responses feed the help and barrier tables (comprehension always uses every started one). */
  status?: 'completed' | 'all';
}

/** Unknown dimension or area, or a survey without an analysis section: the caller's mistake, said plainly. */
export class AnalysisRequestError extends Error {
  override name = 'AnalysisRequestError';
}

/** Dimensions `analyze --by` accepts for a survey. */
export function dimensionsOf(def: SurveyDefinition): string[] {
  return def.analysis?.dimensions.map((d) => d.id) ?? [];
}

/**
 * Help areas `--area` accepts: the options of the question the outcome's block repeats for. None
 * when the outcome is a top-level question, whose one table is not about an area.
 */
export function areasOf(def: SurveyDefinition): string[] {
  const slot = def.analysis ? findQuestion(def, def.analysis.outcome.question) : undefined;
  return slot?.block ? blockOptions(def, slot.block) : [];
}

/** Whether the survey's outcome is a top-level question (one help table) rather than a question of a repeat block (one per area). */
export function topLevelOutcome(def: SurveyDefinition): boolean {
  const slot = def.analysis ? findQuestion(def, def.analysis.outcome.question) : undefined;
  return slot !== undefined && !slot.block;
}

/** The questions whose values the analysis counts; of the others it counts only that they were answered. */
export function countedQuestions(def: SurveyDefinition): Set<string> {
  const spec = def.analysis;
  if (!spec) return new Set();
  const outcome = findQuestion(def, spec.outcome.question);
  return new Set([
    spec.baseline.question,
    spec.outcome.question,
    ...(outcome?.block ? [outcome.block.forEach] : []),
    ...spec.dimensions.flatMap((d) => ('question' in d.from ? [d.from.question] : [])),
    ...spec.barriers.map((b) => b.question),
  ]);
}
