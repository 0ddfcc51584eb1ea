// An X.509 v3 certificate (RFC 5280 §4.1) built and signed here: the TBSCertificate in DER, its signature by the
// issuer's key with WebCrypto (sha256WithRSAEncryption), and the Certificate around both.
import { bitString, explicit, nullValue, oid, sequence, smallInteger, time, unsignedInteger, type Bytes } from './der.js';
import { extensionsField } from './extensions.js';
import { SIGNING, type Key } from './keys.js';
import { distinguishedName, type Subject } from './name.js';
import { OID } from './oids.js';

export interface CertificateFields {
  serial: Uint8Array;
  subject: Subject;
  issuer: Subject;
  notBefore: Date;
  notAfter: Date;
  /** the subject's SubjectPublicKeyInfo (DER) */
  spki: Uint8Array;
  /** encoded extensions (extensions.ts) */
  extensions: readonly Uint8Array[];
}

const signatureAlgorithm = (): Bytes => sequence(oid(OID.sha256WithRSAEncryption), nullValue());

export function tbsCertificate(f: CertificateFields): Bytes {
  return sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(f.serial),
    signatureAlgorithm(),
    distinguishedName(f.issuer),
    sequence(time(f.notBefore), time(f.notAfter)),
    distinguishedName(f.subject),
    f.spki,
    extensionsField(f.extensions),
  );
}

/** The certificate's DER, signed with the issuer's private key. */
export async function signCertificate(f: CertificateFields, issuerKey: Key): Promise<Bytes> {
  const tbs = tbsCertificate(f);
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign(SIGNING, issuerKey, tbs));
  return sequence(tbs, signatureAlgorithm(), bitString(signature));
}
