// The server's TLS certificate: the one given (--tls-certificate/--tls-key), or a self-signed one made on the first
// start and kept in the state directory (folder 0700, key 0600) so that clients that pinned its fingerprint keep
// trusting it after a restart. Its SHA-256 fingerprint is printed at every start for clients to pin.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import { createServerCertificate } from '../vic/certificates/build.js';
import { generateRsaKeyPair } from '../vic/certificates/keys.js';
import { ServerUsageError } from './options.js';

export interface TlsIdentity {
  cert: string;
  key: string;
  ca?: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex */
  sha256: string;
  /** where it came from: 'given', 'kept' (made by an earlier start) or 'new' */
  source: 'given' | 'kept' | 'new';
  certPath: string;
}

export const SELF_SIGNED_CERT = 'server-cert.pem';
export const SELF_SIGNED_KEY = 'server-key.pem';

function readOrFail(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ServerUsageError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

function names(hosts: readonly string[]): { dns: string[]; ip: string[] } {
  const all = new Set(['localhost', os.hostname(), ...hosts.filter((h) => h && h !== '0.0.0.0' && h !== '::')]);
  const dns = [...all].filter((h) => !isIP(h));
  const ip = [...new Set(['127.0.0.1', '::1', ...[...all].filter((h) => isIP(h))])];
  return { dns, ip };
}

export async function loadTlsIdentity(o: { tlsCertificate?: string | undefined; tlsKey?: string | undefined; tlsCa?: string | undefined; stateDirectory: string; hosts: string[] }): Promise<TlsIdentity> {
  const ca = o.tlsCa ? readOrFail(o.tlsCa, '--tls-ca') : undefined;
  const withCa = (id: Omit<TlsIdentity, 'ca'>): TlsIdentity => (ca ? { ...id, ca } : id);
  if (o.tlsCertificate && o.tlsKey) {
    const cert = readOrFail(o.tlsCertificate, '--tls-certificate');
    const key = readOrFail(o.tlsKey, '--tls-key');
    let x: X509Certificate;
    try {
      x = new X509Certificate(cert);
    } catch (e) {
      throw new ServerUsageError(`--tls-certificate ${o.tlsCertificate} is not a PEM certificate: ${(e as Error).message}`);
    }
    return withCa({ cert, key, sha256: x.fingerprint256, source: 'given', certPath: o.tlsCertificate });
  }
  const dir = o.stateDirectory;
  const certPath = path.join(dir, SELF_SIGNED_CERT);
  const keyPath = path.join(dir, SELF_SIGNED_KEY);
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) {
    const cert = fs.readFileSync(certPath, 'utf8');
    const x = new X509Certificate(cert);
    // An expired one is replaced rather than served: clients would refuse it anyway.
    if (Date.parse(x.validTo) > Date.now()) return withCa({ cert, key: fs.readFileSync(keyPath, 'utf8'), sha256: x.fingerprint256, source: 'kept', certPath });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const pair = await generateRsaKeyPair(2048);
  const issued = await createServerCertificate(pair, { commonName: os.hostname() || 'vic-machine-server', organization: ['vic-machine-server'] },
    names(o.hosts), undefined, { validDays: 825 });
  // The key first, created with its mode (never readable by others, not even for an instant).
  fs.writeFileSync(keyPath, issued.keyPem, { mode: 0o600 });
  fs.chmodSync(keyPath, 0o600);
  fs.writeFileSync(certPath, issued.certPem, { mode: 0o644 });
  return withCa({ cert: issued.certPem, key: issued.keyPem, sha256: new X509Certificate(issued.certPem).fingerprint256, source: 'new', certPath });
}
