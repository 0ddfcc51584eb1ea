// HTTPS transport with one trust decision for every connection to the target (SOAP and datastore transfers).
//
// A connection is trusted when the certificate chains to a trusted CA (system store, or the CAs given) and names
// the host, or when its SHA-1 or SHA-256 thumbprint equals the pinned one. The check runs when the TLS handshake
// completes and before the socket is handed to the HTTP client, so on a mismatch not one request byte is sent
// (http.Agent#createConnection may hand the socket over asynchronously through its callback).
import https from 'node:https';
import tls from 'node:tls';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { HandshakeTimeoutError, TlsTrustError, TransportError } from './faults.js';
import { targetFailure } from './target-failure.js';
import { outsideText } from './secrets.js';
import { type CertificatePin, MalformedThumbprint, Thumbprint } from './thumbprint.js';

export interface TrustOptions {
  /**
   * the pinned certificate: a Thumbprint (SHA-1 or SHA-256), a MalformedThumbprint (trusts nothing: the connection
   * fails with the server's thumbprints), or the text of a thumbprint in any spelling Thumbprint.parse takes
   */
  thumbprint?: CertificatePin | string | undefined;
  /** extra CA certificates (PEM) trusted in addition to the system store */
  ca?: string[] | undefined;
}

/** The pin of a TrustOptions; a text that is not a thumbprint is a programming error here (the CLI reads it with readPin). */
function pinOf(trust: TrustOptions): CertificatePin | undefined {
  const t = trust.thumbprint;
  if (t === undefined || t === '') return undefined;
  return typeof t === 'string' ? Thumbprint.parse(t) : t;
}

export interface PeerCertificateInfo {
  sha1: Thumbprint;
  sha256: Thumbprint;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

function describeCert(raw: Buffer): PeerCertificateInfo {
  const x = new X509Certificate(raw);
  return {
    sha1: Thumbprint.of(x, 'SHA-1'), sha256: Thumbprint.of(x, 'SHA-256'),
    subject: x.subject.replace(/\n/g, ', '), issuer: x.issuer.replace(/\n/g, ', '),
    validFrom: x.validFrom, validTo: x.validTo,
  };
}

/**
 * Decides whether a completed TLS handshake may carry requests. Returns the error to fail with, or undefined.
 * Exported for the datastore transfer path, which shares the agent.
 */
export function checkPeer(socket: tls.TLSSocket, host: string, servername: string, trust: TrustOptions): Error | undefined {
  const peer = socket.getPeerCertificate(false);
  if (!peer?.raw) return new TransportError(`${host} presented no certificate`);
  const info = describeCert(peer.raw);
  const certificate = { ...info, sha1: info.sha1.format(), sha256: info.sha256.format() };
  const pin = pinOf(trust);
  if (pin instanceof MalformedThumbprint) {
    return new TlsTrustError(host, { reason: 'malformed', given: pin.given, problem: pin.problem }, certificate);
  }
  if (pin) {
    if (pin.equals(info.sha1) || pin.equals(info.sha256)) return undefined;
    // A certificate that is valid by CA is still rejected when the admin pinned another one: the pin is explicit.
    return new TlsTrustError(host, { reason: 'mismatch', pinned: pin.format() }, certificate);
  }
  let reason: string | undefined;
  if (!socket.authorized) reason = String(socket.authorizationError ?? 'unknown issuer');
  else {
    const idErr = tls.checkServerIdentity(servername, peer);
    if (idErr) reason = idErr.message;
  }
  if (!reason) return undefined;
  return new TlsTrustError(host, { reason: 'untrusted', why: reason }, certificate);
}

/** How long connecting and the TLS handshake may take together (a target that drops SYNs, or never says hello). */
export const HANDSHAKE_TIMEOUT_MS = 30_000;

/** An https.Agent (keep-alive) that verifies each new connection as described above. */
export class TrustingAgent extends https.Agent {
  private readonly trust: TrustOptions;
  /**
   * The certificate the last trusted connection presented: what the target's thumbprint is (create and configure
   * store its SHA-1 in the VCH's configuration, whichever algorithm --thumbprint used).
   */
  peer: PeerCertificateInfo | undefined;

  constructor(trust: TrustOptions, opts: https.AgentOptions = {}, readonly handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS) {
    super({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: 8, scheduling: 'lifo', ...opts });
    // parsed once, here: a text pin that is not a thumbprint fails now, not at the first connection
    this.trust = { ...trust, thumbprint: pinOf(trust) };
  }

  override createConnection(
    reqOptions: https.RequestOptions,
    callback?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | undefined {
    const options = reqOptions as tls.ConnectionOptions & { host?: string; port?: number; servername?: string };
    const host = options.host ?? 'localhost';
    const servername = options.servername || host;
    const hostPort = `${host}:${options.port ?? 443}`;
    const socket = tls.connect({
      ...options,
      ca: this.trust.ca?.length ? [...tls.rootCertificates, ...this.trust.ca] : undefined,
      // Verification is done by checkPeer below, which also accepts a pinned thumbprint.
      rejectUnauthorized: false,
      servername: isIP(servername) ? undefined : servername,
    });
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      socket.removeListener('error', onError);
      socket.setTimeout(0);
      if (err) {
        socket.destroy();
        callback?.(err, undefined as unknown as Duplex);
      } else callback?.(null, socket);
    };
    const onError = (e: Error & { code?: string }): void =>
      finish(new TransportError(`cannot connect to ${hostPort}: ${outsideText(e.message)}`, e.code));
    socket.once('error', onError);
    // A connection closed, or stalled, during the handshake must fail the request, not leave it waiting forever.
    socket.once('close', () => finish(new TransportError(`connection to ${hostPort} closed during the TLS handshake`, 'ECONNRESET')));
    socket.setTimeout(this.handshakeTimeoutMs, () =>
      finish(new HandshakeTimeoutError(`no TLS handshake with ${hostPort} within ${this.handshakeTimeoutMs / 1000} s`, 'ETIMEDOUT')));
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      const refused = checkPeer(socket, hostPort, servername, this.trust);
      if (!refused) {
        const raw = socket.getPeerCertificate(false)?.raw;
        if (raw) this.peer = describeCert(raw);
      }
      finish(refused ?? null);
    });
    return undefined;
  }
}

/**
 * One TLS handshake with the target, no request: the certificate it presents and the trust decision for it. For
 * callers that must show the certificate before deciding (a prompt, or `--force` accepting it with its thumbprint).
 */
export function probePeer(url: URL, trust: TrustOptions, timeoutMs = 15_000): Promise<{ info: PeerCertificateInfo; error: Error | undefined }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 443);
  const hostPort = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host, port, rejectUnauthorized: false, servername: isIP(host) ? undefined : host,
      ca: trust.ca?.length ? [...tls.rootCertificates, ...trust.ca] : undefined,
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new HandshakeTimeoutError(`no TLS handshake with ${hostPort} within ${timeoutMs / 1000} s`, 'ETIMEDOUT')));
    // said in terms of the target, as the first request of a session would (--force probes before connecting)
    socket.once('error', (e: Error & { code?: string }) => reject(targetFailure(url,
      e instanceof TransportError ? e : new TransportError(`cannot connect to ${hostPort}: ${outsideText(e.message)}`, e.code))));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(false);
      const error = checkPeer(socket, hostPort, host, trust);
      socket.end();
      if (!peer?.raw) reject(new TransportError(`${hostPort} presented no certificate`));
      else resolve({ info: describeCert(peer.raw), error });
    });
  });
}
