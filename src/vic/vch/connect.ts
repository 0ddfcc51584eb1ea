// Logging in for ls / inspect / delete: the same trust rules as create (thumbprint pinning or the system's CAs).
import { Session } from '../../vim/session.js';
import type { CertificatePin } from '../../vim/thumbprint.js';

export interface VchTarget {
  url: URL;
  user: string;
  password: string;
  thumbprint?: CertificatePin | undefined;
  /** `/DC0` (the path in --target), if any */
  datacenterPath?: string | undefined;
  /** VIC_MACHINE_API_TIMEOUT: how long one vSphere request may go unanswered (default 5 min) */
  requestTimeoutMs?: number | undefined;
}

export async function openSession(t: VchTarget, userAgent = 'vic-machine'): Promise<Session> {
  return Session.connect({ url: t.url, user: t.user, password: t.password, trust: { thumbprint: t.thumbprint }, userAgent,
    requestTimeoutMs: t.requestTimeoutMs });
}
