// `inspect config`: the create flags that reproduce a VCH, rebuilt from what vSphere holds (the decoded configuration,
// the resource pool's allocations, the appliance VM's size, the names of the port groups it stores by moref), not
// only from the create options it recorded. Values equal to create's defaults are left out, as vic-machine 1.5 does.
//
// Where the original's output could not reproduce the VCH, ours says more (docs/commands.md lists these):
//   - `--image-store` keeps a path that is not the appliance's own folder (1.5 always dropped the last element, so
//     `--image-store LocalDS_0/vchimages` came back as `ds://LocalDS_0`);
//   - the TLS mode: `--no-tls`, `--no-tlsverify`, or `--tls-cname` (the server certificate's common name) with its
//     `--organization`s, which 1.5 never printed although create cannot run without one of them;
//   - `--bridge-network-width` when not the default (1.5's converter could not print it).
// Secrets (the ops password, keys) are never part of it.
import { X509Certificate } from 'node:crypto';
import type { MoRef } from '../../vim/types.js';
import {
  ipNetString, ipString, isUnspecifiedIP, maskSize, type GoURL, type VirtualContainerHostConfigSpec,
} from '../config/index.js';

/** One `--flag=value`; boolean flags have the value "true". */
export interface CreateFlag {
  flag: string;
  value: string;
}

export interface ResourceAllocation {
  limit?: number;
  reservation?: number;
  shares?: { shares?: number; level?: string };
}

export interface InspectConfigInput {
  name: string;
  config: VirtualContainerHostConfigSpec;
  /** inventory path of the VCH pool's parent: what --compute-resource takes (`/DC0/host/DC0_C0/Resources`) */
  computeResourcePath: string;
  /** the VCH's own pool's allocations (absent when the VCH lives in a cluster's root pool) */
  pool?: { cpuAllocation?: ResourceAllocation; memoryAllocation?: ResourceAllocation } | undefined;
  /** the appliance VM's size */
  vm: { memoryMB?: number; numCPUs?: number };
  /** the name of a port group stored by moref (`DistributedVirtualPortgroup:dvportgroup-13`) */
  networkName: (moref: string) => string | undefined;
}

const DEFAULTS = {
  name: 'virtual-container-host', publicNetwork: 'VM Network', bridgeRange: '172.16.0.0/12', bridgeWidth: 16,
  scratchKB: 8_000_000, endpointMemoryMB: 2048, endpointCpus: 1,
};
const TRUST_NAMES = ['', 'published', 'open', 'closed', 'outbound', 'peers'];

/** docker/go-units HumanSize (decimal, 4 significant digits): 6000000000 → "6GB". */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

function datastoreUrl(u: GoURL): string {
  return `${u.scheme}://${u.host}${u.path ? `/${u.path.replace(/^\/+/, '')}` : ''}`;
}

/** A volume store's URL as --volume-store takes it: `ds://<ds>/<path>` from the stored `[ds] path`, others as stored. */
function volumeStoreUrl(u: GoURL): string {
  if (u.scheme === 'ds') {
    const m = /^\[([^\]]+)\]\s*(.*)$/.exec(u.path);
    return m ? `ds://${m[1]}/${m[2]}` : datastoreUrl(u);
  }
  const query = u.rawQuery ? `?${u.rawQuery}` : '';
  return `${u.scheme}://${u.host}${u.path}${query}`;
}

/** An address with its prefix length, the address itself kept (a gateway or static IP, not its network). */
function addressWithPrefix(n: { ip?: Uint8Array; mask?: Uint8Array }): string {
  return `${ipString(n.ip)}/${maskSize(n.mask)[0]}`;
}

function bytesToIp(b: Uint8Array | undefined): string | undefined {
  return b && b.length && !isUnspecifiedIP(b) ? ipString(b) : undefined;
}

/** An IP range as given: CIDR when first..last is exactly one block, else first-last. */
function rangeText(first: Uint8Array, last: Uint8Array): string {
  const a = Array.from(first.length === 16 ? first.slice(12) : first);
  const b = Array.from(last.length === 16 ? last.slice(12) : last);
  const x = ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;
  const y = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const size = y - x + 1;
  if (size > 0 && (size & (size - 1)) === 0 && x % size === 0) return `${a.join('.')}/${32 - Math.log2(size)}`;
  return `${a.join('.')}-${b.join('.')}`;
}

function shares(s: ResourceAllocation['shares']): string | undefined {
  if (!s?.level || s.level === 'normal') return undefined;
  return s.level === 'custom' ? String(s.shares ?? 0) : s.level;
}

function certificateFlags(config: VirtualContainerHostConfigSpec): CreateFlag[] {
  const cert = config.certificate.hostCertificate?.cert;
  if (!cert?.length) return [{ flag: 'no-tls', value: 'true' }];
  if (!config.certificate.certificateAuthorities?.length) return [{ flag: 'no-tlsverify', value: 'true' }];
  const out: CreateFlag[] = [];
  try {
    const x = new X509Certificate(Buffer.from(cert));
    // one attribute per line; several values of one RDN share a line, joined by " + "
    const fields = x.subject.split('\n').flatMap((l) => l.split(' + '));
    const cn = fields.find((f) => f.startsWith('CN='))?.slice(3);
    if (cn) out.push({ flag: 'tls-cname', value: cn });
    // 1.5 appends the cname to a single --organization; what was given is the rest.
    const orgs = fields.filter((f) => f.startsWith('O=')).map((f) => f.slice(2)).filter((o) => o !== '' && o !== cn);
    for (const o of orgs) out.push({ flag: 'organization', value: o });
  } catch {
    // an unreadable certificate: the flags above are all we could say
  }
  return out;
}

export function createFlagsOf(i: InspectConfigInput): CreateFlag[] {
  const c = i.config;
  const out: CreateFlag[] = [];
  const add = (flag: string, value: string | number | undefined | null): void => {
    if (value === undefined || value === null || value === '') return;
    out.push({ flag, value: String(value) });
  };
  add('target', c.connection.target);
  add('thumbprint', c.connection.targetThumbprint);
  if (i.name !== DEFAULTS.name) add('name', i.name);
  add('compute-resource', i.computeResourcePath);
  add('ops-user', c.connection.username);

  const image = c.storage.imageStores[0];
  if (image) {
    // The appliance's own folder (the default when no path was given) is not part of what was given.
    const path = image.path.replace(/^\/+|\/+$/g, '');
    add('image-store', datastoreUrl({ ...image, path: path === i.name ? '' : path }));
  }
  if (c.storage.scratchSize && c.storage.scratchSize !== DEFAULTS.scratchKB) add('base-image-size', humanSize(c.storage.scratchSize * 1000));
  if (c.container.useVMGroup) add('affinity-vm-group', 'true');
  add('container-name-convention', c.container.containerNameConvention);
  for (const [label, u] of Object.entries(c.storage.volumeLocations)) add('volume-store', `${volumeStoreUrl(u)}:${label}`);

  const endpoints = c.executorConfig.networks;
  const pub = endpoints['public'];
  for (const ns of pub?.network.nameservers ?? []) add('dns-server', bytesToIp(ns));

  // networks: bridge, then client, public, management, each with its static address and gateway
  const bridge = c.network.containerNetworks[c.network.bridgeNetwork] ?? endpoints['bridge']?.network;
  add('bridge-network', bridge ? i.networkName(bridge.common.id) : undefined);
  const range = c.network.bridgeIPRange?.ip?.length ? ipNetString(c.network.bridgeIPRange) : DEFAULTS.bridgeRange;
  if (range !== DEFAULTS.bridgeRange) add('bridge-network-range', range);
  const width = c.network.bridgeNetworkWidth?.length ? maskSize(c.network.bridgeNetworkWidth)[0] : DEFAULTS.bridgeWidth;
  if (width !== DEFAULTS.bridgeWidth) add('bridge-network-width', width);
  const pubName = pub ? i.networkName(pub.network.common.id) : undefined;
  for (const role of ['client', 'public', 'management'] as const) {
    const e = endpoints[role];
    if (!e) continue;
    const name = i.networkName(e.network.common.id);
    // a role on the public port group shares its NIC, address and gateway: only public's are given
    if (role !== 'public' && name === pubName) continue;
    if (role !== 'public' || name !== DEFAULTS.publicNetwork) add(`${role}-network`, name);
    const gw = bytesToIp(e.network.gateway?.ip);
    if (gw) {
      const dests = (e.network.destinations ?? []).map((d) => ipNetString(d));
      add(`${role}-network-gateway`, dests.length ? `${dests.join(',')}:${gw}` : gw);
    }
    if (e.ip?.ip?.length && !isUnspecifiedIP(e.ip.ip)) add(`${role}-network-ip`, addressWithPrefix(e.ip));
  }

  // container networks (the bridge is one of them in the stored map)
  for (const [alias, n] of Object.entries(c.network.containerNetworks)) {
    if (alias === c.network.bridgeNetwork) continue;
    const vs = i.networkName(n.common.id) ?? alias;
    add('container-network', `${vs}:${alias}`);
    if (n.gateway?.ip?.length && !isUnspecifiedIP(n.gateway.ip)) add('container-network-gateway', `${vs}:${addressWithPrefix(n.gateway)}`);
    for (const p of n.pools ?? []) if (p.firstIP && p.lastIP) add('container-network-ip-range', `${vs}:${rangeText(p.firstIP, p.lastIP)}`);
    for (const d of n.nameservers ?? []) add('container-network-dns', `${vs}:${bytesToIp(d) ?? ''}`);
    if (n.trustLevel) add('container-network-firewall', `${vs}:${TRUST_NAMES[n.trustLevel]}`);
  }

  // pool and appliance size
  const mem = i.pool?.memoryAllocation;
  const cpu = i.pool?.cpuAllocation;
  if (mem?.limit !== undefined && mem.limit > 0) add('memory', mem.limit);
  if (mem?.reservation) add('memory-reservation', mem.reservation);
  add('memory-shares', shares(mem?.shares));
  if (i.vm.memoryMB && i.vm.memoryMB !== DEFAULTS.endpointMemoryMB) add('endpoint-memory', i.vm.memoryMB);
  if (cpu?.limit !== undefined && cpu.limit > 0) add('cpu', cpu.limit);
  if (cpu?.reservation) add('cpu-reservation', cpu.reservation);
  add('cpu-shares', shares(cpu?.shares));
  if (i.vm.numCPUs && i.vm.numCPUs !== DEFAULTS.endpointCpus) add('endpoint-cpu', i.vm.numCPUs);
  if (c.storage.storageQuota) add('storage-quota', c.storage.storageQuota);
  if (c.container.containerCount) add('containers', c.container.containerCount);

  out.push(...certificateFlags(c));
  for (const r of c.registry.insecureRegistries ?? []) add('insecure-registry', r);
  for (const r of c.registry.registryWhitelist ?? []) add('whitelist-registry', r);
  const env = new Map((c.executorConfig.sessions['docker-personality']?.cmd.env ?? []).map((e) => {
    const k = e.indexOf('=');
    return [e.slice(0, k), e.slice(k + 1)] as const;
  }));
  add('https-proxy', env.get('HTTPS_PROXY'));
  add('http-proxy', env.get('HTTP_PROXY'));
  add('no-proxy', env.get('NO_PROXY'));
  const syslog = c.executorConfig.diagnostics.sysLogConfig;
  if (syslog?.rAddr) add('syslog-address', `${syslog.network}://${syslog.rAddr}`);
  if (c.executorConfig.asymmetricRouting) add('asymmetric-routes', 'true');
  if (c.executorConfig.diagnostics.debugLevel > 0) add('debug', c.executorConfig.diagnostics.debugLevel);
  return out;
}

/** The moref string form stored in the configuration. */
export function morefString(r: MoRef): string {
  return `${r.type}:${r.value}`;
}
