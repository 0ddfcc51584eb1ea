// An IP address of either family, where vic-machine 1.5 takes both (net.ParseIP): `--dns-server`.
//
// Accepted spellings: a dotted IPv4 address or an IPv6 address (`::1`, `fe80::1`, `::ffff:10.0.0.1`); blanks around
// it are ignored. A `--dns-server` value may also list several, separated by commas (1.5 took one per flag).
// Canonical text: Go's net.IP.String() (`10.0.0.1`, `fe80::1`).
import { ipString, parseIP } from '../../config/goutil.js';
import { isIpv4 } from './ipv4.js';
import { InvalidValueError } from './value-error.js';

/** The 16-byte form net.ParseIP gives (IPv4 as IPv4-in-IPv6). */
export type IpAddress = Uint8Array;

const IP_EXAMPLE = 'an IP address such as 10.0.0.53';

export function parseIpAddress(text: string): IpAddress {
  const t = text.trim();
  // IPv4 through the one IPv4 parser (leading zeros refused); IPv6 through Go's rules
  const ip = t.includes(':') ? parseIP(t) : isIpv4(t) ? parseIP(t) : undefined;
  if (!ip) throw new InvalidValueError(`"${text}" is not an IP address`, IP_EXAMPLE);
  return ip;
}

export function formatIpAddress(ip: IpAddress): string {
  return ipString(ip);
}

/** `--dns-server` values: each may list several addresses separated by commas; empty entries are skipped. */
export function parseDnsServers(values: readonly string[]): IpAddress[] {
  return values.flatMap((v) => v.split(',')).filter((s) => s.trim() !== '').map(parseIpAddress);
}

export function formatDnsServers(ips: readonly IpAddress[]): string[] {
  return ips.map(formatIpAddress);
}
