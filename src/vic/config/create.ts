// Building the configuration `vic-machine create` writes, from a high-level create input.
//
// This reproduces what vic-machine 1.5 puts into the VirtualContainerHostConfigSpec across
// `validate.Validator.Validate` (basics, credentials, storage, network, certificates, registries, syslog),
// `create.Run` (storage quota, container count, create options) and `Dispatcher.CreateVCH`
// (resource pool, bridge network, VM moref, NIC slots, appliance sessions, bootstrap image path, image store folder).
// It is pure: everything that needs vSphere (morefs, inventory paths, folder name) comes in resolved.

import { goURLString, ipNetString, ipString, isUnspecifiedIP, parseGoURL, parseIP, urlPort } from './goutil.js';
import { imageStoreUrl, type DatastoreLocation } from '../spec/values/datastore-location.js';
import { volumeStoreUrl, type VolumeStore } from '../spec/values/volume-store.js';
import { cidrContains, goCidr, ipv4Bytes16, maskBytes, parseIpv4Cidr, type Ipv4, type Ipv4Cidr } from '../spec/values/ipv4.js';
import { goIpRange, type Ipv4Range } from '../spec/values/ip-range.js';
import type { Gateway } from '../spec/values/gateway.js';
import type { IpAddress } from '../spec/values/ip-address.js';
import { parseByteSize } from '../spec/values/size.js';
import {
  ADD_PERMS, BRIDGE_NETWORK_NAME, CLIENT_NETWORK_NAME, CREATING_VCH, MANAGEMENT_NETWORK_NAME, PERSONA_SERVICE,
  PORT_LAYER_SERVICE, PUBLIC_NETWORK_NAME, VICADMIN_SERVICE, moRefString, parseMoRefString, parseTrustLevel,
  type Cmd, type Common, type ContainerNetwork, type GoBytes, type GoURL, type IPNet, type IPRange,
  type ManagedObjectReference, type NetworkEndpoint, type SessionConfig, type VersionBuild,
  type VirtualContainerHostConfigSpec,
} from './model.js';
import { storedRegistryLists } from './registries.js';
import {
  newCommon as zeroCommon, newContainerNetwork as zeroContainerNetwork, newNetworkEndpoint as zeroEndpoint,
  newSessionConfig as zeroSession, newVchConfig,
} from './vch.js';

// ---------------------------------------------------------------------------------------------------------------
// input

/** An appliance network role's port group and optional static configuration (`--<role>-network[-ip|-gateway]`). */
export interface ApplianceNetworkInput {
  /** the port group as the user named it (roles naming the same port group share a NIC and static config) */
  portGroup: string;
  /** its moref, e.g. `Network:network-7` or `DistributedVirtualPortgroup:dvportgroup-13` */
  moref: ManagedObjectReference | string;
  /** static IP with its prefix, e.g. 192.168.100.10/24 */
  ip?: Ipv4Cidr;
  /** gateway, with the networks routed through it (none: the default route) */
  gateway?: Gateway;
}

/** `--bridge-network` */
export interface BridgeNetworkInput {
  portGroup: string;
  /** moref of the existing port group (or of the one create made on ESX) */
  moref: ManagedObjectReference | string;
  /** true when create made the vSwitch/port group itself (ESX), so delete removes it */
  created?: boolean;
}

/** `--container-network <portGroup>:<alias>` and its per-network options (CLI keys them by port group). */
export interface ContainerNetworkInput {
  /** name containers use; defaults to the port group */
  alias?: string;
  portGroup: string;
  moref: ManagedObjectReference | string;
  /** gateway address and subnet (10.10.0.1/16) */
  gateway?: Ipv4Cidr;
  /** address pools; a CIDR range and a first-last range are stored differently (./../spec/values/ip-range.ts) */
  ipRanges?: Ipv4Range[];
  dns?: Array<Ipv4 | IpAddress>;
  /** closed | outbound | peers | published | open */
  firewall?: string;
}

export interface VchCreateInput {
  /** `--name`: display name, VM name, appliance hostname */
  name: string;
  /** the installer's build (written as init/version) */
  version: VersionBuild;
  /** `--debug` level */
  debug?: number;

  // -- vSphere target and credentials
  /** the target as create stores it: `https://host[:port]` (userinfo, path and query are dropped) */
  target: string;
  /** SHA-1 thumbprint of the target certificate (`AA:BB:...`) */
  thumbprint: string;
  /** operations user and password (the admin user/password when no `--ops-user`) */
  opsUser: string;
  opsPassword: string;
  /** `--ops-grant-perms` */
  opsGrantPerms?: boolean;

  // -- resolved inventory
  /** datacenter name (vicadmin `--dc`, port-layer DC_PATH) */
  datacenterName: string;
  /** inventory path of the compute resource (cluster or host), e.g. `/DC0/host/DC0_C0` */
  clusterPath: string;
  /** inventory path of the resource pool the VCH pool was created in, e.g. `/DC0/host/DC0_C0/Resources` */
  resourcePoolPath: string;
  /** the VCH's resource pool (or vApp) */
  vchPool: ManagedObjectReference | string;
  /** the appliance VM; absent while it does not exist yet (ID `CreatingVCH`) */
  applianceVm?: ManagedObjectReference | string;
  /** the VM's datastore folder name (defaults to the name; a namespace UUID on vSAN) */
  vmFolderName?: string;
  /** uploaded bootstrap ISO file name, e.g. `v1.5.8-1-9489f63-bootstrap.iso` */
  bootstrapIsoName: string;

  // -- storage
  /** `--image-store` (no datastore named: `defaultDatastore`) */
  imageStore: DatastoreLocation;
  /** datastore to use when `--image-store` names none (the session's default datastore) */
  defaultDatastore?: string;
  /** `--volume-store` values */
  volumeStores?: VolumeStore[];
  /** `--base-image-size` in bytes, default 8GB (8·10^9) */
  baseImageSizeBytes?: number;
  /** `--storage-quota` in GB (GiB); 0/undefined = none */
  storageQuotaGB?: number;
  /** `--containers`; 0/undefined = unlimited */
  containerCount?: number;

  // -- networks
  publicNetwork: ApplianceNetworkInput;
  /** defaults to the public network's port group */
  clientNetwork?: ApplianceNetworkInput;
  /** defaults to the client network's port group */
  managementNetwork?: ApplianceNetworkInput;
  bridgeNetwork: BridgeNetworkInput;
  /** `--bridge-network-range`, default 172.16.0.0/12 */
  bridgeNetworkRange?: Ipv4Cidr;
  /** `--bridge-network-width`, default 16 */
  bridgeNetworkWidth?: number;
  /** `--dns-server` (all kept; the CLI warns above 3) */
  dnsServers?: IpAddress[];
  containerNetworks?: ContainerNetworkInput[];
  /** `--asymmetric-routes` */
  asymmetricRoutes?: boolean;

  // -- TLS and registries (PEM text or bytes)
  /** server certificate and key; absent for `--no-tls` */
  serverCertificatePem?: string | Uint8Array;
  serverKeyPem?: string | Uint8Array;
  /** CA bundle for client verification (tlsverify); only stored with a server certificate */
  clientCaPem?: string | Uint8Array;
  /** `--registry-ca` bundle */
  registryCaPem?: string | Uint8Array;
  insecureRegistries?: string[];
  whitelistRegistries?: string[];

  // -- proxies, syslog, containers
  /** `--http-proxy` / `--https-proxy`: http(s)://host:port */
  httpProxy?: string;
  httpsProxy?: string;
  /** `--no-proxy` as given (entries are trimmed and re-joined with ",") */
  noProxy?: string;
  /** `--syslog-address` transport://host[:port] (udp|tcp; port defaults to 514) */
  syslogAddress?: string;
  /** `--container-name-convention` */
  containerNameConvention?: string;
  /** `--affinity-vm-group` (group named after the VCH) */
  affinityVmGroup?: boolean;

  /** what `vic_machine_create_options` records: the `--flag=value` strings of the flags the user set (CLI builds them) */
  createOptions?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// helpers (exported for the CLI's flag processing)

export const DEFAULT_BRIDGE_NETWORK_RANGE = '172.16.0.0/12';
export const DEFAULT_BRIDGE_NETWORK_WIDTH = 16;
export const DEFAULT_BASE_IMAGE_SIZE = '8GB';
export const DEFAULT_VOLUME_STORE_PATH = 'VIC';
/** First PCI slot for appliance NICs and the step between them (constants.PCISlotNumberBegin / Inc). */
export const PCI_SLOT_BEGIN = 0x4a0;
export const PCI_SLOT_INC = 1 << 5;
export const PCI_SLOT_END = 1 << 11;
/** docker API ports */
export const DOCKER_TLS_PORT = 2376;
export const DOCKER_HTTP_PORT = 2375;
export const PORT_LAYER_PORT = 2377;
export const DEFAULT_SYSLOG_PORT = 514;

function asMoRef(r: ManagedObjectReference | string, what: string): ManagedObjectReference {
  if (typeof r !== 'string') return r;
  const m = parseMoRefString(r);
  if (!m) throw new Error(`serialized managed object reference in unexpected format: ${JSON.stringify(r)} (${what})`);
  return m;
}

function moRefText(r: ManagedObjectReference | string): string {
  return typeof r === 'string' ? r : moRefString(r);
}

function bytesOf(v: string | Uint8Array | undefined): GoBytes | undefined {
  if (v === undefined) return undefined;
  const b = typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'utf8')) : new Uint8Array(v);
  return b.length === 0 ? undefined : b;
}

/** `--no-proxy` processing: entries trimmed and re-joined with ",". */
export function normalizeNoProxy(noProxy: string): string {
  return noProxy.split(',').map((s) => s.trim()).join(',');
}

/** `--http(s)-proxy` validation; returns the URL as Go prints it. */
export function normalizeProxy(ref: string): string {
  let u;
  try {
    u = parseGoURL(ref);
  } catch {
    u = undefined;
  }
  if (!u || u.host === '' || (u.scheme !== 'http' && u.scheme !== 'https')) {
    throw new Error(`Could not parse HTTP(S) proxy - expected format http(s)://fqnd_or_ip:port: ${ref}`);
  }
  return goURLString(u);
}

/** `--syslog-address` -> executor.SysLogConfig (errors as `Validator.syslog`). */
export function parseSyslogAddress(addr: string): { network: string; rAddr: string } {
  const u = parseGoURL(addr);
  const network = u.scheme;
  if (network.length === 0) throw new Error('syslog address does not have network specified');
  if (network !== 'udp' && network !== 'tcp') throw new Error('syslog address transport should be udp or tcp');
  let host = u.host;
  if (host.length === 0) throw new Error('syslog address host not specified');
  if (urlPort(u) === '') host += `:${DEFAULT_SYSLOG_PORT}`;
  return { network, rAddr: host };
}

/** The target as create stores it: scheme (default https) and host only. */
export function storedTarget(target: string): string {
  let t = target;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(t)) t = 'https://' + t;
  const u = parseGoURL(t);
  return goURLString({ ...u, user: undefined, path: '', rawPath: '', rawQuery: '', forceQuery: false, fragment: '', rawFragment: '', opaque: '' });
}

// ---------------------------------------------------------------------------------------------------------------
// builder

function newCommon(fields: Partial<Common>): Common {
  return { ...zeroCommon(), ...fields };
}

interface StaticConfig {
  ip?: IPNet;
  gateway?: IPNet;
  destinations: IPNet[];
}

/** `ProcessNetwork`: static IP (address kept whole, mask from the prefix) and gateway (mask = the IP's). */
function staticConfig(role: string, n: ApplianceNetworkInput): StaticConfig {
  const out: StaticConfig = { destinations: [] };
  if (n.gateway && !n.ip) throw new Error(`Gateway provided without static IP for ${role} network`);
  if (n.ip) {
    const p = goCidr(n.ip);
    out.ip = { ip: p.ip, mask: p.net.mask };
    if (n.gateway) {
      if (!cidrContains(n.ip, n.gateway.address)) {
        throw new Error(`${role} gateway with IP ${ipString(ipv4Bytes16(n.gateway.address))} is not reachable from ${ipNetString(p.net)}`);
      }
      // net.ParseCIDR's networks: 4-byte address and mask
      out.destinations = n.gateway.destinations.map((d) => goCidr(d).net);
      out.gateway = { ip: ipv4Bytes16(n.gateway.address), mask: out.ip.mask };
    }
  }
  return out;
}

function copyIPNet(n: IPNet): IPNet {
  return { ...(n.ip ? { ip: n.ip.slice() } : {}), ...(n.mask ? { mask: n.mask.slice() } : {}) };
}

function isEmptyStatic(s: StaticConfig): boolean {
  return !s.ip && !s.gateway && s.destinations.length === 0;
}

function newContainerNetwork(fields: Partial<ContainerNetwork>): ContainerNetwork {
  return { ...zeroContainerNetwork(), ...fields };
}

function newEndpoint(fields: Partial<NetworkEndpoint>): NetworkEndpoint {
  return { ...zeroEndpoint(), ...fields };
}

function newSession(name: string, fields: Partial<SessionConfig> & { cmd: Cmd }): SessionConfig {
  const s = { ...zeroSession(), ...fields };
  // AddComponent: name and ID default to the component name
  s.common = newCommon({ ...fields.common, name: fields.common?.name || name, id: fields.common?.id || name });
  return s;
}

/** Builds the configuration create writes for `input` (the final one, after the appliance VM exists). */
export function buildVchConfig(input: VchCreateInput): VirtualContainerHostConfigSpec {
  const conf = newVchConfig();
  const ec = conf.executorConfig;

  // -- basics
  ec.common.name = input.name;
  if (input.debug !== undefined) ec.diagnostics.debugLevel = input.debug;
  ec.version = { ...input.version };
  conf.storage.scratchSize = Math.trunc((input.baseImageSizeBytes ?? parseByteSize(DEFAULT_BASE_IMAGE_SIZE)) / 1000);
  conf.container.containerNameConvention = input.containerNameConvention ?? '';

  // -- credentials
  conf.connection.username = input.opsUser;
  conf.connection.token = input.opsPassword;
  conf.connection.targetThumbprint = input.thumbprint;
  if (input.opsGrantPerms) conf.grantPermsLevel = ADD_PERMS;
  conf.connection.target = storedTarget(input.target);

  // -- storage
  const image = imageStoreUrl(input.imageStore, input.defaultDatastore);
  conf.storage.imageStores = [image];
  for (const vs of input.volumeStores ?? []) conf.storage.volumeLocations[vs.label] = volumeStoreUrl(vs, input.defaultDatastore);

  // -- networks
  buildNetworks(conf, input);

  // -- affinity group (named after the VCH)
  if (input.affinityVmGroup) {
    conf.container.useVMGroup = true;
    conf.container.vmGroupName = input.name;
  }

  // -- certificates and registries
  const cert = bytesOf(input.serverCertificatePem);
  const key = bytesOf(input.serverKeyPem);
  if (cert || key) conf.certificate.hostCertificate = { ...(key ? { key } : {}), ...(cert ? { cert } : {}) };
  const cas = bytesOf(input.clientCaPem);
  if (cas && cert) conf.certificate.certificateAuthorities = cas;
  const rcas = bytesOf(input.registryCaPem);
  if (rcas) conf.certificate.registryCertificateAuthorities = rcas;
  const regs = storedRegistryLists(input.insecureRegistries ?? [], input.whitelistRegistries ?? []);
  conf.registry.insecureRegistries = regs.insecureRegistries;
  conf.registry.registryWhitelist = regs.registryWhitelist;

  // -- syslog
  if (input.syslogAddress) ec.diagnostics.sysLogConfig = parseSyslogAddress(input.syslogAddress);

  // -- create.Run
  if (input.storageQuotaGB && input.storageQuotaGB > 0) conf.storage.storageQuota = input.storageQuotaGB * 2 ** 30;
  if (input.containerCount && input.containerCount > 0) conf.container.containerCount = input.containerCount;
  conf.vicMachineCreateOptions = [...(input.createOptions ?? [])];

  // -- dispatcher: pool, bridge network, VM, NIC slots, components
  conf.container.computeResources = [asMoRef(input.vchPool, 'vchPool')];
  if (input.bridgeNetwork.created) conf.createBridgeNetwork = true;
  ec.common.id = input.applianceVm !== undefined ? moRefText(input.applianceVm) : CREATING_VCH;
  assignNicSlots(conf);
  addComponents(conf, input);
  const folder = input.vmFolderName ?? input.name;
  conf.container.bootstrapImagePath = `[${image.host}] ${folder}/${input.bootstrapIsoName}`;
  if (image.path.length === 0) image.path = folder;
  return conf;
}

function buildNetworks(conf: VirtualContainerHostConfigSpec, input: VchCreateInput): void {
  const pub = input.publicNetwork;
  const client = input.clientNetwork ?? { portGroup: pub.portGroup, moref: pub.moref };
  const mgmt = input.managementNetwork ?? { portGroup: client.portGroup, moref: client.moref };
  const roles: Array<[string, ApplianceNetworkInput, StaticConfig]> = [
    [PUBLIC_NETWORK_NAME, pub, staticConfig(PUBLIC_NETWORK_NAME, pub)],
    [CLIENT_NETWORK_NAME, client, staticConfig(CLIENT_NETWORK_NAME, client)],
    [MANAGEMENT_NETWORK_NAME, mgmt, staticConfig(MANAGEMENT_NETWORK_NAME, mgmt)],
  ];

  // static configuration per port group; roles sharing a port group with one that has it get a copy
  const byPortGroup = new Map<string, StaticConfig[]>();
  for (const [, n, s] of [roles[2]!, roles[1]!, roles[0]!]) {
    if (!isEmptyStatic(s)) byPortGroup.set(n.portGroup, [...(byPortGroup.get(n.portGroup) ?? []), s]);
  }
  for (const [role, n, s] of roles.slice(1)) {
    if (n.portGroup === pub.portGroup && !isEmptyStatic(s)) {
      throw new Error(`Static IP on network sharing port group with public network - Configuration ONLY allowed through public network options (${role})`);
    }
  }
  for (const [pg, list] of byPortGroup) {
    if (list.length > 1) throw new Error(`Incorrect static IP configuration for networks on port group ${JSON.stringify(pg)}`);
  }
  for (const r of roles) {
    const shared = byPortGroup.get(r[1].portGroup);
    if (shared && isEmptyStatic(r[2])) r[2] = shared[0]!;
  }

  // DNS: the given servers, else Google's when every role is static
  let dns: GoBytes[] = (input.dnsServers ?? []).map((d) => d.slice());
  const usingDHCP = roles.some(([, , s]) => isUnspecifiedIP(s.ip?.ip));
  if (!usingDHCP && dns.length === 0) dns = [parseIP('8.8.8.8')!, parseIP('8.8.4.4')!];

  for (const [role, n, s] of roles) {
    const endpoint = newEndpoint({
      common: newCommon({ name: role === MANAGEMENT_NETWORK_NAME ? '' : role }),
      network: newContainerNetwork({
        common: newCommon({ name: role, id: moRefText(n.moref) }),
        default: role === PUBLIC_NETWORK_NAME,
        destinations: s.destinations.map(copyIPNet),
        gateway: s.gateway ? copyIPNet(s.gateway) : {},
        nameservers: dns.map((d) => d.slice()),
      }),
      ...(s.ip ? { ip: copyIPNet(s.ip), static: true } : {}),
    });
    conf.executorConfig.networks[role] = endpoint;
  }

  // bridge: static but managed by the appliance; it is also the "bridge" container network (same object)
  conf.network.bridgeNetwork = BRIDGE_NETWORK_NAME;
  const bridgeMoRef = moRefText(input.bridgeNetwork.moref);
  const bridge = newEndpoint({
    common: newCommon({ name: BRIDGE_NETWORK_NAME, id: bridgeMoRef }),
    static: true,
    ip: { ip: parseIP('0.0.0.0')! },
    network: newContainerNetwork({ common: newCommon({ name: BRIDGE_NETWORK_NAME, id: bridgeMoRef }), type: 'bridge' }),
  });
  conf.network.containerNetworks[BRIDGE_NETWORK_NAME] = bridge.network;
  conf.executorConfig.networks[BRIDGE_NETWORK_NAME] = bridge;

  const bridgeRange = input.bridgeNetworkRange ?? parseIpv4Cidr(DEFAULT_BRIDGE_NETWORK_RANGE);
  const range = goCidr(bridgeRange).net;
  const width = input.bridgeNetworkWidth ?? DEFAULT_BRIDGE_NETWORK_WIDTH;
  if (!Number.isInteger(width) || width > 30) throw new Error(`Error parsing bridge network width: ${width}. Width must be an integer less than 31.`);
  if (width < bridgeRange.prefix) throw new Error(`Error specifying bridge network width: ${width}. Width must be larger than prefix of bridge network ip range.`);
  conf.network.bridgeIPRange = range;
  conf.network.bridgeNetworkWidth = maskBytes(width);

  // mapped container networks
  for (const cn of input.containerNetworks ?? []) {
    const network = containerNetworkFromInput(cn);
    conf.network.containerNetworks[network.common.name] = network;
  }
  conf.executorConfig.asymmetricRouting = !!input.asymmetricRoutes;
}

/** One `--container-network` (with its gateway, ranges, DNS and trust level) as the config stores it (create and configure). */
export function containerNetworkFromInput(cn: ContainerNetworkInput): ContainerNetwork {
  const alias = cn.alias || cn.portGroup;
  if (alias === BRIDGE_NETWORK_NAME) throw new Error('Cannot use reserved name "bridge" for container network');
  let gateway: IPNet = {};
  if (cn.gateway) {
    const p = goCidr(cn.gateway);
    gateway = { ip: p.ip, mask: p.net.mask };
  }
  const pools = (cn.ipRanges ?? []).map(goIpRange);
  if (pools.length > 0 && isUnspecifiedIP(gateway.ip)) throw new Error(`IP range specified without gateway for container network ${JSON.stringify(alias)}`);
  const nameservers = (cn.dns ?? []).map((d) => (typeof d === 'number' ? ipv4Bytes16(d) : d.slice()));
  return newContainerNetwork({
    common: newCommon({ name: alias, id: moRefText(cn.moref) }),
    type: 'external',
    gateway,
    nameservers,
    pools,
    trustLevel: parseTrustLevel(cn.firewall ?? ''),
  });
}

/** The order create's map iteration happened to take in the recorded fixtures: public first, bridge last. */
const NIC_ORDER = [PUBLIC_NETWORK_NAME, CLIENT_NETWORK_NAME, MANAGEMENT_NETWORK_NAME, BRIDGE_NETWORK_NAME];

/**
 * Gives every appliance network endpoint the PCI slot of its NIC (`Dispatcher.addNetworkDevices`): one NIC per
 * distinct network moref, slots from 1184 in steps of 32; roles on the same network share the NIC and slot.
 * (The original iterates a Go map, so which role gets which slot varies from run to run.)
 */
export function assignNicSlots(conf: VirtualContainerHostConfigSpec, order: readonly string[] = NIC_ORDER): void {
  const nets = conf.executorConfig.networks;
  const names = [...order.filter((n) => n in nets), ...Object.keys(nets).filter((n) => !order.includes(n)).sort()];
  const byMoRef = new Map<string, string>();
  let slot = PCI_SLOT_BEGIN;
  for (const name of names) {
    const ep = nets[name]!;
    const existing = byMoRef.get(ep.network.common.id);
    if (existing !== undefined) {
      ep.common.id = existing;
      continue;
    }
    if (slot >= PCI_SLOT_END) throw new Error(`Failed to assign stable PCI slot for ${JSON.stringify(name)} network card`);
    ep.common.id = String(slot);
    byMoRef.set(ep.network.common.id, ep.common.id);
    slot += PCI_SLOT_INC;
  }
}

/** The appliance's NICs as the config describes them: one per distinct network, with its slot and roles. */
export function applianceNics(conf: VirtualContainerHostConfigSpec): Array<{ network: ManagedObjectReference | undefined; networkId: string; slot: number; roles: string[] }> {
  const out = new Map<string, { network: ManagedObjectReference | undefined; networkId: string; slot: number; roles: string[] }>();
  for (const [role, ep] of Object.entries(conf.executorConfig.networks)) {
    const id = ep.network.common.id;
    const nic = out.get(id) ?? { network: parseMoRefString(id), networkId: id, slot: Number(ep.common.id), roles: [] };
    nic.roles.push(role);
    out.set(id, nic);
  }
  return [...out.values()].sort((a, b) => a.slot - b.slot);
}

function addComponents(conf: VirtualContainerHostConfigSpec, input: VchCreateInput): void {
  const httpProxy = input.httpProxy ? normalizeProxy(input.httpProxy) : undefined;
  const httpsProxy = input.httpsProxy ? normalizeProxy(input.httpsProxy) : undefined;
  const noProxy = input.noProxy ? normalizeNoProxy(input.noProxy) : undefined;
  const sessions = conf.executorConfig.sessions;

  const vicadminEnv = ['PATH=/sbin:/bin', 'GOTRACEBACK=all'];
  if (httpProxy) vicadminEnv.push(`VICADMIN_HTTP_PROXY=${httpProxy}`);
  if (httpsProxy) vicadminEnv.push(`VICADMIN_HTTPS_PROXY=${httpsProxy}`);
  if (noProxy) vicadminEnv.push(`NO_PROXY=${noProxy}`);
  sessions[VICADMIN_SERVICE] = newSession(VICADMIN_SERVICE, {
    user: 'vicadmin',
    group: 'vicadmin',
    cmd: {
      path: '/sbin/vicadmin',
      args: ['/sbin/vicadmin', `--dc=${input.datacenterName}`, `--pool=${input.resourcePoolPath}`, `--cluster=${input.clusterPath}`],
      env: vicadminEnv,
      dir: '/home/vicadmin',
    },
    restart: true,
    active: true,
  });

  const dockerPort = conf.certificate.hostCertificate ? DOCKER_TLS_PORT : DOCKER_HTTP_PORT;
  const personaEnv = ['PATH=/sbin', 'GOTRACEBACK=all'];
  if (httpProxy) personaEnv.push(`HTTP_PROXY=${httpProxy}`);
  if (httpsProxy) personaEnv.push(`HTTPS_PROXY=${httpsProxy}`);
  if (noProxy) personaEnv.push(`NO_PROXY=${noProxy}`);
  sessions[PERSONA_SERVICE] = newSession(PERSONA_SERVICE, {
    cmd: {
      path: '/sbin/docker-engine-server',
      args: ['/sbin/docker-engine-server', `-port=${dockerPort}`, `-port-layer-port=${PORT_LAYER_PORT}`],
      env: personaEnv,
      dir: '',
    },
    restart: true,
    active: true,
  });

  sessions[PORT_LAYER_SERVICE] = newSession(PORT_LAYER_SERVICE, {
    cmd: {
      path: '/sbin/port-layer-server',
      args: ['/sbin/port-layer-server', '--host=localhost', `--port=${PORT_LAYER_PORT}`],
      env: [
        `VC_URL=${conf.connection.target}`,
        `DC_PATH=${input.datacenterName}`,
        `CS_PATH=${input.clusterPath}`,
        `POOL_PATH=${input.resourcePoolPath}`,
        `DS_PATH=${conf.storage.imageStores[0]!.host}`,
      ],
      dir: '',
    },
    restart: true,
    active: true,
  });
}

/** The docker API port a config serves (2376 with TLS, 2375 without). */
export function dockerApiPort(conf: VirtualContainerHostConfigSpec): number {
  return conf.certificate.hostCertificate ? DOCKER_TLS_PORT : DOCKER_HTTP_PORT;
}
