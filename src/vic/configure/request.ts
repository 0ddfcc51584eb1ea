// From configure's flags to what it changes (reference §5.3 steps 2 and 7): only flags the user GAVE count (a flag
// left out keeps the VCH's value; an empty value given clears it where that makes sense), so the caller passes the
// names of the flags given along with the values.

import { containerNetworksFromFlags } from '../spec/values/container-network.js';
import { SpecError } from '../spec/vch-spec.js';
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

/**
 * `--container-network vsphere-name[:alias]` and the per-network flags, parsed by the one parser create uses too
 * (src/vic/spec/values/container-network.ts): a value for a network no --container-network gives is refused before
 * anything connects. Throws a SpecError (usage) with every problem.
 */
export function containerNetworkSpecs(f: ContainerNetworkFlagValues): ContainerNetworkSpec[] {
  const { networks, problems } = containerNetworksFromFlags(f);
  if (problems.length) throw new SpecError(problems);
  return networks.map((n) => ({
    portGroup: 'name' in n.portGroup ? n.portGroup.name : n.portGroup.id, alias: n.alias,
    ...(n.gateway ? { gateway: n.gateway } : {}), ...(n.ipRanges.length ? { ipRanges: n.ipRanges } : {}),
    ...(n.dns.length ? { dns: n.dns } : {}), ...(n.firewall ? { firewall: n.firewall } : {}),
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
