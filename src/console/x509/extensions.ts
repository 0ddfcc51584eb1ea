// The X.509 v3 extensions of the CA and client certificates the console makes (RFC 5280 §4.2). Each is
// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING (the DER of its value) };
// DER leaves `critical` out when it is false.
import { boolean, explicit, implicitPrimitive, namedBits, octetString, oid, sequence, type Bytes } from './der.js';
import { OID } from './oids.js';

function extension(id: string, critical: boolean, value: Uint8Array): Bytes {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** KeyUsage bit positions (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 } as const;
export type KeyUsage = keyof typeof KEY_USAGE;

/** BasicConstraints, critical: cA TRUE for a CA (no path length limit); an empty SEQUENCE for an end entity. */
export const basicConstraints = (ca: boolean): Bytes => extension(OID.basicConstraints, true, sequence(...(ca ? [boolean(true)] : [])));

/** KeyUsage, critical (as the CLI's generated certificates). */
export const keyUsage = (usages: readonly KeyUsage[]): Bytes => extension(OID.keyUsage, true, namedBits(usages.map((u) => KEY_USAGE[u])));

/** ExtendedKeyUsage: TLS client authentication only. */
export const clientAuth = (): Bytes => extension(OID.extKeyUsage, false, sequence(oid(OID.clientAuth)));

/** SubjectKeyIdentifier: the key identifier as an OCTET STRING. */
export const subjectKeyIdentifier = (keyId: Uint8Array): Bytes => extension(OID.subjectKeyIdentifier, false, octetString(keyId));

/** AuthorityKeyIdentifier with its keyIdentifier [0] only: the issuer's SubjectKeyIdentifier. */
export const authorityKeyIdentifier = (keyId: Uint8Array): Bytes => extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyId)));

/** The [3] EXPLICIT Extensions of a TBSCertificate. */
export const extensionsField = (exts: readonly Uint8Array[]): Bytes => explicit(3, sequence(...exts));
