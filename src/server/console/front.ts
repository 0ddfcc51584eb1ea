// In front of the API: serves the console's files at / (the API stays under /container), and turns the console's
// session cookie into the credentials of the API's routes (the held vSphere session), checking the CSRF token of
// every change. Over plain HTTP (--scheme http) the console and its cookie are for loopback clients only: anywhere
// else the password and the cookie would cross the network unencrypted.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HELD_CREDENTIALS, type HeldCredentials } from '../auth.js';
import { BASE_PATH } from '../app.js';
import type { RequestLog } from '../request-log.js';
import { cookieOf } from './cookies.js';
import { ConsoleSessions, type ConsoleSession } from './sessions.js';
import { SECURITY_HEADERS, type StaticFile } from './static-files.js';

export const CONSOLE_SESSION = Symbol('vic-machine console session');
export const SESSION_PATH = `${BASE_PATH}/console/session`;
/** Sent by the console's script: a request without a live session is answered 401 without a Basic challenge
 * (which would make the browser show its own password dialog). */
export const CONSOLE_HEADER = 'x-vic-console';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export function isSecure(req: IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

/**
 * Whether the console (its pages, its login, its cookie) is served on this connection: over TLS to anyone, over
 * plain HTTP (--scheme http) to a loopback peer only (127.0.0.0/8, ::1, or IPv4-mapped 127/8).
 */
export function consoleServedTo(req: Pick<IncomingMessage, 'socket'>): boolean {
  return isSecure(req as IncomingMessage) || isLoopback(req.socket.remoteAddress);
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(text);
}

export function heldCredentials(sessions: ConsoleSessions, s: ConsoleSession): HeldCredentials {
  return {
    kind: 'held', origin: s.origin, owner: `console:${createHash('sha256').update(s.id).digest('hex')}`,
    use: (fn) => sessions.use(s, (session) => fn(session, `console:${s.id}`)),
  };
}

export function consoleFront(o: { sessions: ConsoleSessions; files: Map<string, StaticFile>; log: RequestLog; api: Handler }): Handler {
  return (req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return o.api(req, res);
    }
    const local = consoleServedTo(req);
    const api = path === BASE_PATH || path.startsWith(`${BASE_PATH}/`);

    if (!api) {
      res.once('close', () => o.log.request(method, '/ (console)', res.statusCode, performance.now() - started, {}));
      if (!local) {
        return answer(res, 403, { message: 'the console is served over https (over http to loopback clients only)', type: 'authentication' });
      }
      const file = o.files.get(path);
      if (!file || (method !== 'GET' && method !== 'HEAD')) {
        const missing = o.files.size === 0 ? 'the console was not built (npm run build)' : `no such page: ${path}`;
        return answer(res, o.files.size === 0 ? 503 : 404, { message: missing, type: 'not-found' }, SECURITY_HEADERS);
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': String(file.body.length),
        // the page always asks again (a new build takes effect at once); the bundle is small
        'Cache-Control': 'no-cache',
      });
      return res.end(method === 'HEAD' ? undefined : file.body);
    }

    const fromConsole = req.headers[CONSOLE_HEADER] !== undefined;
    if (path.startsWith(`${BASE_PATH}/console/`) && !local) {
      return answer(res, 403, { message: 'the console is served over https (over http to loopback clients only)', type: 'authentication' });
    }
    const cookie = cookieOf(req);
    const ownCredentials = req.headers.authorization !== undefined || req.headers['x-vmware-ticket'] !== undefined;
    if (cookie && !ownCredentials && local) {
      const s = o.sessions.get(cookie);
      if (s) {
        const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
        const token = req.headers['x-csrf-token'];
        if (!safe && !ConsoleSessions.csrfMatches(s, typeof token === 'string' ? token : undefined)) {
          return answer(res, 403, { message: 'the console\'s CSRF token is missing or wrong: reload the page', type: 'authentication', field: 'X-CSRF-Token' });
        }
        const r = req as unknown as Record<symbol, unknown>;
        r[HELD_CREDENTIALS] = heldCredentials(o.sessions, s);
        r[CONSOLE_SESSION] = s;
        return o.api(req, res);
      }
    }
    if (fromConsole && !ownCredentials && !(path === SESSION_PATH && method === 'POST')) {
      return answer(res, 401, { message: 'the console session has ended (idle too long, logged out, or the server restarted): log in again', type: 'authentication', field: 'session' });
    }
    return o.api(req, res);
  };
}
