// What a /target/{target}[/datacenter/{datacenter}] request is about: the vSphere endpoint (`{target}`: a host name or
// address, with :port if not 443), the certificate pin (`?thumbprint=`), the datacenter (`{datacenter}`: its managed
// object id as 1.5's clients send it, e.g. datacenter-2, or its name), the compute resource (`?compute-resource=`),
// and the caller's credentials; then runs a function with the pooled session for them.
import { readPin } from '../vim/thumbprint.js';
import type { Session } from '../vim/session.js';
import type { ScopeOptions } from '../vic/vch/find.js';
import { badRequest } from './api-error.js';
import { credentialsOf, type Credentials } from './auth.js';
import type { RequestContext } from './router.js';
import type { PoolTarget } from './session-pool.js';

export interface VsphereTarget {
  credentials: Credentials;
  pool: PoolTarget;
  /** the datacenter and compute resource to search */
  scope: Pick<ScopeOptions, 'datacenterPath' | 'datacenterId' | 'computeResource'>;
  /** `host[:port]` as given, for messages */
  label: string;
}

/** Managed object ids of datacenters: vCenter's `datacenter-<n>`, ESXi's `ha-datacenter`. */
const DATACENTER_ID = /^(datacenter-\d+|ha-datacenter)$/;

export function targetOf(ctx: RequestContext): VsphereTarget {
  const raw = ctx.params['target'] ?? '';
  let url: URL;
  try {
    if (!raw || /[/@\s?#]/.test(raw)) throw new Error('bad');
    url = new URL(`https://${raw}`);
  } catch {
    throw badRequest(`invalid target "${raw}": expected a vCenter or ESXi host name or address, with :port when not 443`, 'target');
  }
  const pool: PoolTarget = { url: new URL(url.origin) };
  const tp = ctx.query.get('thumbprint');
  // A malformed pin (a truncated paste) trusts nothing: the answer is the untrusted-target error with the target's
  // real fingerprints, as the CLI's --thumbprint does.
  if (tp) pool.thumbprint = readPin(tp);
  const scope: VsphereTarget['scope'] = {};
  const dc = ctx.params['datacenter'];
  if (dc !== undefined) {
    if (!dc) throw badRequest('empty datacenter', 'datacenter');
    if (DATACENTER_ID.test(dc)) scope.datacenterId = dc;
    else scope.datacenterPath = dc.startsWith('/') ? dc : `/${dc}`;
  }
  const cr = ctx.query.get('compute-resource');
  if (cr) scope.computeResource = cr;
  return { credentials: credentialsOf(ctx.req), pool, scope, label: raw };
}

export function withTarget<T>(ctx: RequestContext, fn: (s: Session, t: VsphereTarget, sessionKey: string) => Promise<T>): Promise<T> {
  const t = targetOf(ctx);
  return ctx.server.pool.withSession(t.credentials, t.pool, (s, key) => fn(s, t, key));
}
