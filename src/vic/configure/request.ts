// From configure's flags to what it changes (reference §5.3 steps 2 and 7): only flags the user GAVE count (a flag
// left out keeps the VCH's value; an empty value given clears it where that makes sense), so the caller passes the
// names of the flags given along with the values.

import { containerNetworksFromFlags } from '../spec/values/container-network.js';
import { SpecError, type PoolAllocationSpec, type Shares } from '../spec/vch-spec.js';
import type { ContainerNetworkFlagValues, DebugFlagValue, ProxyFlagValues, ResourceFlagValues, TlsFlagValues } from '../spec/flag-values.js';
import { configureInputOf, type ConfigureContainerNetwork, type VchSpecChange } from './spec-change.js';
import type { ConfigureRequest } from './changes.js';
import type { PoolRequest } from './pool-settings.js';

/** One `--container-network` with its per-network options, before its port group is looked up. */
export type { ConfigureContainerNetwork as ContainerNetworkSpec } from './spec-change.js';

/**
 * `--container-network vsphere-name[:alias]` and the per-network flags, parsed by the one parser create uses too
 * (src/vic/spec/values/container-network.ts): a value for a network no --container-network gives is refused before
 * anything connects. Throws a SpecError (usage) with every problem.
 */
export function containerNetworkSpecs(f: ContainerNetworkFlagValues): ConfigureContainerNetwork[] {
  const { networks, problems } = containerNetworksFromFlags(f);
  if (problems.length) throw new SpecError(problems);
  return networks.map((n) => ({
    portGroup: 'name' in n.portGroup ? n.portGroup.name : n.portGroup.id, alias: n.alias,
    ...(n.gateway ? { gateway: n.gateway } : {}), ...(n.ipRanges.length ? { ipRanges: n.ipRanges } : {}),
    ...(n.dns.length ? { dns: n.dns } : {}), ...(n.firewall ? { firewall: n.firewall } : {}),
  }));
}

/**
 * The configure flags that make its change (the CLI's ConfigureOptions, src/cli/options.ts, extend it with the target,
 * the TLS, ops and run flags, which configure's command handles itself).
 */
export interface ConfigureFlagValues extends ContainerNetworkFlagValues, ResourceFlagValues, ProxyFlagValues, DebugFlagValue {
  volumeStore: readonly string[];
  dnsServer: readonly string[];
  syslogAddress: string;
  containerNameConvention: string;
}

export interface ParsedRequest {
  /** everything but container networks' morefs, ops credentials, CAs and certificates (the caller adds those) */
  request: Omit<ConfigureRequest, 'containerNetworks'>;
  containerNetworks?: ConfigureContainerNetwork[];
  pool: PoolRequest;
}

const CN_FLAGS = ['container-network', 'container-network-gateway', 'container-network-ip-range', 'container-network-dns', 'container-network-firewall'];

/** The change the flags given ask for (`given`: long flag names without dashes): what a flag left out keeps. */
export function changeOfFlags(f: ConfigureFlagValues, given: ReadonlySet<string>): VchSpecChange {
  const has = (n: string): boolean => given.has(n);
  const change: VchSpecChange = {};
  if (has('volume-store')) {
    change.volumeStores = f.volumeStore.map((text) => {
      // kept whole when it has no label: configure's rules report it with the others, naming the flag
      const i = text.lastIndexOf(':');
      return i > 0 ? { location: text.slice(0, i), label: text.slice(i + 1) } : { location: text, label: '' };
    });
  }
  if (has('dns-server')) change.dns = [...f.dnsServer];
  if (f.httpProxy !== undefined) change.httpProxy = f.httpProxy;
  if (f.httpsProxy !== undefined) change.httpsProxy = f.httpsProxy;
  if (f.noProxy !== undefined) change.noProxy = f.noProxy;
  if (has('syslog-address')) change.syslogAddress = f.syslogAddress;
  if (has('container-name-convention')) change.nameConvention = f.containerNameConvention;
  if (f.debug !== undefined) change.debug = f.debug;
  if (f.storageQuota !== undefined) change.quotaGB = f.storageQuota;
  if (f.containers !== undefined) change.maxContainers = f.containers;
  const pool = (limit?: number, reservation?: number, shares?: Shares): PoolAllocationSpec | undefined =>
    (limit !== undefined || reservation !== undefined || shares ? {
      ...(limit !== undefined ? { limit } : {}), ...(reservation !== undefined ? { reservation } : {}), ...(shares ? { shares } : {}),
    } : undefined);
  const cpu = pool(f.cpu, f.cpuReservation, f.cpuShares);
  if (cpu) change.cpu = cpu;
  const memory = pool(f.memory, f.memoryReservation, f.memoryShares);
  if (memory) change.memory = memory;
  if (CN_FLAGS.some(has)) {
    const { networks, problems } = containerNetworksFromFlags(f);
    if (problems.length) throw new SpecError(problems);
    change.containerNetworks = networks;
  }
  return change;
}

/** The request made by the flags given: their change, as configure takes it (src/vic/configure/spec-change.ts). */
export function parseConfigureFlags(f: ConfigureFlagValues, given: ReadonlySet<string>): ParsedRequest {
  const { input, problems } = configureInputOf(changeOfFlags(f, given));
  if (problems.length) throw new SpecError(problems);
  return { request: input.request, pool: input.pool, ...(input.containerNetworks ? { containerNetworks: input.containerNetworks } : {}) };
}

/** Whether the TLS flags ask for new certificates (§5.3 step 8); otherwise they are left as they are. */
export function certificatesRequested(f: Pick<TlsFlagValues, 'tlsCname' | 'noTlsverify' | 'tlsServerKey' | 'tlsServerCert'>): boolean {
  return !!f.tlsCname || f.noTlsverify || (!!f.tlsServerKey && !!f.tlsServerCert);
}
