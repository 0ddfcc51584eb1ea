// What the console shows of a certificate it did not make (a VCH's registry CAs, which the VCH model carries as PEM
// only, as 1.5's did): subject, issuer and validity, read from the DER in the browser. Just those fields of
// TBSCertificate (RFC 5280 4.1); no signature is checked: this names a certificate, it does not trust one.
import { children, readElement, type Element } from './der-reader.js';
import { derOf } from './pem.js';

export interface CertificateInfo {
  /** RFC 4514-like, in the order the name is encoded: `O=Example, CN=registry.example.com` */
  subject: string;
  issuer: string;
  /** the subject's common name, else the whole subject */
  name: string;
  notBefore: Date;
  notAfter: Date;
}

const ATTRIBUTE: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.5': 'serialNumber', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC', '1.2.840.113549.1.9.1': 'emailAddress',
};

function oidText(b: Uint8Array): string {
  const out: number[] = [];
  let n = 0;
  for (const byte of b) {
    n = n * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (!out.length) out.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
    else out.push(n);
    n = 0;
  }
  return out.join('.');
}

function stringOf(e: Element): string {
  const b = e.content;
  if (e.tag === 0x1e) { // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return s;
  }
  // UTF8String; PrintableString, IA5String and the rest are ASCII in practice (latin-1 as the fallback)
  return e.tag === 0x0c ? new TextDecoder().decode(b) : Array.from(b, (c) => String.fromCharCode(c)).join('');
}

/** A Name: SEQUENCE OF SET OF SEQUENCE { type OID, value }. */
function nameOf(e: Element): { text: string; cn?: string } {
  const parts: string[] = [];
  let cn: string | undefined;
  for (const rdn of children(e.content)) {
    // a multi-valued RDN (1.5's certificates put two O= in one SET) joined by " + ", as RFC 4514 and OpenSSL write it
    const values: string[] = [];
    for (const atv of children(rdn.content)) {
      const [type, value] = children(atv.content);
      if (!type || !value) continue;
      const oid = oidText(type.content);
      const text = stringOf(value);
      if (oid === '2.5.4.3') cn ??= text;
      values.push(`${ATTRIBUTE[oid] ?? oid}=${text}`);
    }
    if (values.length) parts.push(values.join(' + '));
  }
  return { text: parts.join(', '), ...(cn !== undefined ? { cn } : {}) };
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function timeOf(e: Element): Date {
  const s = Array.from(e.content, (c) => String.fromCharCode(c)).join('');
  const m = (e.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/).exec(s);
  if (!m) throw new Error(`unreadable time ${s}`);
  let year = Number(m[1]);
  if (e.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

/** The subject, issuer and validity of the first certificate of a PEM text; throws when it cannot be read. */
export function certificateInfo(pemText: string): CertificateInfo {
  const cert = readElement(derOf(pemText, 'CERTIFICATE'));
  const tbs = children(cert.content)[0];
  if (!tbs) throw new Error('no TBSCertificate');
  const f = children(tbs.content);
  // version [0] is optional (v1 certificates leave it out)
  const at = f[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = f[at + 2];
  const validity = f[at + 3];
  const subject = f[at + 4];
  if (!issuer || !validity || !subject) throw new Error('a truncated TBSCertificate');
  const [notBefore, notAfter] = children(validity.content);
  if (!notBefore || !notAfter) throw new Error('no validity');
  const s = nameOf(subject);
  return { subject: s.text, issuer: nameOf(issuer).text, name: s.cn ?? s.text, notBefore: timeOf(notBefore), notAfter: timeOf(notAfter) };
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** One line naming a certificate to the admin: subject, issuer and validity (the VCH's page, configure's lists). */
export function certificateSummary(pemText: string, unreadable = 'a certificate this page cannot read'): string {
  try {
    const i = certificateInfo(pemText);
    const expired = i.notAfter.getTime() < Date.now();
    return `${i.subject}; issued by ${i.issuer === i.subject ? 'itself' : i.issuer}; valid ${day(i.notBefore)} to ${day(i.notAfter)}${expired ? ' (expired)' : ''}`;
  } catch {
    return unreadable;
  }
}
