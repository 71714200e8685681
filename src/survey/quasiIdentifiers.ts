import { AnalysisSpec, QuasiIdentifierSpec } from './definition';
import { OTHER } from './sources';

/** The source as a quasi-identifier, for a survey that does not declare it: rare sources first fold into `other`. */
export const SOURCE_QUASI_IDENTIFIER: QuasiIdentifierSpec = {
  column: 'source',
  from: { field: 'source' },
  steps: [{ name: 'rare sources as other', rare: OTHER }],
  derived: [],
};

/**
 * The quasi-identifiers a record-level export protects, and the order they give way in: the
 * declared ones, and the response's source whether declared or not. Where a respondent came from
 * (the poster at one NAV office) narrows who they are as much as their municipality does, and a
 * survey written before sources existed cannot have declared it; for such a survey it gives way
 * first, being what analysts need least.
 */
export function quasiIdentifiersOf(spec: AnalysisSpec): { qis: QuasiIdentifierSpec[]; giveWay?: string[] } {
  if (spec.quasiIdentifiers.some((q) => 'field' in q.from && q.from.field === 'source')) return { qis: spec.quasiIdentifiers, giveWay: spec.giveWay };
  const source = SOURCE_QUASI_IDENTIFIER;
  const mentions = Array.from({ length: source.steps.length + 1 }, () => source.column);
  return {
    qis: [source, ...spec.quasiIdentifiers],
    giveWay: spec.giveWay ? [...mentions, ...spec.giveWay] : undefined,
  };
}
