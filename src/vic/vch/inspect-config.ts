// `inspect config`: the specification of a VCH (src/vic/spec/vch-spec.ts), rebuilt from what vSphere holds (the
// decoded configuration, the resource pool's allocations, the appliance VM's size, the names of the port groups it
// stores by moref), not only from the create options it recorded; written out as create's flags (defaults left out,
// as vic-machine 1.5 does), YAML or the VCH model, each of which reads back into the same specification.
//
// Where the original's output could not reproduce the VCH, ours says more (docs/commands.md lists these):
//   - `--image-store` keeps a path that is not the appliance's own folder (1.5 always dropped the last element, so
//     `--image-store LocalDS_0/vchimages` came back as `ds://LocalDS_0`);
//   - the TLS mode: `--no-tls`, `--no-tlsverify`, or `--tls-cname` (the server certificate's common name) with its
//     `--organization`s, which 1.5 never printed although create cannot run without one of them;
//   - `--bridge-network-width` when not the default (1.5's converter could not print it);
//   - no `--ops-user` for a VCH made without one: 1.5 stores the admin user as the ops user and printed it, so that
//     `create` with its flags asked for a password of the admin user under another flag (hasOwnOpsUser).
// Secrets (the ops password, keys) are never part of it; certificates (the server's, the client and registry CAs) are,
// in the VCH model only (PEM text).
import { X509Certificate } from 'node:crypto';
import type { MoRef } from '../../vim/types.js';
import {
  goURLString, ipNetString, ipString, isUnspecifiedIP, maskSize, type GoURL, type VirtualContainerHostConfigSpec,
} from '../config/index.js';
import { createFlagsOf as flagsOfSpec } from '../spec/flags.js';
import { formatByteSize } from '../spec/values/size.js';
import { datastoreLocationOfUrl, formatDatastoreLocation } from '../spec/values/datastore-location.js';
import { formatVolumeStoreTarget, volumeStoreTargetOfUrl } from '../spec/values/volume-store.js';
import { splitPem } from '../certificates/pem.js';
import {
  defaultSpec, type ApplianceNetworkSpec, type ContainerNetworkFirewall, type PoolAllocationSpec, type Shares, type TlsSpec, type VchSpec,
} from '../spec/vch-spec.js';

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

const TRUST_NAMES = ['', 'published', 'open', 'closed', 'outbound', 'peers'];

/** A volume store's location as --volume-store takes it (its label aside): the value module's canonical text. */
function volumeStoreLocation(u: GoURL): string {
  const target = volumeStoreTargetOfUrl(u);
  return target ? formatVolumeStoreTarget(target) : goURLString(u);
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

/** A pool's allocation as create's flags give it: unlimited, no reservation and normal shares are the defaults. */
function allocation(a: ResourceAllocation | undefined): PoolAllocationSpec {
  const s = a?.shares;
  const shares: Shares | undefined = !s?.level || s.level === 'normal' ? undefined
    : s.level === 'custom' ? { level: 'custom', shares: s.shares ?? 0 } : { level: s.level as 'low' | 'high' };
  return {
    ...(a?.limit !== undefined && a.limit > 0 ? { limit: a.limit } : {}),
    ...(a?.reservation ? { reservation: a.reservation } : {}),
    ...(shares ? { shares } : {}),
  };
}

/** The TLS mode from the stored certificates, and the generated certificate's cname and organizations. */
function tlsOf(config: VirtualContainerHostConfigSpec): Pick<TlsSpec, 'mode' | 'cname' | 'organization'> {
  const cert = config.certificate.hostCertificate?.cert;
  if (!cert?.length) return { mode: 'none', organization: [] };
  if (!config.certificate.certificateAuthorities?.length) return { mode: 'no-verify', organization: [] };
  try {
    const x = new X509Certificate(Buffer.from(cert));
    // one attribute per line; several values of one RDN share a line, joined by " + "
    const fields = x.subject.split('\n').flatMap((l) => l.split(' + '));
    const cn = fields.find((f) => f.startsWith('CN='))?.slice(3);
    // 1.5 appends the cname to a single --organization; what was given is the rest.
    const orgs = fields.filter((f) => f.startsWith('O=')).map((f) => f.slice(2)).filter((o) => o !== '' && o !== cn);
    return { mode: 'verify', ...(cn ? { cname: cn } : {}), organization: orgs };
  } catch {
    // an unreadable certificate: the mode is all we could say
    return { mode: 'verify', organization: [] };
  }
}

/**
 * Whether the VCH has an ops user of its own. 1.5 stores the admin user as the ops user when create is given none, so
 * the stored user alone does not say; the create options it recorded do (`--ops-user`, which create records and a
 * configure that sets an ops user records too), and so does `--ops-grant-perms` (which needs one).
 */
export function hasOwnOpsUser(c: VirtualContainerHostConfigSpec): boolean {
  if (!c.connection.username) return false;
  if (c.grantPermsLevel) return true;
  return (c.vicMachineCreateOptions ?? []).some((o) => o === `--ops-user=${c.connection.username}`);
}

/** The PEM certificates of a stored bundle, one each; anything else in it (a key given by mistake) left out. */
function certificatesOf(bundle: Uint8Array | undefined): { pem: string }[] {
  if (!bundle?.length) return [];
  return splitPem(Buffer.from(bundle).toString('utf8')).filter((b) => /CERTIFICATE$/.test(b.label)).map((b) => ({ pem: b.pem }));
}

/**
 * The certificates of the VCH's TLS as 1.5's GET answered them (vch_get.go: auth.server.certificate, one
 * auth.client.certificate_authorities item per CA): the server certificate (public; its key is sealed in the
 * configuration and never read here) and the CAs clients are verified against. Carried back in a PUT they are the
 * VCH's own, no change (src/vic/configure/tls-change.ts). The flags and YAML forms cannot carry PEM text (the TLS
 * flags take files), so only the VCH model holds them.
 */
function tlsCertificatesOf(c: VirtualContainerHostConfigSpec): Pick<TlsSpec, 'serverCertificate' | 'clientCas'> {
  const server = certificatesOf(c.certificate.hostCertificate?.cert);
  return {
    // a chain stays whole, as GET .../certificate serves it
    ...(server.length ? { serverCertificate: { pem: server.map((s) => s.pem).join('') } } : {}),
    clientCas: certificatesOf(c.certificate.certificateAuthorities),
  };
}

/** What inspect config reads besides the specification: how create reached vSphere. */
export interface InspectedVch {
  spec: VchSpec;
  /** the target as the VCH stores it (`https://host[:port]`) */
  target: string;
  /** the target's thumbprint as the VCH stores it */
  thumbprint: string;
}

/** The specification of a VCH, rebuilt from what vSphere holds; defaults where it holds nothing else. */
export function vchSpecOf(i: InspectConfigInput): InspectedVch {
  const c = i.config;
  const spec = defaultSpec(i.name);
  spec.debug = c.executorConfig.diagnostics.debugLevel > 0 ? c.executorConfig.diagnostics.debugLevel : 0;
  if (i.computeResourcePath) spec.compute.resource = { name: i.computeResourcePath };
  spec.compute.cpu = allocation(i.pool?.cpuAllocation);
  spec.compute.memory = allocation(i.pool?.memoryAllocation);
  spec.compute.affinityVmGroup = !!c.container.useVMGroup;
  if (i.vm.memoryMB) spec.endpoint.memoryMB = i.vm.memoryMB;
  if (i.vm.numCPUs) spec.endpoint.cpus = i.vm.numCPUs;
  if (hasOwnOpsUser(c)) spec.endpoint.operationsCredentials = { user: c.connection.username, grantPermissions: !!c.grantPermsLevel };

  const image = c.storage.imageStores[0];
  if (image) {
    // The appliance's own folder (the default when no path was given) is not part of what was given.
    const location = datastoreLocationOfUrl(image);
    spec.storage.imageStore = formatDatastoreLocation(location.path === i.name ? { ...location, path: '' } : location);
  }
  if (c.storage.scratchSize) spec.storage.baseImageSize = formatByteSize(c.storage.scratchSize * 1000);
  for (const [label, u] of Object.entries(c.storage.volumeLocations)) spec.storage.volumeStores.push({ location: volumeStoreLocation(u), label });
  // stored in bytes; --storage-quota takes GB (GiB)
  if (c.storage.storageQuota) spec.storage.quotaGB = c.storage.storageQuota / 2 ** 30;

  const endpoints = c.executorConfig.networks;
  const net = spec.network;
  const pub = endpoints['public'];
  net.dns = (pub?.network.nameservers ?? []).flatMap((ns) => bytesToIp(ns) ?? []);
  const bridge = c.network.containerNetworks[c.network.bridgeNetwork] ?? endpoints['bridge']?.network;
  const bridgeName = bridge ? i.networkName(bridge.common.id) : undefined;
  if (bridgeName) net.bridge.portGroup = { name: bridgeName };
  if (c.network.bridgeIPRange?.ip?.length) net.bridge.ipRange = ipNetString(c.network.bridgeIPRange);
  if (c.network.bridgeNetworkWidth?.length) net.bridge.width = maskSize(c.network.bridgeNetworkWidth)[0];
  const pubName = pub ? i.networkName(pub.network.common.id) : undefined;
  for (const role of ['public', 'client', 'management'] as const) {
    const e = endpoints[role];
    if (!e) continue;
    const name = i.networkName(e.network.common.id);
    // a role on the public port group shares its NIC, address and gateway: only public's are given
    if (role !== 'public' && name === pubName) continue;
    const n: ApplianceNetworkSpec = { portGroup: { name: name ?? e.network.common.id } };
    const gw = bytesToIp(e.network.gateway?.ip);
    if (gw) n.gateway = { address: gw, routingDestinations: (e.network.destinations ?? []).map((d) => ipNetString(d)) };
    if (e.ip?.ip?.length && !isUnspecifiedIP(e.ip.ip)) n.staticIp = addressWithPrefix(e.ip);
    net[role] = n;
  }
  for (const [alias, n] of Object.entries(c.network.containerNetworks)) {
    if (alias === c.network.bridgeNetwork) continue;
    net.container.push({
      portGroup: { name: i.networkName(n.common.id) ?? alias }, alias,
      ...(n.gateway?.ip?.length && !isUnspecifiedIP(n.gateway.ip) ? { gateway: addressWithPrefix(n.gateway) } : {}),
      ipRanges: (n.pools ?? []).flatMap((p) => (p.firstIP && p.lastIP ? [rangeText(p.firstIP, p.lastIP)] : [])),
      dns: (n.nameservers ?? []).map((d) => bytesToIp(d) ?? ''),
      ...(n.trustLevel ? { firewall: TRUST_NAMES[n.trustLevel] as ContainerNetworkFirewall } : {}),
    });
  }
  net.asymmetricRoutes = !!c.executorConfig.asymmetricRouting;

  spec.tls = { ...spec.tls, ...tlsOf(c) };
  if (spec.tls.mode !== 'none') spec.tls = { ...spec.tls, ...tlsCertificatesOf(c) };
  spec.registry.insecure = [...(c.registry.insecureRegistries ?? [])];
  spec.registry.whitelist = [...(c.registry.registryWhitelist ?? [])];
  // --registry-ca, one PEM certificate each, as 1.5's GET answered them
  spec.registry.certificateAuthorities = certificatesOf(c.certificate.registryCertificateAuthorities);
  const env = new Map((c.executorConfig.sessions['docker-personality']?.cmd.env ?? []).map((e) => {
    const k = e.indexOf('=');
    return [e.slice(0, k), e.slice(k + 1)] as const;
  }));
  const proxy = { https: env.get('HTTPS_PROXY'), http: env.get('HTTP_PROXY'), noProxy: env.get('NO_PROXY') };
  spec.proxy = Object.fromEntries(Object.entries(proxy).filter(([, v]) => v)) as VchSpec['proxy'];
  const syslog = c.executorConfig.diagnostics.sysLogConfig;
  if (syslog?.rAddr) spec.syslogAddress = `${syslog.network}://${syslog.rAddr}`;
  if (c.container.containerNameConvention) spec.container.nameConvention = c.container.containerNameConvention;
  if (c.container.containerCount) spec.container.maxContainers = c.container.containerCount;
  return { spec, target: c.connection.target, thumbprint: c.connection.targetThumbprint };
}

/** The create flags that reproduce a VCH: how it reaches vSphere, then its specification's flags. */
export function createFlagsOf(i: InspectConfigInput): CreateFlag[] {
  const { spec, target, thumbprint } = vchSpecOf(i);
  return [
    ...(target ? [{ flag: 'target', value: target }] : []),
    ...(thumbprint ? [{ flag: 'thumbprint', value: thumbprint }] : []),
    ...flagsOfSpec(spec),
  ];
}

/** The moref string form stored in the configuration. */
export function morefString(r: MoRef): string {
  return `${r.type}:${r.value}`;
}
