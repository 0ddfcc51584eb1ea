// The caller's vSphere credentials, as 1.5's server took them: `Authorization: Basic` (user and password of the
// target) or `X-VMWARE-TICKET` (a clone ticket of a vSphere session, as the vSphere Client plugin sends). They are
// only held in memory for the request and the pooled session; nothing is stored on disk, nothing is logged.
import type { IncomingMessage } from 'node:http';
import type { Session } from '../vim/session.js';
import { ApiError, WWW_AUTHENTICATE } from './api-error.js';

/** A vSphere session the server already holds for the caller (the console's session cookie: src/server/console/). */
export interface HeldCredentials {
  kind: 'held';
  /** who started a task, for /tasks */
  owner: string;
  /** the target origin the session is for */
  origin: string;
  use<T>(fn: (s: Session, key: string) => Promise<T>): Promise<T>;
}

export type Credentials =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'ticket'; ticket: string }
  | HeldCredentials;

/** Where a front layer (the console) leaves the credentials it resolved for a request. */
export const HELD_CREDENTIALS = Symbol('vic-machine-server held credentials');

/**
 * The secrets a request carries (its Basic password, its clone ticket), read without judging the header: they are
 * redacted from every text that comes from outside while the request and its task run (src/vim/secrets.ts).
 */
export function requestSecretsOf(req: IncomingMessage): string[] {
  const out: string[] = [];
  const ticket = req.headers['x-vmware-ticket'];
  if (typeof ticket === 'string' && ticket.trim()) out.push(ticket.trim());
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m) {
    const text = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = text.indexOf(':');
    if (i > 0 && i < text.length - 1) out.push(text.slice(i + 1));
  }
  return out;
}

export function credentialsOf(req: IncomingMessage): Credentials {
  const held = (req as unknown as Record<symbol, HeldCredentials | undefined>)[HELD_CREDENTIALS];
  if (held) return held;
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
