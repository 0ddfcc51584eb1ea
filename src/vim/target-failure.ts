// Why the target could not be talked to, said in terms of --target (TargetConnectError, exit 8 in the CLI): it cannot
// be reached (refused, no such name, no route, no connection, no answer), or what answers is not vCenter or ESXi (no
// TLS, an HTTP error on /sdk, an answer that is not SOAP). Used for the first request of a session and the TLS probe.
import { STATUS_CODES } from 'node:http';
import { HandshakeTimeoutError, TargetConnectError, TransportError } from './faults.js';

const NOT_VSPHERE_HINT = '--target must be the address of a vCenter Server or an ESXi host';

export function notVsphere(url: URL, why: string, cause?: unknown): TargetConnectError {
  return new TargetConnectError(`${url.host} is not a vSphere endpoint: ${why}`, 'not-vsphere', NOT_VSPHERE_HINT, { cause });
}

/**
 * The failure of the first request (or of the TLS probe before it), said in terms of the target: why it cannot be
 * reached, or why what answers is not vCenter or ESXi. Anything else (an untrusted certificate, an interruption, a SOAP
 * fault) passes unchanged.
 */
export function targetFailure(url: URL, e: unknown): unknown {
  if (!(e instanceof TransportError)) return e;
  const port = url.port || '443';
  if (e.statusCode !== undefined) {
    return notVsphere(url, /is not SOAP/.test(e.message) ? `its answer to POST ${url.pathname} is not SOAP`
      : `POST ${url.pathname} answered HTTP ${e.statusCode} ${STATUS_CODES[e.statusCode] ?? ''}`.trim(), e);
  }
  if (/^ERR_SSL_/.test(e.code ?? '') || /wrong version number|unknown protocol|packet length too long|http request/i.test(e.message)) {
    return notVsphere(url, `it does not speak TLS (HTTPS) on port ${port}`, e);
  }
  if (e.code === undefined && /has no RetrieveServiceContentResponse/.test(e.message)) return notVsphere(url, 'its SOAP answer holds no vSphere service content', e);
  const why: Record<string, string> = {
    ECONNREFUSED: `connection refused: nothing listens on port ${port}`,
    ENOTFOUND: `the name "${url.hostname}" does not resolve`,
    EAI_AGAIN: `the name "${url.hostname}" could not be resolved (no answer from DNS)`,
    EHOSTUNREACH: 'no route to the host', ENETUNREACH: 'no route to its network',
    ECONNRESET: 'the connection was closed before an answer',
  };
  const timedOut = e.code === 'ETIMEDOUT';
  const reason = why[e.code ?? ''] ?? (timedOut ? `no answer (${e.message.replace(/^RetrieveServiceContent: |^cannot connect to \S+: /, '')})` : e.message.replace(/^cannot connect to \S+: /, ''));
  const hint = e instanceof HandshakeTimeoutError ? 'check --target: nothing completed a connection there (a host that is down, or a firewall that drops it)'
    : timedOut ? 'check --target; a vCenter that is only busy may need a higher VIC_MACHINE_API_TIMEOUT (default 5m)'
      : 'check --target: the address of a vCenter Server or an ESXi host, with its port if not 443';
  return new TargetConnectError(`cannot connect to ${url.host}: ${reason}`, 'unreachable', hint, { cause: e });
}
