import { credentialsOf, sessionCookie } from '../auth';
import { Call, Route, RouteContext, json } from './call';
import { PARAMETERS, expectParameters } from './parameters';

/** The dashboard's login: a verified token becomes a session cookie, and logging out removes it. */
export function registerSessionRoutes(route: Route, ctx: RouteContext): void {
  route('post', '/session', 'analyst', async (c: Call) => {
    expectParameters(c.query, PARAMETERS.none);
    const credentials = credentialsOf({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })!;
    await c.audit('ok');
    c.res.setHeader('Set-Cookie', sessionCookie(credentials.token, ctx.secureCookie()));
    json(c.res, 200, { name: c.identity.name, role: c.identity.role });
  });
  route('get', '/session', 'analyst', async (c: Call) => {
    expectParameters(c.query, PARAMETERS.none);
    await c.audit('ok');
    json(c.res, 200, { name: c.identity.name, role: c.identity.role });
  });
  route('del', '/session', 'analyst', async (c: Call) => {
    expectParameters(c.query, PARAMETERS.none);
    await c.audit('ok');
    c.res.setHeader('Set-Cookie', sessionCookie('', ctx.secureCookie()));
    c.res.sendRaw(204, '');
  });
}
