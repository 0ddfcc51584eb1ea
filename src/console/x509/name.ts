// An X.501 distinguished name of the fields the CLI's certificates carry: Organization(s), then Common Name, one
// attribute per RDN (as Go's crypto/x509 writes them), each a PrintableString when the text allows, else UTF8String.
import { directoryString, oid, sequence, setOf, type Bytes } from './der.js';
import { OID } from './oids.js';

export interface Subject {
  commonName: string;
  organization: readonly string[];
}

/** X.520's upper bound for a Common Name. */
export const MAX_CN_LENGTH = 64;

export function distinguishedName(s: Subject): Bytes {
  const rdn = (type: string, value: string) => setOf(sequence(oid(type), directoryString(value)));
  return sequence(...s.organization.map((o) => rdn(OID.organizationName, o)), rdn(OID.commonName, s.commonName.slice(0, MAX_CN_LENGTH)));
}
