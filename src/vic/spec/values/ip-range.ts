// `--container-network-ip-range` and `--bridge-network-range`-style address ranges.
//
// Accepted spellings: a CIDR (`10.0.0.0/24`; `10.0.0.7/24` starts at .7, as 1.5's ip.ParseRange takes it), `first-last`
// (`10.0.0.10-10.0.0.20`, blanks around "-" ignored) and 1.5's short form `first-lastOctet` (`10.0.0.10-20`).
// The CIDR and first-last forms are different values although they may cover the same addresses: vic-machine 1.5
// stores a CIDR range with 4-byte addresses and a first-last range with 16-byte ones (ip.ParseRange), so the form is
// part of what is written. Canonical text: `network/prefix` or `first-last`.
import { boundsOf, formatIpv4, ipv4Bytes16, ipv4Bytes4, parseIpv4, parseIpv4Cidr, type Ipv4 } from './ipv4.js';
import { InvalidValueError } from './value-error.js';

export interface Ipv4Range {
  readonly first: Ipv4;
  readonly last: Ipv4;
  /** set when written as a CIDR: its prefix length (first is the address written before "/") */
  readonly prefix?: number;
}

const RANGE_EXAMPLE = 'a CIDR such as 10.0.0.0/24 or a range such as 10.0.0.10-10.0.0.20 (or 10.0.0.10-20)';

export function parseIpv4Range(text: string): Ipv4Range {
  const t = text.trim();
  if (t.includes('/')) {
    let c;
    try {
      c = parseIpv4Cidr(t);
    } catch {
      throw new InvalidValueError(`"${text}" is not an IP range`, RANGE_EXAMPLE);
    }
    return { first: c.address, last: boundsOf(c).last, prefix: c.prefix };
  }
  const m = /^([^-]+)-([^-]+)$/.exec(t);
  if (!m) throw new InvalidValueError(`"${text}" is not an IP range`, RANGE_EXAMPLE);
  let first: Ipv4;
  let last: Ipv4;
  try {
    first = parseIpv4(m[1]!);
    const end = m[2]!.trim();
    if (/^\d{1,3}$/.test(end)) {
      // 1.5's short form: the last octet of the last address
      if (Number(end) > 255 || (end.length > 1 && end.startsWith('0'))) throw new Error('octet');
      last = ((first & 0xffffff00) | Number(end)) >>> 0;
    } else {
      last = parseIpv4(end);
    }
  } catch {
    throw new InvalidValueError(`"${text}" is not an IP range`, RANGE_EXAMPLE);
  }
  if (first > last) throw new InvalidValueError(`"${text}" ends before it starts`, RANGE_EXAMPLE);
  return { first, last };
}

export function formatIpv4Range(r: Ipv4Range): string {
  return r.prefix !== undefined ? `${formatIpv4(r.first)}/${r.prefix}` : `${formatIpv4(r.first)}-${formatIpv4(r.last)}`;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** ip.Range as vic-machine 1.5 stores it: 4-byte addresses for a CIDR, 16-byte ones for first-last. */
export function goIpRange(r: Ipv4Range): { firstIP: Uint8Array; lastIP: Uint8Array } {
  return r.prefix !== undefined
    ? { firstIP: ipv4Bytes4(r.first), lastIP: ipv4Bytes4(r.last) }
    : { firstIP: ipv4Bytes16(r.first), lastIP: ipv4Bytes16(r.last) };
}
