// After power-on: wait for what the appliance publishes through its extraConfig (the client IP, then each component's
// "started" key) and then for the Docker API to answer over TLS. All of it bounded by --timeout, and a timeout says
// which phase it was in and what each interface and component looked like at that moment.
import https from 'node:https';
import http from 'node:http';
import { X509Certificate } from 'node:crypto';
import { waitForProperties, WaitTimeoutError } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';

export const COMPONENTS = ['vicadmin', 'docker-personality', 'port-layer'] as const;
export const ROLES = ['client', 'public', 'management'] as const;

const ipKey = (role: string) => `guestinfo.vice..init.networks|${role}.assigned.IP`;
const startedKey = (c: string) => `guestinfo.vice..init.sessions|${c}.started`;

/** VIC stores IPs as base64 of the 16-byte IPv6 form (IPv4-mapped for IPv4). */
export function decodeIp(b64: string | undefined): string | undefined {
  if (!b64 || b64 === '<nil>') return undefined;
  const buf = Buffer.from(b64, 'base64');
  if (buf.length === 4) return [...buf].join('.');
  if (buf.length !== 16) return undefined;
  const mapped = buf.subarray(0, 10).every((b) => b === 0) && buf[10] === 0xff && buf[11] === 0xff;
  if (mapped) {
    const v4 = [...buf.subarray(12)].join('.');
    return v4 === '0.0.0.0' ? undefined : v4;
  }
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(buf.readUInt16BE(i).toString(16));
  return parts.join(':');
}

export interface ApplianceState {
  ips: Partial<Record<(typeof ROLES)[number], string>>;
  components: Record<string, string>;
}

export function applianceState(extraConfig: Record<string, string>): ApplianceState {
  const ips: ApplianceState['ips'] = {};
  for (const r of ROLES) {
    const ip = decodeIp(extraConfig[ipKey(r)]);
    if (ip) ips[r] = ip;
  }
  const components: Record<string, string> = {};
  for (const c of COMPONENTS) {
    const v = extraConfig[startedKey(c)];
    components[c] = !v || v === '<nil>' ? 'waiting to launch' : v === 'true' ? 'started successfully' : v;
  }
  return { ips, components };
}

export type ReadyPhase = 'waiting for the client IP address' | 'waiting for the appliance components to start' | 'waiting for the Docker API';

export class ReadyTimeoutError extends Error {
  override readonly name = 'ReadyTimeoutError';
  constructor(readonly phase: ReadyPhase, readonly timeoutMs: number, readonly state: ApplianceState, readonly detail?: string) {
    super(`timed out after ${Math.round(timeoutMs / 1000)}s ${phase}${detail ? ` (${detail})` : ''}`);
  }
}

export class ComponentFailedError extends Error {
  override readonly name = 'ComponentFailedError';
  constructor(readonly component: string, readonly status: string) {
    super(`the appliance component ${component} did not launch: ${status}`);
  }
}

export interface DockerEndpoint {
  host: string;
  port: number;
  tls: boolean;
  /** the server certificate the VCH was given: the only one accepted */
  serverCertPem?: string | undefined;
  /** client certificate and key (tlsverify) */
  clientCertPem?: string | undefined;
  clientKeyPem?: string | undefined;
  /**
   * The VCH verifies client certificates against a CA whose client certificates this run does not have (--tls-ca,
   * or the console's browser-made CA): its refusal of a client without one shows that the API is up, as 1.5's
   * CheckDockerAPI took the TLS error it then expected (tlsErrExpected) for success.
   */
  verifiesClientsWithoutOurs?: boolean | undefined;
}

/** The TLS alerts of a server that wants a client certificate: certificate required (TLS 1.3), handshake failure or bad certificate (TLS 1.2). */
const CLIENT_CERTIFICATE_WANTED = /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_HANDSHAKE_FAILURE|SSLV3_ALERT_BAD_CERTIFICATE)$/;

/** Thrown by a probe refused for want of a client certificate, when that shows the API is up. */
const UP_WITHOUT_CLIENT_CERTIFICATE = Symbol('up without a client certificate');

/** One probe of the Docker API: GET /_ping then /info. Resolves to the server's info, or rejects. */
export async function probeDockerApi(e: DockerEndpoint, timeoutMs = 5000): Promise<Record<string, unknown>> {
  const get = (path: string): Promise<string> => new Promise((resolve, reject) => {
    const opts: https.RequestOptions = { host: e.host, port: e.port, path, method: 'GET', timeout: timeoutMs, agent: false };
    let req: http.ClientRequest;
    if (e.tls) {
      Object.assign(opts, {
        cert: e.clientCertPem, key: e.clientKeyPem,
        // Trust exactly the certificate this VCH was given (whatever its SANs), nothing else.
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
      req = https.request(opts);
    } else req = http.request(opts);
    req.on('response', (res) => {
      if (e.tls && e.serverCertPem) {
        // The probe carries nothing secret, so the certificate is compared once the answer is in.
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        const expected = new X509Certificate(e.serverCertPem).fingerprint256;
        if (peer?.fingerprint256 !== expected) {
          res.resume();
          reject(new Error(`the Docker API at ${e.host}:${e.port} presented another certificate than the VCH's (${peer?.fingerprint256 ?? 'none'})`));
          return;
        }
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`GET ${path} answered HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs / 1000}s`)));
    let presented: string | undefined;
    if (e.tls && e.verifiesClientsWithoutOurs) {
      req.on('socket', (s) => s.on('secureConnect', () => { presented = (s as import('node:tls').TLSSocket).getPeerCertificate()?.fingerprint256; }));
    }
    req.on('error', (err: Error & { code?: string }) => {
      // TLS 1.3 finishes the client's handshake before the server's alert: the certificate it showed must be the VCH's
      const ours = !presented || !e.serverCertPem || presented === new X509Certificate(e.serverCertPem).fingerprint256;
      if (e.tls && e.verifiesClientsWithoutOurs && !e.clientCertPem && ours && CLIENT_CERTIFICATE_WANTED.test(err.code ?? '')) reject(UP_WITHOUT_CLIENT_CERTIFICATE);
      else reject(err);
    });
    req.end();
  });
  try {
    await get('/_ping');
    return JSON.parse(await get('/info')) as Record<string, unknown>;
  } catch (err) {
    if (err === UP_WITHOUT_CLIENT_CERTIFICATE) return {};
    throw err;
  }
}

function toRecord(ec: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of (ec as { key: string; value: unknown }[] | undefined) ?? []) out[o.key] = String(o.value ?? '');
  return out;
}

export interface WaitReadyInput {
  vm: MoRef;
  timeoutMs: number;
  /** the Docker API to check at the end; without it the wait ends when the components have started */
  docker?: Omit<DockerEndpoint, 'host'>;
  log: (msg: string) => void;
  signal?: AbortSignal;
}

export interface ReadyResult {
  state: ApplianceState;
  clientIp: string;
  dockerInfo: Record<string, unknown>;
}

export async function waitForAppliance(session: Session, i: WaitReadyInput): Promise<ReadyResult> {
  const deadline = Date.now() + i.timeoutMs;
  let last: ApplianceState = { ips: {}, components: {} };
  let phase: ReadyPhase = 'waiting for the client IP address';
  i.log('Waiting for IP information');
  try {
    // One property-collector wait covers both phases: the IP first, then every component's started key. It only
    // reads, so a failed call of it (a fault, a dropped connection) is retried with a fresh collector within the
    // deadline rather than failing a create whose VCH is already complete.
    const watch = () => waitForProperties(session, i.vm, ['config.extraConfig', 'runtime.powerState'], (p) => {
      if (p['runtime.powerState'] === 'poweredOff') throw new Error('the appliance VM powered off unexpectedly');
      const ec = toRecord(p['config.extraConfig']);
      last = applianceState(ec);
      if (!last.ips.client) return undefined;
      if (phase === 'waiting for the client IP address') {
        phase = 'waiting for the appliance components to start';
        i.log(`Obtained IP address for client interface: "${last.ips.client}"`);
        i.log('Waiting for major appliance components to launch');
      }
      for (const c of COMPONENTS) {
        const v = ec[startedKey(c)];
        if (v && v !== '<nil>' && v !== 'true') throw new ComponentFailedError(c, v);
      }
      return COMPONENTS.every((c) => ec[startedKey(c)] === 'true') ? last : undefined;
    }, { timeoutMs: Math.max(0, deadline - Date.now()), signal: i.signal, what: 'the appliance' });
    let state: ApplianceState;
    for (;;) {
      try {
        state = await watch();
        break;
      } catch (e) {
        if (!isTransientWaitFailure(e) || i.signal?.aborted) throw e;
        const waitErr = e as Error;
        if (deadline - Date.now() <= 0) throw new ReadyTimeoutError(phase, i.timeoutMs, last, waitErr.message);
        i.log(`Reading the appliance's state failed (${waitErr.message}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
      }
    }

    const host = state.ips.client!;
    if (!i.docker) return { state, clientIp: host, dockerInfo: {} };
    phase = 'waiting for the Docker API';
    const docker = i.docker;
    i.log(`Checking the Docker API at ${host}:${docker.port}`);
    let lastErr: Error | undefined;
    for (;;) {
      i.signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ReadyTimeoutError(phase, i.timeoutMs, last, lastErr?.message);
      try {
        const info = await probeDockerApi({ ...docker, host }, Math.min(5000, remaining));
        if (docker.verifiesClientsWithoutOurs && !docker.clientCertPem && !Object.keys(info).length) {
          i.log(`The Docker API at ${host}:${docker.port} asks for a client certificate of the VCH's CA, which this run does not have: it is up`);
        }
        return { state, clientIp: host, dockerInfo: info };
      } catch (e) {
        lastErr = e as Error;
        // The API takes a moment after the components start; retry with a short pause, within the deadline.
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
      }
    }
  } catch (e) {
    if (e instanceof WaitTimeoutError) throw new ReadyTimeoutError(phase, i.timeoutMs, last);
    throw e;
  }
}

/** A failure of the wait's reads worth another try: not the appliance's own verdict, the deadline, an abort or a deleted VM. */
function isTransientWaitFailure(e: unknown): boolean {
  if (e instanceof ComponentFailedError || e instanceof WaitTimeoutError || e instanceof ReadyTimeoutError) return false;
  const err = e as Error;
  if (err.name === 'AbortError' || /powered off unexpectedly/.test(err.message)) return false;
  const fault = (e as { faultName?: string }).faultName;
  return fault !== 'ManagedObjectNotFound' && fault !== 'NotAuthenticated' && fault !== 'NoPermission';
}
