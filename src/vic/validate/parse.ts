// Pure rules used by the validation: routable gateways, container-network trust levels, host firewall rules and
// license features. No I/O. (Values such as datastore locations and addresses are parsed by src/vic/spec/values/.)
import { formatDatastoreLocation } from '../spec/values/datastore-location.js';
import { boundsOf, cidrContains, parseIpv4, parseIpv4Cidr, type Ipv4Cidr } from '../spec/values/ipv4.js';
import { tryParse } from '../spec/values/value-error.js';
import type { ContainerNetworkFirewall } from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Datastores and addresses: the value types of src/vic/spec/values/ (one parser each); only rules of validation here

/** `ds://name[/path]`, how validation names a resolved place (the canonical text of a datastore location). */
export function datastoreUrl(name: string, path: string): string {
  return formatDatastoreLocation({ datastore: name, path });
}

/** False for addresses a container network cannot route through: unspecified, loopback, multicast, broadcast,
 * link-local, and the network or broadcast address of the gateway's own subnet. */
export function isRoutableGateway(c: Ipv4Cidr): boolean {
  const ip = c.address;
  const first = ip >>> 24;
  if (ip === 0 || ip === 0xffffffff || first === 127 || first >= 224 || (ip >>> 16) === ((169 << 8) | 254)) return false;
  if (c.prefix < 31) {
    const b = boundsOf(c);
    if (ip === b.first || ip === b.last) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Container networks

export const FIREWALL_LEVELS: readonly ContainerNetworkFirewall[] = ['closed', 'outbound', 'peers', 'published', 'open'];

export function parseFirewallLevel(s: string): ContainerNetworkFirewall | undefined {
  const l = s.trim().toLowerCase();
  return (FIREWALL_LEVELS as readonly string[]).includes(l) ? (l as ContainerNetworkFirewall) : undefined;
}

export function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------
// VCH name (vic-machine 1.5 rules, checked again here so that a direct caller gets them too)

const NAME_FORBIDDEN = /[%&*$#@!\\/:?"<>;'|]/;

export function nameProblems(name: string): string[] {
  const out: string[] = [];
  if (!name.trim()) out.push('--name must not be empty');
  const bad = NAME_FORBIDDEN.exec(name);
  if (bad) {
    out.push(`--name contains unsupported characters: unsupported character "${bad[0]}" in "${name}" Allowed characters are alphanumeric, space and symbols - _ ( )`);
  }
  if ([...name].length > 31) out.push(`Display name ${name} exceeds the permitted 31 characters limit. Please use a shorter -name parameter`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Host firewall: outbound 2377/tcp (the appliance's serial-over-LAN connection to the VCH)

export const SERIAL_OVER_LAN_PORT = 2377;

export interface FirewallRuleLike { port?: number; endPort?: number; direction?: string; portType?: string; protocol?: string }
export interface FirewallRulesetLike {
  key?: string;
  enabled?: boolean;
  rule?: FirewallRuleLike[];
  allowedHosts?: { allIp?: boolean; ipAddress?: string[]; ipNetwork?: { network?: string; prefixLength?: number }[] };
}
export interface FirewallInfoLike {
  defaultPolicy?: { incomingBlocked?: boolean; outgoingBlocked?: boolean };
  ruleset?: FirewallRulesetLike[];
}

export type FirewallVerdict =
  /** an enabled ruleset permits it for any address (or the static management address) */
  | { status: 'ok'; rulesets: string[] }
  /** nothing permits it and outbound traffic is blocked */
  | { status: 'blocked' }
  /** permitted only for addresses that exclude the static management address */
  | { status: 'excluded'; ip: string; allowed: string[] }
  /** permitted only for some addresses, and the management address comes from DHCP */
  | { status: 'restricted'; allowed: string[] }
  /** no ruleset permits it, but the default policy does not block outbound traffic */
  | { status: 'unblocked' }
  /** no firewall information */
  | { status: 'unknown' };

export function ruleCoversPort(r: FirewallRuleLike, port = SERIAL_OVER_LAN_PORT): boolean {
  if (r.direction !== 'outbound' || (r.protocol ?? 'tcp') !== 'tcp' || (r.portType && r.portType !== 'dst')) return false;
  const first = r.port ?? 0;
  const last = r.endPort && r.endPort >= first ? r.endPort : first;
  return first <= port && port <= last;
}

function allowedList(rs: FirewallRulesetLike): string[] {
  const a = rs.allowedHosts ?? {};
  return [...(a.ipAddress ?? []), ...(a.ipNetwork ?? []).map((n) => `${n.network}/${n.prefixLength}`)];
}

function ipAllowed(rs: FirewallRulesetLike, ip: string): boolean {
  const a = rs.allowedHosts ?? {};
  if ((a.ipAddress ?? []).some((x) => x.trim() === ip)) return true;
  const n = tryParse(() => parseIpv4(ip));
  if (!('value' in n)) return false;
  return (a.ipNetwork ?? []).some((net) => {
    const c = tryParse(() => parseIpv4Cidr(`${net.network}/${net.prefixLength}`));
    return 'value' in c && cidrContains(c.value, n.value);
  });
}

/** Whether the host firewall lets the appliance reach dst 2377/tcp; `managementIp` is the static address, if any. */
export function firewallVerdict(info: FirewallInfoLike | undefined, managementIp?: string): FirewallVerdict {
  if (!info || !Array.isArray(info.ruleset)) return { status: 'unknown' };
  const covering = info.ruleset.filter((rs) => rs.enabled && (rs.rule ?? []).some((r) => ruleCoversPort(r)));
  const open = covering.filter((rs) => !rs.allowedHosts || rs.allowedHosts.allIp !== false);
  if (open.length) return { status: 'ok', rulesets: open.map((rs) => rs.key ?? '?') };
  if (covering.length) {
    const allowed = covering.flatMap(allowedList);
    if (!managementIp) return { status: 'restricted', allowed };
    const hits = covering.filter((rs) => ipAllowed(rs, managementIp));
    if (hits.length) return { status: 'ok', rulesets: hits.map((rs) => rs.key ?? '?') };
    return { status: 'excluded', ip: managementIp, allowed };
  }
  if (info.defaultPolicy?.outgoingBlocked === false) return { status: 'unblocked' };
  return { status: 'blocked' };
}

// ---------------------------------------------------------------------------------------------------------------
// Licenses

export interface LicenseLike { name?: string; properties?: { key?: string; value?: unknown }[] }

/** Feature keys of all licenses, without edition suffixes ("serialuri:2" → "serialuri"). */
export function licenseFeatures(licenses: readonly LicenseLike[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const l of licenses ?? []) {
    for (const p of l.properties ?? []) {
      if (p.key !== 'feature') continue;
      const v = p.value as { key?: unknown } | undefined;
      if (v && typeof v.key === 'string') out.add(v.key.split(':')[0]!);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell quoting for the commands issues suggest

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
