// IPv4 addresses and CIDRs: `--*-network-ip`, gateways, `--bridge-network-range`, container-network gateways.
//
// Accepted spellings: dotted quads (`10.0.0.1`) with surrounding blanks ignored; CIDRs `10.0.0.5/24`. Leading zeros
// (`010.0.0.1`) are refused as the Go that built vic-machine 1.5.8 refuses them (octal or decimal is a guess).
// Values are numbers (32-bit unsigned), so that comparisons and containment are arithmetic; the Go byte forms that
// VIC's configuration stores are made here too, from the value, never from text.
import { InvalidValueError } from './value-error.js';

/** An IPv4 address as an unsigned 32-bit number. */
export type Ipv4 = number;

/** An address with a prefix length: `10.0.0.5/24` keeps the address as given (a static IP), not only the network. */
export interface Ipv4Cidr {
  readonly address: Ipv4;
  readonly prefix: number;
}

const ADDRESS_EXAMPLE = 'a dotted IPv4 address such as 10.0.0.1';
const CIDR_EXAMPLE = 'an IPv4 address with a prefix length such as 10.0.0.5/24';

function octetsOf(text: string): Ipv4 | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = m[i]!;
    if (Number(o) > 255 || (o.length > 1 && o.startsWith('0'))) return undefined;
    n = n * 256 + Number(o);
  }
  return n;
}

export function parseIpv4(text: string): Ipv4 {
  const n = octetsOf(text.trim());
  if (n === undefined) throw new InvalidValueError(`"${text}" is not an IPv4 address`, ADDRESS_EXAMPLE);
  return n;
}

export function isIpv4(text: string): boolean {
  return octetsOf(text.trim()) !== undefined;
}

export function formatIpv4(n: Ipv4): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const m = /^([^/]*)\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new InvalidValueError(`"${text}" is not in CIDR form`, CIDR_EXAMPLE);
  const address = octetsOf(m[1]!.trim());
  if (address === undefined) throw new InvalidValueError(`"${m[1]}" in "${text}" is not an IPv4 address`, CIDR_EXAMPLE);
  const prefix = Number(m[2]);
  if (prefix > 32) throw new InvalidValueError(`prefix length /${prefix} in "${text}" is larger than 32`, CIDR_EXAMPLE);
  return { address, prefix };
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefix}`;
}

/** The network the CIDR lies in: `10.0.0.5/24` → 10.0.0.0/24. */
export function networkOf(c: Ipv4Cidr): Ipv4Cidr {
  return { address: (c.address & maskOf(c.prefix)) >>> 0, prefix: c.prefix };
}

/** First and last address of the CIDR's network (network and broadcast address included). */
export function boundsOf(c: Ipv4Cidr): { first: Ipv4; last: Ipv4 } {
  const first = (c.address & maskOf(c.prefix)) >>> 0;
  return { first, last: (first | (~maskOf(c.prefix) >>> 0)) >>> 0 };
}

export function cidrContains(c: Ipv4Cidr, ip: Ipv4): boolean {
  const b = boundsOf(c);
  return ip >= b.first && ip <= b.last;
}

// ---------------------------------------------------------------------------------------------------------------
// The byte forms Go's net package gives, which VIC's configuration stores as they are

const V4_IN_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function bytes4(n: Ipv4): number[] {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** net.ParseIP's 16-byte form. */
export function ipv4Bytes16(n: Ipv4): Uint8Array {
  return new Uint8Array([...V4_IN_V6, ...bytes4(n)]);
}

/** net.IP.To4's 4-byte form. */
export function ipv4Bytes4(n: Ipv4): Uint8Array {
  return new Uint8Array(bytes4(n));
}

/** net.CIDRMask(prefix, 32). */
export function maskBytes(prefix: number): Uint8Array {
  return new Uint8Array(bytes4(maskOf(prefix)));
}

/** What net.ParseCIDR returns: the address (16 bytes) and the network (4-byte address and mask). */
export function goCidr(c: Ipv4Cidr): { ip: Uint8Array; net: { ip: Uint8Array; mask: Uint8Array } } {
  return { ip: ipv4Bytes16(c.address), net: { ip: ipv4Bytes4(networkOf(c).address), mask: maskBytes(c.prefix) } };
}
