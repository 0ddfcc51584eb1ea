// The caller's vSphere credentials, as 1.5's server took them: `Authorization: Basic` (user and password of the
// target) or `X-VMWARE-TICKET` (a clone ticket of a vSphere session, as the vSphere Client plugin sends). They are
// only held in memory for the request and the pooled session; nothing is stored on disk, nothing is logged.
import type { IncomingMessage } from 'node:http';
import { ApiError, WWW_AUTHENTICATE } from './api-error.js';

export type Credentials =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'ticket'; ticket: string };

export function credentialsOf(req: IncomingMessage): Credentials {
  const ticket = req.headers['x-vmware-ticket'];
  if (typeof ticket === 'string' && ticket.trim()) return { kind: 'ticket', ticket: ticket.trim() };
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
    if (!m) {
      throw new ApiError(401, { message: 'the Authorization header must be "Basic <base64 of user:password>"', type: 'authentication', field: 'Authorization' },
        { 'WWW-Authenticate': WWW_AUTHENTICATE });
    }
    const text = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = text.indexOf(':');
    if (i <= 0) {
      throw new ApiError(401, { message: 'the Authorization header holds no "user:password"', type: 'authentication', field: 'Authorization' },
        { 'WWW-Authenticate': WWW_AUTHENTICATE });
    }
    return { kind: 'basic', user: text.slice(0, i), password: text.slice(i + 1) };
  }
  throw new ApiError(401, {
    message: 'vSphere credentials are needed: Authorization: Basic (user and password of the target) or X-VMWARE-TICKET (a vSphere clone ticket)',
    type: 'authentication', field: 'Authorization',
  }, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}
