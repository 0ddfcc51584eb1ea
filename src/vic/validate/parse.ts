// Pure parsing and arithmetic used by the validation: datastore specs, volume stores, IPv4 addresses, CIDRs and
// ranges, container-network trust levels, host firewall rules and license features. No I/O.
import type { ContainerNetworkFirewall, IpRange, Ipv4Cidr, NfsVolumeStoreInput, VolumeStoreInput } from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Datastore specs

/** A datastore spec split into the datastore part and the path on it; `rest` is the whole spec after any scheme. */
export interface DatastoreSpec {
  /** datastore name as written (first path segment), "" when none was given */
  datastore: string;
  /** folder on the datastore, without leading or trailing slashes */
  path: string;
  /** everything after the scheme (`ds://`) or the `[datastore] path` form, unescaped; for longest-name matching */
  rest: string;
  /** true for the `[datastore] path` form, where the datastore name is delimited exactly */
  bracketed: boolean;
}

function unescapePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/**
 * Parses an image-store or volume-store target: `datastore`, `datastore/path`, `ds://datastore/path`, and
 * `[datastore name] path`. Percent escapes are decoded (the original ran url.PathUnescape first). A datastore name
 * may contain spaces; whether a slash belongs to the name is decided later against the names that exist
 * (`splitDatastorePath`).
 */
export function parseDatastoreSpec(spec: string): DatastoreSpec | { error: string } {
  const s = spec.trim();
  const bracket = /^\[([^\]]*)\]\s*(.*)$/.exec(s);
  if (bracket) {
    const datastore = bracket[1]!.trim();
    const path = trimSlashes(bracket[2]!.trim());
    return { datastore, path, rest: path ? `${datastore}/${path}` : datastore, bracketed: true };
  }
  let rest = s;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(s);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'ds') return { error: `bad scheme "${scheme[1]}" provided for datastore` };
    rest = scheme[2]!;
  }
  rest = trimSlashes(unescapePath(rest));
  const i = rest.indexOf('/');
  return {
    datastore: i < 0 ? rest : rest.slice(0, i),
    path: i < 0 ? '' : trimSlashes(rest.slice(i + 1)),
    rest,
    bracketed: false,
  };
}

/**
 * Splits `rest` into a datastore name and a path, preferring the longest datastore name that exists (so that a
 * datastore whose name contains "/" still resolves); without a match, the first segment is the datastore.
 */
export function splitDatastorePath(spec: DatastoreSpec, existingNames: readonly string[]): { datastore: string; path: string } {
  if (spec.bracketed) return { datastore: spec.datastore, path: spec.path };
  let best: string | undefined;
  for (const n of existingNames) {
    if ((spec.rest === n || spec.rest.startsWith(`${n}/`)) && (!best || n.length > best.length)) best = n;
  }
  if (best !== undefined) return { datastore: best, path: trimSlashes(spec.rest.slice(best.length)) };
  return { datastore: spec.datastore, path: spec.path };
}

/** `ds://name[/path]`, the form the VCH configuration stores. */
export function datastoreUrl(name: string, path: string): string {
  return path ? `ds://${name}/${path}` : `ds://${name}`;
}

const VOLUME_FORMAT = 'volume store input must be in format <datastore url w/ path>:label or nfs://<host>/<url-path>?<mount option as query parameters>:<label>';

/**
 * Parses one --volume-store value: `datastore/path:label`, `datastore:label`, `ds://datastore/path:label`,
 * `[datastore] path:label`, `nfs://host/path?uid=1000&gid=1000:label`. The label follows the last colon.
 */
export function parseVolumeStore(spec: string): VolumeStoreInput | { error: string } {
  const i = spec.lastIndexOf(':');
  if (i < 0) return { error: VOLUME_FORMAT };
  const target = spec.slice(0, i).trim();
  const label = spec.slice(i + 1).trim();
  // "ds://x" alone has its last colon in the scheme: there is no label
  if (!label || !target || label.startsWith('//')) return { error: VOLUME_FORMAT };
  if (!/^[A-Za-z0-9 _()-]+$/.test(label) && !/^[\p{L}\p{N} _()-]+$/u.test(label)) {
    return { error: `${VOLUME_FORMAT} (label "${label}" has unsupported characters; allowed: alphanumeric, space and - _ ( ))` };
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(target);
  if (scheme && scheme[1]!.toLowerCase() === 'nfs') {
    let u: URL;
    try {
      u = new URL(target);
    } catch {
      return { error: 'parsed url for option --volume-store could not be parsed as a url, valid inputs are datastore/path:label or nfs://<host>/<url-path>?<mount option as query parameters>:<label>. See -h for usage examples.' };
    }
    const options: Record<string, string> = {};
    u.searchParams.forEach((v, k) => { options[k] = v; });
    const nfs: NfsVolumeStoreInput = { label, nfs: { url: target, host: u.hostname, path: unescapePath(u.pathname), options } };
    return nfs;
  }
  if (scheme && scheme[1]!.toLowerCase() !== 'ds') return { error: 'Please specify a datastore or nfs target. See -vs usage for examples.' };
  if (target.includes('?')) return { error: 'volume store input must be in format datastore/path:label or nfs://<host>/<url-path>?<mount option as query parameters>:<label>' };
  const ds = parseDatastoreSpec(target);
  if ('error' in ds) return ds;
  return { label, datastore: ds.datastore, path: ds.path };
}

// ---------------------------------------------------------------------------------------------------------------
// IPv4

/** The address as a 32-bit unsigned number, or undefined when `s` is not a dotted-quad IPv4 address. */
export function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    n = n * 256 + b;
  }
  return n;
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `a.b.c.d/nn` → the address, prefix and network; undefined when malformed. */
export function parseCidr(s: string): Ipv4Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = ipv4ToInt(m[1]!);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  return { ip: m[1]!.trim(), prefix, network: `${intToIpv4((ip & maskOf(prefix)) >>> 0)}/${prefix}` };
}

/** First and last address of a CIDR (network and broadcast included). */
export function cidrBounds(c: Ipv4Cidr): { first: number; last: number } {
  const ip = ipv4ToInt(c.ip)!;
  const first = (ip & maskOf(c.prefix)) >>> 0;
  return { first, last: (first | (~maskOf(c.prefix) >>> 0)) >>> 0 };
}

/** An IP range as CIDR (`10.0.0.0/24`) or `first-last` (`10.0.0.10-10.0.0.20`). */
export function parseIpRange(s: string): (IpRange & { firstN: number; lastN: number }) | undefined {
  const t = s.trim();
  if (t.includes('/')) {
    const c = parseCidr(t);
    if (!c) return undefined;
    const b = cidrBounds(c);
    return { first: intToIpv4(b.first), last: intToIpv4(b.last), firstN: b.first, lastN: b.last };
  }
  const m = /^([^-\s]+)\s*-\s*([^-\s]+)$/.exec(t);
  if (!m) return undefined;
  const a = ipv4ToInt(m[1]!);
  const b = ipv4ToInt(m[2]!);
  if (a === undefined || b === undefined || a > b) return undefined;
  return { first: m[1]!, last: m[2]!, firstN: a, lastN: b };
}

/** False for addresses a container network cannot route through: unspecified, loopback, multicast, broadcast,
 * link-local, and the network or broadcast address of the gateway's own subnet. */
export function isRoutableGateway(c: Ipv4Cidr): boolean {
  const ip = ipv4ToInt(c.ip)!;
  const first = ip >>> 24;
  if (ip === 0 || ip === 0xffffffff || first === 127 || first >= 224 || (ip >>> 16) === ((169 << 8) | 254)) return false;
  if (c.prefix < 31) {
    const b = cidrBounds(c);
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
  const n = ipv4ToInt(ip);
  const a = rs.allowedHosts ?? {};
  if ((a.ipAddress ?? []).some((x) => x.trim() === ip)) return true;
  if (n === undefined) return false;
  return (a.ipNetwork ?? []).some((net) => {
    const c = parseCidr(`${net.network}/${net.prefixLength}`);
    if (!c) return false;
    const b = cidrBounds(c);
    return n >= b.first && n <= b.last;
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
