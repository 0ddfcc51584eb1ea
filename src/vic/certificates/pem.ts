/**
 * PEM reading and classification with Node's own crypto (never node-forge: parsing untrusted input is where forge's
 * CVEs live). Used to tell a certificate from a key, to spot swapped `--tls-server-cert`/`--tls-server-key`, a CA
 * file that is really a key, and cert/key pairs that do not belong together.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export interface PemBlock {
  /** The label between `-----BEGIN ` and `-----`, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`. */
  label: string;
  /** The whole block including BEGIN/END lines, normalised to `\n` line ends and a trailing newline. */
  pem: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Text outside blocks (comments, `Bag Attributes`) is ignored. */
export function splitPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const label = m[1]!;
    const body = m[2]!.replace(/\r\n/g, '\n');
    blocks.push({ label, pem: `-----BEGIN ${label}-----\n${body.endsWith('\n') ? body : `${body}\n`}-----END ${label}-----\n` });
  }
  return blocks;
}

export interface ParsedCertificate {
  pem: string;
  x509: X509Certificate;
}

export interface ParsedPrivateKey {
  pem: string;
  key: KeyObject;
}

/** What a PEM file holds, block by block. */
export interface PemContents {
  certificates: ParsedCertificate[];
  privateKeys: ParsedPrivateKey[];
  /** Number of passphrase-protected keys (`ENCRYPTED PRIVATE KEY`, or `Proc-Type: 4,ENCRYPTED` headers). */
  encryptedKeys: number;
  /** Blocks with a certificate or key label that did not parse. */
  unparsable: string[];
  /** Labels of other blocks (CSR, public key, parameters ...). */
  otherLabels: string[];
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** Classify the PEM blocks of a file's text. Never throws. */
export function parsePemContents(text: string): PemContents {
  const out: PemContents = { certificates: [], privateKeys: [], encryptedKeys: 0, unparsable: [], otherLabels: [] };
  for (const block of splitPem(text)) {
    if (CERT_LABELS.has(block.label)) {
      try {
        const pem = block.label === 'CERTIFICATE' ? block.pem : block.pem.replaceAll(block.label, 'CERTIFICATE');
        out.certificates.push({ pem, x509: new X509Certificate(pem) });
      } catch {
        out.unparsable.push(block.label);
      }
    } else if (block.label === 'ENCRYPTED PRIVATE KEY' || (KEY_LABELS.has(block.label) && /Proc-Type:\s*4,ENCRYPTED/.test(block.pem))) {
      out.encryptedKeys += 1;
    } else if (KEY_LABELS.has(block.label)) {
      try {
        out.privateKeys.push({ pem: block.pem, key: createPrivateKey({ key: block.pem, format: 'pem' }) });
      } catch {
        out.unparsable.push(block.label);
      }
    } else {
      out.otherLabels.push(block.label);
    }
  }
  return out;
}

/** True when the certificate's public key is the public half of `key`. */
export function certificateMatchesKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The Common Name(s) of a certificate subject (Node prints the subject as `O=x\nCN=y`). */
export function subjectCommonNames(cert: X509Certificate): string[] {
  return cert.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
}

/** Whether `name` (IP or DNS name, wildcards allowed) is covered by the certificate's SANs or, lacking SANs, its CN. */
export function certificateValidFor(cert: X509Certificate, name: string): boolean {
  const wanted = name.toLowerCase();
  const ip = isIpAddress(wanted);
  if (ip) {
    if (cert.checkIP(wanted) !== undefined) return true;
  } else if (!wanted.startsWith('*.')) {
    if (cert.checkHost(wanted) !== undefined) return true;
  }
  // Wildcard cname, or certificates that only carry the name as CN / a literal SAN entry.
  const sans = (cert.subjectAltName ?? '').split(/,\s*/).map((s) => s.toLowerCase());
  if (sans.includes(`dns:${wanted}`) || sans.includes(`ip address:${wanted}`)) return true;
  return subjectCommonNames(cert).some((cn) => cn.toLowerCase() === wanted);
}

/** Validity window check; `now` injectable for tests. */
export function certificateTimeProblem(cert: X509Certificate, now = new Date()): 'expired' | 'not-yet-valid' | undefined {
  if (new Date(cert.validTo).getTime() < now.getTime()) return 'expired';
  if (new Date(cert.validFrom).getTime() > now.getTime()) return 'not-yet-valid';
  return undefined;
}

/** `cert` was signed by `issuer` (names chain and the signature verifies with the issuer's public key). */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** True when `cert` carries the given extended key usage OID (or no EKU restriction at all). */
export function allowsExtendedKeyUsage(cert: X509Certificate, oid: string): boolean {
  const eku = cert.keyUsage;
  return eku === undefined || eku.length === 0 || eku.includes(oid);
}

export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Key algorithm name for messages (`rsa`, `ec`, ...). */
export function keyType(key: KeyObject): string {
  return key.asymmetricKeyType ?? 'unknown';
}

/** The public key of a private key, PEM SPKI. */
export function publicKeyPemOf(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** IPv4 dotted quad or IPv6 literal (no brackets, no zone). */
export function isIpAddress(s: string): boolean {
  if (IPV4.test(s)) return true;
  if (!s.includes(':')) return false;
  // Let the URL parser judge IPv6 literals.
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
