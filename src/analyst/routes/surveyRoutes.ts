import { Call, Route, RouteContext, json } from './call';
import { PARAMETERS, expectParameters } from './parameters';

/** The surveys of the registry the analyst can choose from, and which is the default. */
export function registerSurveyRoutes(route: Route, ctx: RouteContext): void {
  route('get', '/surveys', 'analyst', async (c: Call) => {
    expectParameters(c.query, PARAMETERS.none);
    const surveys = await ctx.deps.service.listSurveys();
    await c.audit('ok');
    json(c.res, 200, { default: ctx.deps.service.defaultSurvey, surveys });
  });
}
