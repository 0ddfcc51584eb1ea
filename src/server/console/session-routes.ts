// The console's login (extensions of the API, marked so in the served spec and in docs/console.md):
//   POST   /container/console/session  {target, datacenter?, user, password, thumbprint?}: logs in to vSphere and
//          holds that session for the console session's life; answers the session (with its CSRF token) and sets
//          the HttpOnly cookie. An untrusted target is the API's 400 naming its certificate (the console asks the
//          admin to trust it and sends its SHA-256 as `thumbprint`).
//   GET    /container/console/session  the current session (after a page reload the script has no token: it asks).
//   DELETE /container/console/session  log out: the vSphere session ends, the cookie is cleared.
import type { IncomingMessage } from 'node:http';
import { Session } from '../../vim/session.js';
import { readPin } from '../../vim/thumbprint.js';
import { resolveScope } from '../../vic/vch/find.js';
import { packageVersion } from '../../vic/package-version.js';
import { ApiError, badRequest } from '../api-error.js';
import type { Route } from '../router.js';
import { clearCookie, setCookie } from './cookies.js';
import { CONSOLE_SESSION, isSecure } from './front.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';

export interface LoginRequest {
  target: string;
  datacenter?: string;
  user: string;
  password: string;
  thumbprint?: string;
}

const sessionOf = (req: IncomingMessage): ConsoleSession | undefined => (req as unknown as Record<symbol, ConsoleSession | undefined>)[CONSOLE_SESSION];

function view(s: ConsoleSession, sessions: ConsoleSessions, datacenters: { id: string; name: string }[] = []): Record<string, unknown> {
  return {
    user: s.user, target: s.target, ...(s.datacenter ? { datacenter: s.datacenter } : {}), csrf_token: s.csrf,
    // the fingerprint of the certificate the session verified: the console pins it (?thumbprint=) on the API's routes,
    // so that the logins the server makes for it (create's own) trust the same certificate
    ...(s.session.serverCertificate ? { thumbprint: s.session.serverCertificate.sha1.format() } : {}),
    idle_timeout_seconds: Math.round(sessions.idleMs / 1000), ...(datacenters.length ? { datacenters } : {}),
  };
}

function loginRequestOf(body: unknown): LoginRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be an object {target, datacenter, user, password, thumbprint}', '$');
  const b = body as Record<string, unknown>;
  const known = ['target', 'datacenter', 'user', 'password', 'thumbprint'];
  for (const k of Object.keys(b)) if (!known.includes(k)) throw badRequest(`unknown field $.${k}: a login has ${known.join(', ')}`, `$.${k}`);
  for (const k of known) if (b[k] !== undefined && typeof b[k] !== 'string') throw badRequest(`$.${k} must be a string`, `$.${k}`);
  const need = (k: string, what: string): string => {
    const v = (b[k] as string | undefined)?.trim();
    if (!v) throw badRequest(`${what} is required`, `$.${k}`);
    return v;
  };
  const target = need('target', 'the target (a vCenter or ESXi host name or address)').replace(/^https?:\/\//i, '').replace(/\/(sdk)?\/?$/, '');
  if (/[/@\s?#]/.test(target)) throw badRequest(`invalid target "${target}": expected a vCenter or ESXi host name or address, with :port when not 443`, '$.target');
  const user = need('user', 'the user');
  const password = b['password'] as string | undefined;
  if (!password) throw badRequest('the password is required', '$.password');
  const r: LoginRequest = { target, user, password };
  const dc = (b['datacenter'] as string | undefined)?.trim();
  if (dc) r.datacenter = dc;
  const tp = (b['thumbprint'] as string | undefined)?.trim();
  if (tp) r.thumbprint = tp;
  return r;
}

/** A login CSRF guard: a browser's Origin, when sent, must be this server's own. */
function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (!origin) return;
  const own = `${isSecure(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  if (origin !== own) throw new ApiError(403, { message: `a login from ${origin} is refused: the console logs in from its own page only`, type: 'authentication', field: 'Origin' });
}

export function sessionRoutes(sessions: ConsoleSessions): Route[] {
  return [
    {
      method: 'POST', path: '/console/session', extension: true, handler: async (ctx) => {
        checkOrigin(ctx.req);
        const login = loginRequestOf(await ctx.body());
        let url: URL;
        try {
          url = new URL(`https://${login.target}`);
        } catch {
          throw badRequest(`invalid target "${login.target}": expected a vCenter or ESXi host name or address, with :port when not 443`, '$.target');
        }
        let session: Session;
        try {
          session = await Session.connect({
            url: new URL(url.origin), user: login.user, password: login.password,
            trust: { thumbprint: login.thumbprint ? readPin(login.thumbprint) : undefined }, userAgent: `vic-machine-server/${packageVersion()} console`,
          });
        } catch (e) {
          const f = e as { faultName?: string };
          if (f.faultName === 'InvalidLogin') throw new ApiError(401, { message: 'Cannot complete login due to an incorrect user name or password', type: 'authentication', field: '$.password' });
          throw e;
        }
        let datacenters: { id: string; name: string }[];
        try {
          const scope = await resolveScope(session, { allDatacenters: true });
          datacenters = scope.datacenters.map((d) => ({ id: d.ref.value, name: d.path.replace(/^\//, '') }));
        } catch (e) {
          await session.logout();
          throw e;
        }
        const wanted = login.datacenter;
        const dc = wanted ? datacenters.find((d) => d.id === wanted || d.name === wanted.replace(/^\//, '')) : datacenters.length === 1 ? datacenters[0] : undefined;
        if (wanted && !dc) {
          await session.logout();
          throw new ApiError(400, { message: `datacenter "${login.datacenter}" is not found on ${login.target}${datacenters.length ? `: there are ${datacenters.map((d) => d.name).join(', ')}` : ''}`, type: 'not-found', field: '$.datacenter' });
        }
        const s = sessions.add({ user: login.user, target: login.target, origin: url.origin, datacenter: dc?.id, session });
        return { status: 201, body: view(s, sessions, datacenters), headers: { 'Set-Cookie': setCookie(s.id) } };
      },
    },
    {
      method: 'GET', path: '/console/session', extension: true, handler: async (ctx) => {
        const s = sessionOf(ctx.req);
        if (!s) throw new ApiError(401, { message: 'no console session: log in', type: 'authentication', field: 'session' });
        return { status: 200, body: view(s, sessions) };
      },
    },
    {
      method: 'DELETE', path: '/console/session', extension: true, handler: async (ctx) => {
        const s = sessionOf(ctx.req);
        if (s) await sessions.end(s.id);
        return { status: 204, headers: { 'Set-Cookie': clearCookie() } };
      },
    },
  ];
}
