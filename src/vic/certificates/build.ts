/**
 * Building our own certificates and the PKCS#12 client bundle.
 *
 * Keys come from Node (`keys.ts`); node-forge (loaded lazily) builds the X.509 structure and serialises it; the
 * TBSCertificate is signed with Node's native `crypto.sign` (fast, OpenSSL, nothing blocks the event loop for long).
 * Templates follow vic-machine 1.5 `pkg/certificate/certificate.go` (§6.2):
 *  - every certificate: random serial, NotBefore = now − 1 day, NotAfter = now + 1 year (configurable), critical
 *    KeyUsage DigitalSignature|KeyEncipherment|KeyAgreement, critical BasicConstraints, SubjectKeyIdentifier;
 *  - CA: CA:TRUE + keyCertSign, self-signed;
 *  - server: serverAuth, CN + SANs (IP → IP SAN, name → DNS SAN), signed by the CA or self-signed (`--no-tlsverify`);
 *  - client: DigitalSignature only + clientAuth, signed by the CA;
 *  - `cert.pfx`: PKCS#12 of client key + client cert + CA, empty password (as `openssl pkcs12 -export -password pass:`),
 *    built natively in `pkcs12.ts`.
 */
import { randomBytes, sign as cryptoSign, type KeyObject, X509Certificate } from 'node:crypto';
import { loadForge, type Forge } from './forge.js';
import type { RsaKeyPair } from './keys.js';
import { buildPkcs12 } from './pkcs12.js';
import type { SubjectAltNames, SubjectFields } from './subject.js';

type ForgeCert = ReturnType<Forge['pki']['createCertificate']>;
type ForgeAsn1 = ReturnType<Forge['pki']['certificateToAsn1']>;

export interface ValidityOptions {
  /** Reference time; default now. */
  now?: Date;
  /** NotBefore = now − backdateMs (default 1 day, as the original, for clock skew). */
  backdateMs?: number;
  /** NotAfter = now + validDays (default 365). */
  validDays?: number;
}

export interface IssuedCertificate {
  /** PEM `CERTIFICATE`. */
  certPem: string;
  /** PEM `RSA PRIVATE KEY` (PKCS#1). */
  keyPem: string;
}

export interface Issuer {
  certPem: string;
  privateKey: KeyObject;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Positive 128-bit serial in minimal DER form (top bit clear, second bit set so no leading zero byte is needed). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** PrintableString when the value allows it (as Go does), UTF8String otherwise. */
function attr(forge: Forge, shortName: 'CN' | 'O', value: string): { shortName: string; value: string; valueTagClass: number } {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
  return { shortName, value, valueTagClass: printable ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8 };
}

function subjectAttrs(forge: Forge, s: SubjectFields): Array<{ shortName: string; value: string; valueTagClass: number }> {
  return [...s.organization.map((o) => attr(forge, 'O', o)), attr(forge, 'CN', s.commonName)];
}

function newCertificate(forge: Forge, publicKeyPem: string, subject: SubjectFields, validity: ValidityOptions): ForgeCert {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const now = validity.now ?? new Date();
  cert.validity.notBefore = new Date(now.getTime() - (validity.backdateMs ?? DAY_MS));
  cert.validity.notAfter = new Date(now.getTime() + (validity.validDays ?? 365) * DAY_MS);
  cert.setSubject(subjectAttrs(forge, subject) as never);
  return cert;
}

/** Sign the TBSCertificate with Node's crypto (sha256WithRSAEncryption). */
function signWithNode(forge: Forge, cert: ForgeCert, privateKey: KeyObject): void {
  const oid = forge.pki.oids['sha256WithRSAEncryption']!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  const pki = forge.pki as unknown as { getTBSCertificate(c: ForgeCert): ForgeAsn1 };
  const tbs = pki.getTBSCertificate(cert);
  cert.tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = cryptoSign('sha256', der, privateKey).toString('binary');
}

function toPem(forge: Forge, cert: ForgeCert): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** The issuer's own SubjectKeyIdentifier (bytes), so our AuthorityKeyIdentifier always matches it. */
function subjectKeyIdOf(forge: Forge, issuerCert: ForgeCert): string | undefined {
  const ext = issuerCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ? forge.util.hexToBytes(ext.subjectKeyIdentifier) : undefined;
}

/** A fresh object each time: forge caches the encoded value on the extension object it is given. */
function leafKeyUsage(): object {
  return { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyAgreement: true };
}

/** Self-signed CA certificate. */
export async function createCaCertificate(key: RsaKeyPair, subject: SubjectFields, validity: ValidityOptions = {}): Promise<IssuedCertificate> {
  const forge = await loadForge();
  const cert = newCertificate(forge, key.publicKeyPem, subject, validity);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: true },
    { ...leafKeyUsage(), keyCertSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWithNode(forge, cert, key.privateKey);
  return { certPem: toPem(forge, cert), keyPem: key.privateKeyPem };
}

function altNameEntries(sans: SubjectAltNames): Array<{ type: number; value?: string; ip?: string }> {
  return [...sans.dns.map((value) => ({ type: 2, value })), ...sans.ip.map((ip) => ({ type: 7, ip }))];
}

function issue(
  forge: Forge,
  key: RsaKeyPair,
  subject: SubjectFields,
  extensions: object[],
  issuer: Issuer | undefined,
  validity: ValidityOptions,
): IssuedCertificate {
  const cert = newCertificate(forge, key.publicKeyPem, subject, validity);
  const exts: object[] = [{ name: 'basicConstraints', critical: true, cA: false }, ...extensions, { name: 'subjectKeyIdentifier' }];
  if (issuer) {
    const issuerCert = forge.pki.certificateFromPem(issuer.certPem);
    cert.setIssuer(issuerCert.subject.attributes);
    const aki = subjectKeyIdOf(forge, issuerCert);
    if (aki !== undefined) exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: aki });
  } else {
    cert.setIssuer(cert.subject.attributes);
  }
  cert.setExtensions(exts);
  signWithNode(forge, cert, issuer ? issuer.privateKey : key.privateKey);
  return { certPem: toPem(forge, cert), keyPem: key.privateKeyPem };
}

/** Server certificate (serverAuth), signed by `issuer`, or self-signed when no issuer is given (`--no-tlsverify`). */
export async function createServerCertificate(
  key: RsaKeyPair,
  subject: SubjectFields,
  sans: SubjectAltNames,
  issuer: Issuer | undefined,
  validity: ValidityOptions = {},
): Promise<IssuedCertificate> {
  const forge = await loadForge();
  const exts: object[] = [leafKeyUsage(), { name: 'extKeyUsage', serverAuth: true }];
  const alt = altNameEntries(sans);
  if (alt.length > 0) exts.push({ name: 'subjectAltName', altNames: alt });
  return issue(forge, key, subject, exts, issuer, validity);
}

/** Docker client certificate (clientAuth, DigitalSignature only), signed by the CA. */
export async function createClientCertificate(
  key: RsaKeyPair,
  subject: SubjectFields,
  issuer: Issuer,
  validity: ValidityOptions = {},
): Promise<IssuedCertificate> {
  const forge = await loadForge();
  const exts: object[] = [
    { name: 'keyUsage', critical: true, digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ];
  return issue(forge, key, subject, exts, issuer, validity);
}

export interface PfxOptions {
  /** Default '' (as the original's `-password pass:`). */
  password?: string;
  friendlyName?: string;
}

/**
 * PKCS#12 (`cert.pfx`) with the client key (3DES-encrypted, PKCS#12 PBE), the client certificate and the CA
 * certificate, SHA-1 MAC; 3DES rather than AES so that older Windows and macOS key stores import it ("browser
 * friendly", as the original said). Built with Node's native primitives (`pkcs12.ts`), not forge's JavaScript ones.
 */
export async function createPfx(clientKeyPem: string, clientCertPem: string, caCertPems: readonly string[], options: PfxOptions = {}): Promise<Buffer> {
  return buildPkcs12(clientKeyPem, clientCertPem, caCertPems, options);
}

/** Parse a PEM we produced with Node's X509Certificate (used by callers that want a quick sanity check). */
export function x509(pem: string): X509Certificate {
  return new X509Certificate(pem);
}
