// The client certificates of a new VCH, made in the browser: a CA of its own (self-signed) and one client
// certificate signed by it, each with a new RSA key, in the shape of the CLI's generated ones
// (src/vic/certificates/build.ts, subject.ts): serial random, valid from a day ago (clock skew) for a year,
// O = the VCH's name (and the cname), CN "<name> CA" / "<name> client". Only the CA certificate goes to the server
// (auth.client.certificate_authorities); the private keys stay in the page.
import { authorityKeyIdentifier, basicConstraints, clientAuth, keyUsage, subjectKeyIdentifier } from './extensions.js';
import { signCertificate } from './certificate.js';
import { generateKeyPair, keyIdentifier, pkcs8Of } from './keys.js';
import type { Subject } from './name.js';
import { pem } from './pem.js';
import { randomSerial } from './serial.js';

export interface ClientCertificates {
  /** the CA certificate: what the VCH verifies clients against */
  caCertPem: string;
  /** the CA's private key, to issue more client certificates */
  caKeyPem: string;
  /** the client certificate and its key: docker's --tlscert / --tlskey (cert.pem, key.pem) */
  clientCertPem: string;
  clientKeyPem: string;
}

export interface ClientCertificateOptions {
  /** default: the VCH's name, and the cname when one is given and not a wildcard (as the CLI) */
  organization?: readonly string[];
  cname?: string;
  now?: Date;
  /** default 365, as the CLI */
  validDays?: number;
  keyBits?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The CLI's organizationFor without --organization: the name, plus the cname (not a wildcard). */
export function organizationOf(name: string, cname?: string): string[] {
  const orgs = name.trim() ? [name.trim()] : [];
  if (orgs.length === 1 && cname && !cname.startsWith('*') && cname !== orgs[0]) orgs.push(cname);
  return orgs;
}

export async function makeClientCertificates(name: string, o: ClientCertificateOptions = {}): Promise<ClientCertificates> {
  const organization = [...(o.organization ?? organizationOf(name, o.cname))];
  const now = o.now ?? new Date();
  const notBefore = new Date(now.getTime() - DAY_MS);
  const notAfter = new Date(now.getTime() + (o.validDays ?? 365) * DAY_MS);
  const [caKey, clientKey] = await Promise.all([generateKeyPair(o.keyBits), generateKeyPair(o.keyBits)]);
  const caId = await keyIdentifier(caKey.spki);
  const ca: Subject = { commonName: `${name} CA`, organization };
  const client: Subject = { commonName: `${name} client`, organization };
  const caCert = await signCertificate({
    serial: randomSerial(), subject: ca, issuer: ca, notBefore, notAfter, spki: caKey.spki,
    extensions: [basicConstraints(true), keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign']), subjectKeyIdentifier(caId)],
  }, caKey.privateKey);
  const clientCert = await signCertificate({
    serial: randomSerial(), subject: client, issuer: ca, notBefore, notAfter, spki: clientKey.spki,
    extensions: [basicConstraints(false), keyUsage(['digitalSignature', 'keyEncipherment']), clientAuth(),
      subjectKeyIdentifier(await keyIdentifier(clientKey.spki)), authorityKeyIdentifier(caId)],
  }, caKey.privateKey);
  return {
    caCertPem: pem('CERTIFICATE', caCert),
    caKeyPem: pem('PRIVATE KEY', await pkcs8Of(caKey.privateKey)),
    clientCertPem: pem('CERTIFICATE', clientCert),
    clientKeyPem: pem('PRIVATE KEY', await pkcs8Of(clientKey.privateKey)),
  };
}
