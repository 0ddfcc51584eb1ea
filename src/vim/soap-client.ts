// One SOAP round trip per call: envelope out, returnval or fault back. Keeps the session cookie, counts round
// trips per method (benchmarks and --debug read them), and retries idempotent calls once after a temporary network
// error (a keep-alive socket the server closed). *_Task and other state-changing calls are never retried blindly.
import https from 'node:https';
import { HandshakeTimeoutError, TransportError, VimFault } from './faults.js';
import { IDEMPOTENT_METHODS } from './methods.generated.js';
import { methodInfo } from './schema.js';
import { outsideText } from './secrets.js';
import { HANDSHAKE_TIMEOUT_MS, TrustingAgent, type TrustOptions } from './transport.js';
import { child, decodeNode, encodeRequest, parseXml, xsiTypeOf, type XmlNode } from './xml-codec.js';
import type { DataObject } from './types.js';

export interface TraceEvent {
  method: string;
  ms: number;
  /** "ok", a fault name, or a transport error code */
  outcome: string;
  requestBytes: number;
  responseBytes: number;
}

export interface SoapClientOptions {
  /** the SDK endpoint, e.g. https://vc.example.com/sdk */
  url: URL;
  trust: TrustOptions;
  userAgent: string;
  /** per-request timeout; WaitForUpdatesEx calls add their own wait time */
  timeoutMs?: number;
  onTrace?: (e: TraceEvent) => void;
}

/** govmomi's api_timeout: long enough for a busy vCenter, short enough that a hung call ends. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export class SoapClient {
  readonly agent: TrustingAgent;
  readonly url: URL;
  /** "urn:vim25/<apiVersion>" once the service content is known */
  apiVersion = '6.5';
  /** value of the vmware_soap_session cookie after Login */
  sessionCookie: string | undefined;
  /** round trips per method since creation */
  readonly roundTrips = new Map<string, number>();

  constructor(private readonly opts: SoapClientOptions) {
    this.url = opts.url;
    // A shorter request timeout (VIC_MACHINE_API_TIMEOUT) bounds the connection too: no limit waits longer than it.
    this.agent = new TrustingAgent(opts.trust, {}, Math.min(HANDSHAKE_TIMEOUT_MS, this.requestTimeoutMs));
  }

  /** how long one request may go without an answer (and a datastore transfer without moving data): 5 min default */
  get requestTimeoutMs(): number {
    return this.opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  get totalRoundTrips(): number {
    let n = 0;
    for (const v of this.roundTrips.values()) n += v;
    return n;
  }

  get userAgent(): string {
    return this.opts.userAgent;
  }

  /** Reports a finished round trip to the onTrace hook (datastore transfers report theirs here too). */
  trace(e: TraceEvent): void {
    this.opts.onTrace?.(e);
  }

  /** Calls a vim25 method; resolves to its decoded returnval (undefined for void methods). */
  async call<T = unknown>(method: string, args: Record<string, unknown>, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const info = methodInfo(method);
    const body = encodeRequest(method, info.params, args);
    for (let attempt = 1; ; attempt++) {
      try {
        const root = await this.roundTrip(method, body, o);
        const bodyNode = child(root, 'Body');
        const resp = bodyNode && child(bodyNode, `${method}Response`);
        if (!resp) throw new TransportError(`${method}: the server's answer has no ${method}Response`);
        if (!info.returns) return undefined as T;
        const rv = resp.children.filter((c) => c.tag === 'returnval');
        if (info.returns.array) return rv.map((n) => decodeNode(n, info.returns!.type)) as T;
        return (rv[0] ? decodeNode(rv[0], info.returns.type) : undefined) as T;
      } catch (e) {
        const code = (e as TransportError).code;
        const retryable = e instanceof TransportError && !(e instanceof HandshakeTimeoutError) && code && RETRYABLE_CODES.has(code);
        if (attempt < 2 && retryable && IDEMPOTENT_METHODS.has(method)) continue;
        throw e;
      }
    }
  }

  private roundTrip(method: string, body: string, o: { timeoutMs?: number; signal?: AbortSignal }): Promise<XmlNode> {
    this.roundTrips.set(method, (this.roundTrips.get(method) ?? 0) + 1);
    const started = performance.now();
    const payload = Buffer.from(body, 'utf8');
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset="utf-8"',
      'Content-Length': String(payload.length),
      SOAPAction: `urn:vim25/${this.apiVersion}`,
      'User-Agent': this.opts.userAgent,
      Accept: 'text/xml',
    };
    if (this.sessionCookie) headers['Cookie'] = `vmware_soap_session=${this.sessionCookie}`;
    const trace = (outcome: string, responseBytes: number): void =>
      this.trace({ method, ms: performance.now() - started, outcome, requestBytes: payload.length, responseBytes });

    return new Promise<XmlNode>((resolve, reject) => {
      const req = https.request({
        protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port || 443,
        path: this.url.pathname + this.url.search, method: 'POST', headers, agent: this.agent,
        timeout: o.timeoutMs ?? this.requestTimeoutMs, signal: o.signal,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new TransportError(`${method}: ${outsideText(e.message)}`, (e as NodeJS.ErrnoException).code)));
        res.on('end', () => {
          const xml = Buffer.concat(chunks).toString('utf8');
          for (const c of [res.headers['set-cookie'] ?? []].flat()) {
            const m = /^vmware_soap_session=("?)([^";]*)\1/.exec(c);
            if (m) this.sessionCookie = m[2];
          }
          const status = res.statusCode ?? 0;
          if (status !== 200 && status !== 500) {
            trace(`HTTP ${status}`, xml.length);
            reject(new TransportError(`${method}: ${this.url.host} answered HTTP ${status} ${outsideText(res.statusMessage ?? '')}`.trim() +
              (status === 404 ? ` — is ${this.url.href} a vSphere SDK endpoint?` : ''), undefined, status));
            return;
          }
          let root: XmlNode;
          try {
            root = parseXml(xml);
          } catch (e) {
            trace('bad XML', xml.length);
            reject(new TransportError(`${method}: the answer of ${this.url.host} is not SOAP (${outsideText((e as Error).message)}) — is it a vCenter or ESXi host?`, undefined, status));
            return;
          }
          if (root.tag !== 'Envelope') {
            // well-formed XML that is no SOAP envelope: a web page (XHTML) or another service's answer
            trace('not SOAP', xml.length);
            reject(new TransportError(`${method}: the answer of ${this.url.host} is not SOAP (a <${root.tag}> document) — is it a vCenter or ESXi host?`, undefined, status));
            return;
          }
          const fault = findFault(root, method);
          trace(fault ? fault.faultName : 'ok', xml.length);
          if (fault) reject(fault);
          else resolve(root);
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${(o.timeoutMs ?? this.requestTimeoutMs) / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof TransportError || e.name === 'TlsTrustError') {
          trace(e.name, 0);
          reject(e);
          return;
        }
        if (e.name === 'AbortError') {
          trace('aborted', 0);
          reject(e);
          return;
        }
        trace(e.code ?? 'error', 0);
        reject(new TransportError(`${method}: ${outsideText(e.message)}`, e.code));
      });
      req.end(payload);
    });
  }

  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

/** A SOAP fault in the body, as a VimFault carrying the vim25 fault type from <detail>. */
function findFault(root: XmlNode, method: string): VimFault | undefined {
  const body = child(root, 'Body');
  const f = body && child(body, 'Fault');
  if (!f) return undefined;
  // the server's words, which may echo what was sent
  const faultstring = outsideText(child(f, 'faultstring')?.text ?? '');
  const detail = child(f, 'detail');
  const d = detail?.children[0];
  if (!d) return new VimFault('ServerFault', faultstring, {}, method);
  // <InvalidLoginFault xsi:type="InvalidLogin"> — the xsi:type names the fault; the element name has "Fault" appended.
  const name = xsiTypeOf(d) ?? d.tag.replace(/Fault$/, '');
  const decoded = decodeNode(d, name) as DataObject;
  return new VimFault(name, faultstring, decoded, method);
}
