import { AnalysisRequestError, areasOf, dimensionsOf, topLevelOutcome } from '../../analysis/analyze';
import { Call, Route, RouteContext, json } from './call';
import { PARAMETERS, choice, expectParameters } from './parameters';
import { Refusal } from './refusal';

/** The barrier analysis of one survey version, by a dimension and optionally one help area. */
export function registerAnalysisRoutes(route: Route, ctx: RouteContext): void {
  route('get', '/analysis', 'analyst', async (c: Call) => {
    const q = expectParameters(c.query, PARAMETERS.analysis);
    const chosen = await ctx.chosenSurvey(q);
    const survey = chosen.definition;
    const by = choice(q, 'by', dimensionsOf(survey), { required: true })!;
    // A survey whose outcome is one top-level question has one table and no help areas.
    if (q.has('area') && topLevelOutcome(survey)) throw new Refusal(400, 'bad_parameter', 'no_areas', { survey: chosen.id });
    const area = choice(q, 'area', areasOf(survey));
    const result = await ctx.heavyWork(() =>
      ctx.deps.service.analyze({ survey: chosen.id, version: chosen.version, by, area }).catch((err: unknown) => {
        if (err instanceof AnalysisRequestError) throw new Refusal(400, 'bad_parameter', 'analysis_request', { detail: err.message });
        throw err;
      }),
    );
    // After the work and before the answer: a request that failed is audited as failed, and no
    // result leaves without its audit row.
    await c.audit('ok');
    json(c.res, 200, result);
  });
}
