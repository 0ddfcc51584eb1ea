// Serving one request: base path, CORS, route match, the handler, the one error shape, and the request log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecretSet, withSecrets } from '../vim/secrets.js';
import { ApiError, toApiError } from './api-error.js';
import { requestSecretsOf } from './auth.js';
import type { ServerContext } from './context.js';
import type { Reply, Router } from './router.js';

export const BASE_PATH = '/container';
const MAX_BODY = 1 << 20;
const JSON_TYPES = /^application\/(json|merge-patch\+json)\s*(;|$)/i;

export interface AppOptions {
  router: Router;
  server: ServerContext;
  corsOrigins: readonly string[];
}

/** The VCH model's ops password, if the body is one (create, PUT, PATCH). */
/** The secrets a body may carry: an ops password, a server certificate's private key (create, PUT, PATCH). */
function bodySecretsOf(body: unknown): string[] {
  const b = body as { endpoint?: { operations_credentials?: { password?: unknown } }; auth?: { server?: { private_key?: { pem?: unknown } } } } | null;
  const ops = b?.endpoint?.operations_credentials?.password;
  const key = b?.auth?.server?.private_key?.pem;
  // the key as given, and its base64 body alone (a message may quote it without the PEM lines around)
  const keyBody = typeof key === 'string' ? key.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '') : '';
  return [...(typeof ops === 'string' ? [ops] : []), ...(typeof key === 'string' ? [key, key.trim()] : []), ...(keyBody.length >= 64 ? [keyBody] : [])];
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, { message: `the request body is larger than ${MAX_BODY} bytes`, type: 'usage' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve(undefined);
      const type = req.headers['content-type'] ?? '';
      if (!JSON_TYPES.test(type)) {
        return reject(new ApiError(415, { message: `the request body must be JSON (Content-Type: application/json${req.method === 'PATCH' ? ' or application/merge-patch+json' : ''}), not "${type || 'none'}"`, type: 'usage', field: 'Content-Type' }));
      }
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new ApiError(400, { message: `the request body is not valid JSON: ${(e as Error).message}`, type: 'usage', field: '$' }));
      }
    });
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = reply.contentType ?? 'application/json';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  headers['Cache-Control'] = 'no-store';
  headers['X-Content-Type-Options'] = 'nosniff';
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function createApp(o: AppOptions): { handle: (req: IncomingMessage, res: ServerResponse) => void; active: () => number } {
  let active = 0;
  const allowOrigin = (origin: string | undefined): string | undefined =>
    origin && (o.corsOrigins.includes(origin) || o.corsOrigins.includes('*')) ? origin : undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    active++;
    const method = (req.method ?? 'GET').toUpperCase();
    let route = '(none)';
    const extra: Record<string, string | undefined> = {};
    res.once('close', () => {
      active--;
      o.server.log.request(method, route, res.statusCode, performance.now() - started, extra);
    });
    // The request's secrets are redacted from outside text (vSphere faults, transport errors) in everything it runs,
    // also in a task that outlives the response; an ops password or a private key in the body joins them when the body is read.
    const secrets = new SecretSet(requestSecretsOf(req));
    void withSecrets(secrets, async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return send(res, { status: 400, body: { message: 'malformed request URL', type: 'usage' } });
      }
      const origin = allowOrigin(req.headers.origin);
      const cors: Record<string, string> = origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Location, WWW-Authenticate' } : {};
      try {
        if (method === 'OPTIONS' && origin) {
          return send(res, { status: 204, headers: { ...cors, 'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE', 'Access-Control-Allow-Headers': 'Authorization, X-VMWARE-TICKET, Content-Type, Prefer', 'Access-Control-Max-Age': '600' } });
        }
        const p = url.pathname;
        if (p !== BASE_PATH && !p.startsWith(`${BASE_PATH}/`)) {
          throw new ApiError(404, { message: `no such resource: the API is under ${BASE_PATH}/ (the spec: ${BASE_PATH}/swagger.json)`, type: 'not-found' });
        }
        const rel = p.slice(BASE_PATH.length) || '/';
        const { match, allowed } = o.router.match(method, rel);
        if (!match) {
          if (allowed.length) throw new ApiError(405, { message: `${method} is not served on ${p}: use ${allowed.join(', ')}`, type: 'usage' }, { Allow: allowed.join(', ') });
          throw new ApiError(404, { message: `no such resource: ${p} (the spec: ${BASE_PATH}/swagger.json)`, type: 'not-found' });
        }
        route = `${BASE_PATH}${match.route.path === '/' ? '' : match.route.path}`;
        if (match.params['target']) extra['target'] = match.params['target'];
        if (match.params['vchId']) extra['vch'] = match.params['vchId'];
        const action = url.searchParams.get('action');
        if (action) extra['action'] = action;
        let body: Promise<unknown> | undefined;
        const reply = await match.route.handler({
          req, url, params: match.params, query: url.searchParams, server: o.server, body: () => (body ??= readBody(req).then((b) => { for (const x of bodySecretsOf(b)) secrets.add(x); return b; })),
        });
        send(res, { ...reply, headers: { ...cors, ...reply.headers } });
      } catch (e) {
        const err = toApiError(e);
        if (err.status >= 500) o.server.log.info(`error ${method} ${route}: ${err.message}`);
        extra['error'] = err.body.type;
        if (!res.headersSent) send(res, { status: err.status, body: err.body, headers: { ...cors, ...err.headers } });
        else res.destroy();
      }
    });
  };
  return { handle, active: () => active };
}
