/**
 * Subject and SAN rules for generated certificates (pure functions).
 *
 * vic-machine 1.5 (§6.2, §11.2 item 1): Organization = `--organization` values, and when exactly one is given and
 * the cname is not a wildcard, the cname is appended. It *meant* to default to the VCH name but never did (effective
 * default `O=""`); the help text says "Defaults to VCH name and IP/FQDN if not provided". We implement the documented
 * behaviour: default `[<vch name>]` (+ cname). Docker clients ignore the Organization; what they need is a CA with
 * CA:TRUE/keyCertSign, a server certificate whose **SANs** cover the address they dial (Go ignores the CN since 1.15)
 * and a client certificate with clientAuth. The original left CN unset on the CA and the client certificate, which
 * made the client's subject equal to the CA's (OpenSSL then calls it self-signed); we always set a CN.
 */
import { isIpAddress } from './pem.js';

/** Organization list for a VCH's certificates. */
export function organizationFor(name: string, organization: readonly string[] | undefined, cname: string | undefined): string[] {
  const given = (organization ?? []).map((o) => o.trim()).filter((o) => o.length > 0);
  const orgs = given.length > 0 ? given : name.trim() ? [name.trim()] : [];
  if (orgs.length === 1 && cname && !cname.startsWith('*') && !orgs.includes(cname)) orgs.push(cname);
  return orgs;
}

export interface SubjectFields {
  commonName: string;
  organization: string[];
}

/** X.520 upper bound for a Common Name. Longer names still go into the SAN unchanged. */
export const MAX_CN_LENGTH = 64;

function cn(value: string): string {
  return value.length <= MAX_CN_LENGTH ? value : value.slice(0, MAX_CN_LENGTH);
}

export function caSubject(name: string, organization: string[]): SubjectFields {
  return { commonName: cn(`${name} CA`), organization };
}

/** Server CN: the cname (normalised IP or DNS name), else the VCH name (self-signed `--no-tlsverify` without cname). */
export function serverSubject(name: string, organization: string[], cname: string | undefined): SubjectFields {
  return { commonName: cn(cname || name), organization };
}

export function clientSubject(name: string, organization: string[]): SubjectFields {
  return { commonName: cn(`${name} client`), organization };
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
}

/**
 * SANs of a server certificate: the cname (IP address → IP SAN, name → DNS SAN), plus any extra addresses (the
 * static client IP when the cname is a name, so `docker -H <ip>` also verifies). No DNS lookups: the original added
 * reverse/forward DNS results, which made certificates depend on the build host's resolver (§11.2 item 11).
 */
export function serverAltNames(cname: string | undefined, extra: readonly string[] = []): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [] };
  for (const raw of [cname, ...extra]) {
    if (!raw) continue;
    const value = stripCidr(raw).toLowerCase();
    const list = isIpAddress(value) ? out.ip : out.dns;
    if (!list.includes(value)) list.push(value);
  }
  return out;
}

/** `10.0.0.5/24` → `10.0.0.5`; anything else unchanged. */
export function stripCidr(value: string): string {
  const m = /^(.+)\/(\d{1,3})$/.exec(value.trim());
  return m && isIpAddress(m[1]!) ? m[1]! : value.trim();
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/**
 * Checks a `--tls-cname` value: IPv4/IPv6 address (a CIDR suffix is stripped), DNS name, or wildcard `*.domain`.
 * Returns the normalised value, or a reason it is invalid.
 */
export function normaliseCname(value: string): { cname: string } | { problem: string } {
  const v = stripCidr(value);
  if (v.length === 0) return { problem: 'it is empty' };
  if (isIpAddress(v)) return { cname: v };
  if (/\s/.test(v)) return { problem: 'it contains white space' };
  if (v.includes('://') || v.includes('/')) return { problem: 'give a host name or IP address, not a URL' };
  if (/:\d+$/.test(v)) return { problem: 'give a host name or IP address without a port' };
  const name = v.endsWith('.') ? v.slice(0, -1) : v;
  if (name.length > 253) return { problem: 'a DNS name has at most 253 characters' };
  const labels = name.split('.');
  const rest = labels[0] === '*' ? labels.slice(1) : labels;
  if (labels[0] === '*' && rest.length < 2) return { problem: 'a wildcard needs a domain of at least two labels, e.g. *.example.com' };
  if (!rest.every((l) => LABEL.test(l))) {
    return { problem: 'it is not an IP address or DNS name (letters, digits and hyphens separated by dots; a leading "*." is allowed)' };
  }
  return { cname: name.toLowerCase() };
}
