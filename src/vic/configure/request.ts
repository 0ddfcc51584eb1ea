// From configure's flags to what it changes (reference §5.3 steps 2 and 7): only flags the user GAVE count (a flag
// left out keeps the VCH's value; an empty value given clears it where that makes sense), so the caller passes the
// names of the flags given along with the values.

import type { ConfigureRequest } from './changes.js';
import type { PoolRequest } from './pool-settings.js';

/** One `--container-network` with its per-network options, before its port group is looked up. */
export interface ContainerNetworkSpec {
  portGroup: string;
  alias: string;
  gateway?: string;
  ipRanges?: string[];
  dns?: string[];
  firewall?: string;
}

export interface ContainerNetworkFlagValues {
  containerNetwork: string[];
  containerNetworkGateway: string[];
  containerNetworkIpRange: string[];
  containerNetworkDns: string[];
  containerNetworkFirewall: string[];
}

export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly cliErrorType = 'usage';
  constructor(message: string, readonly flag: string, readonly hint?: string) {
    super(message);
  }
}

/** `net:value` lists keyed by port group; every key must be a `--container-network`. */
function byPortGroup(values: readonly string[], flag: string, known: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of values) {
    const i = v.lastIndexOf(':');
    if (i <= 0 || i === v.length - 1) throw new RequestError(`${flag} "${v}" must be <port group>:<value>`, flag);
    // gateways and ranges contain no ":", so the port group is everything before the last one
    const pg = v.slice(0, i);
    if (!known.has(pg)) throw new RequestError(`${flag} "${v}" names port group "${pg}", which no --container-network gives`, flag, `add --container-network ${pg}[:alias]`);
    out.set(pg, [...(out.get(pg) ?? []), v.slice(i + 1)]);
  }
  return out;
}

/** `--container-network pg[:alias]` and the per-network flags, as create parses them. */
export function containerNetworkSpecs(f: ContainerNetworkFlagValues): ContainerNetworkSpec[] {
  const nets = f.containerNetwork.map((spec) => {
    const i = spec.lastIndexOf(':');
    const portGroup = i > 0 ? spec.slice(0, i) : spec;
    return { portGroup, alias: i > 0 ? spec.slice(i + 1) : spec };
  });
  const known = new Set(nets.map((n) => n.portGroup));
  const gw = byPortGroup(f.containerNetworkGateway, '--container-network-gateway', known);
  const ranges = byPortGroup(f.containerNetworkIpRange, '--container-network-ip-range', known);
  const dns = byPortGroup(f.containerNetworkDns, '--container-network-dns', known);
  const fw = byPortGroup(f.containerNetworkFirewall, '--container-network-firewall', known);
  for (const [flag, m] of [['--container-network-gateway', gw], ['--container-network-firewall', fw]] as const) {
    for (const [pg, v] of m) if (v.length > 1) throw new RequestError(`${flag} is given ${v.length} times for port group "${pg}"`, flag);
  }
  return nets.map((n) => ({
    ...n,
    ...(gw.get(n.portGroup) ? { gateway: gw.get(n.portGroup)![0]! } : {}),
    ...(ranges.get(n.portGroup) ? { ipRanges: ranges.get(n.portGroup)! } : {}),
    ...(dns.get(n.portGroup) ? { dns: dns.get(n.portGroup)! } : {}),
    ...(fw.get(n.portGroup) ? { firewall: fw.get(n.portGroup)![0]! } : {}),
  }));
}

type Shares = { level: 'low' | 'normal' | 'high' } | { level: 'custom'; shares: number };

/** The configure options that matter here (a subset of the CLI's ConfigureOptions). */
export interface ConfigureFlagValues extends ContainerNetworkFlagValues {
  volumeStore: string[];
  dnsServer: string[];
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  syslogAddress: string;
  containerNameConvention: string;
  debug?: number;
  thumbprint: string;
  storageQuota?: number;
  containers?: number;
  memory?: number;
  memoryReservation?: number;
  memoryShares?: Shares;
  cpu?: number;
  cpuReservation?: number;
  cpuShares?: Shares;
}

export interface ParsedRequest {
  /** everything but container networks' morefs, ops credentials, CAs and certificates (the caller adds those) */
  request: Omit<ConfigureRequest, 'containerNetworks'>;
  containerNetworks?: ContainerNetworkSpec[];
  pool: PoolRequest;
}

const CN_FLAGS = ['container-network', 'container-network-gateway', 'container-network-ip-range', 'container-network-dns', 'container-network-firewall'];

/** The request made by the flags given (`given`: long flag names without dashes). */
export function parseConfigureFlags(f: ConfigureFlagValues, given: ReadonlySet<string>): ParsedRequest {
  const request: ParsedRequest['request'] = {};
  const has = (n: string): boolean => given.has(n);
  if (has('volume-store')) request.volumeStores = f.volumeStore;
  if (has('dns-server')) request.dnsServers = f.dnsServer;
  if (f.httpProxy !== undefined) request.httpProxy = f.httpProxy;
  if (f.httpsProxy !== undefined) request.httpsProxy = f.httpsProxy;
  if (f.noProxy !== undefined) request.noProxy = f.noProxy;
  if (has('syslog-address')) request.syslogAddress = f.syslogAddress;
  if (has('container-name-convention')) request.containerNameConvention = f.containerNameConvention;
  if (f.debug !== undefined) request.debug = f.debug;
  if (f.storageQuota !== undefined) request.storageQuotaGB = f.storageQuota;
  if (f.containers !== undefined) request.containerCount = f.containers;
  const pool: PoolRequest = {
    ...(f.cpu !== undefined ? { cpuLimitMHz: f.cpu } : {}),
    ...(f.cpuReservation !== undefined ? { cpuReservationMHz: f.cpuReservation } : {}),
    ...(f.cpuShares ? { cpuShares: f.cpuShares } : {}),
    ...(f.memory !== undefined ? { memoryLimitMB: f.memory } : {}),
    ...(f.memoryReservation !== undefined ? { memoryReservationMB: f.memoryReservation } : {}),
    ...(f.memoryShares ? { memoryShares: f.memoryShares } : {}),
  };
  const out: ParsedRequest = { request, pool };
  if (CN_FLAGS.some(has)) out.containerNetworks = containerNetworkSpecs(f);
  return out;
}

/** Whether the TLS flags ask for new certificates (§5.3 step 8); otherwise they are left as they are. */
export function certificatesRequested(f: { tlsCname: string; noTlsverify: boolean; tlsServerKey: string; tlsServerCert: string }): boolean {
  return !!f.tlsCname || f.noTlsverify || (!!f.tlsServerKey && !!f.tlsServerCert);
}
