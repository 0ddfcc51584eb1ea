// The VCH specification ⇄ create's flags. The CLI's option object (src/cli/options.ts CreateOptions, which the flag
// definitions type-check) extends CreateFlagValues, so the CLI hands its options in as they are; `inspect config` writes
// a specification back as the flags that reproduce it (defaults left out, as vic-machine 1.5 does).
// Values are split into the specification's parts here, once; whether an address or a range is well formed is checked
// with the rest of the input (src/vic/validate/input.ts), which names the flag.
import { formatByteSize, parseByteSize } from './values/size.js';
import { gatewayText, parseGateway } from './values/gateway.js';
import { formatIpv4, formatIpv4Cidr } from './values/ipv4.js';
import { parseVolumeStore } from './values/volume-store.js';
import { tryParse } from './values/value-error.js';
import { containerNetworkFlags, containerNetworksFromFlags } from './values/container-network.js';
import type {
  ContainerNetworkFlagValues, DebugFlagValue, OpsFlagValues, ProxyFlagValues, ResourceFlagValues, TlsFlagValues,
} from './flag-values.js';
import {
  DEFAULTS, defaultSpec, refName, SpecError, type ApplianceNetworkSpec, type GatewaySpec, type InventoryRef,
  type PemSource, type PoolAllocationSpec, type Shares, type SpecProblem, type VchSpec,
} from './vch-spec.js';

/**
 * The flag values a specification is made of. The CLI's options (src/cli/options.ts CreateOptions) extend it with how
 * one run goes (target, --force, --timeout, ISOs, --tls-cert-path, ...).
 */
export interface CreateFlagValues extends OpsFlagValues, ContainerNetworkFlagValues, ResourceFlagValues, TlsFlagValues,
  ProxyFlagValues, DebugFlagValue {
  /** `--name`, default `virtual-container-host` */
  name: string;
  /** `--compute-resource` ("" = the default / only one) */
  computeResource: string;
  /** `--image-store/-i` `datastore[/path]` ("" = the default datastore) */
  imageStore: string;
  /** `--base-image-size`, default `8GB` (decimal units, go-units FromHumanSize) */
  baseImageSize: string;
  affinityVmGroup: boolean;
  containerNameConvention: string;
  volumeStore: readonly string[];
  dnsServer: readonly string[];
  /** "" = the VCH name */
  bridgeNetwork: string;
  /** default `172.16.0.0/12` */
  bridgeNetworkRange: string;
  /** default `16` (a string, as in the original) */
  bridgeNetworkWidth: string;
  clientNetwork: string;
  clientNetworkGateway: string;
  clientNetworkIp: string;
  /** default `VM Network` */
  publicNetwork: string;
  publicNetworkGateway: string;
  publicNetworkIp: string;
  managementNetwork: string;
  managementNetworkGateway: string;
  managementNetworkIp: string;
  /** MB, default 2048 */
  endpointMemory: number;
  /** default 1 */
  endpointCpu: number;
  noTls: boolean;
  registryCa: readonly string[];
  insecureRegistry: readonly string[];
  whitelistRegistry: readonly string[];
  syslogAddress: string;
  asymmetricRoutes: boolean;
}

/** One `--flag=value` (long name without dashes; booleans have the value "true"). */
export interface FlagValue {
  flag: string;
  value: string;
}

/**
 * `location:label`, the label after the last colon, checked by the one volume-store parser
 * (src/vic/spec/values/volume-store.ts); the location is kept as written.
 */
export function splitVolumeStore(text: string): { location: string; label: string } | { error: string } {
  const parsed = tryParse(() => parseVolumeStore(text));
  if ('error' in parsed) return { error: parsed.error.detail };
  return { location: text.slice(0, text.lastIndexOf(':')).trim(), label: parsed.value.label };
}

/**
 * A gateway flag's specification: the parts of the one gateway parser's value in their canonical text (so that
 * `10.1.7.7/16:10.0.0.1` and `10.1.0.0/16:10.0.0.1` make one specification), or what is wrong with it.
 */
function gatewaySpecOf(text: string): GatewaySpec | { error: string } {
  const parsed = tryParse(() => parseGateway(text));
  if ('error' in parsed) return { error: parsed.error.detail };
  return { address: formatIpv4(parsed.value.address), routingDestinations: parsed.value.destinations.map(formatIpv4Cidr) };
}

/** A gateway's specification as its flag value (the value module's text). */
export function gatewayFlagValue(g: GatewaySpec): string {
  return gatewayText(g.address, g.routingDestinations);
}

function pool(limit: number | undefined, reservation: number | undefined, shares: Shares | undefined): PoolAllocationSpec {
  return { ...(limit !== undefined ? { limit } : {}), ...(reservation !== undefined ? { reservation } : {}), ...(shares ? { shares } : {}) };
}

const files = (xs: readonly string[]): PemSource[] => xs.filter((f) => f !== '').map((file) => ({ file }));

/**
 * The specification create's flags describe, with defaults for what was left out. Throws a SpecError listing every
 * problem the flags have on their own (before anything connects).
 */
export function specFromCreateFlags(o: CreateFlagValues): VchSpec {
  const problems: SpecProblem[] = [];
  const spec = defaultSpec(o.name);
  spec.debug = o.debug ?? 0;
  if (o.computeResource) spec.compute.resource = { name: o.computeResource };
  spec.compute.cpu = pool(o.cpu, o.cpuReservation, o.cpuShares);
  spec.compute.memory = pool(o.memory, o.memoryReservation, o.memoryShares);
  spec.compute.affinityVmGroup = o.affinityVmGroup;

  spec.endpoint.cpus = o.endpointCpu;
  spec.endpoint.memoryMB = o.endpointMemory;
  problems.push(...opsProblems(o));
  if (o.opsUser) {
    spec.endpoint.operationsCredentials = {
      user: o.opsUser, ...(o.opsPassword !== undefined ? { password: o.opsPassword } : {}), grantPermissions: !!o.opsGrantPerms,
    };
  }

  if (o.imageStore) spec.storage.imageStore = o.imageStore;
  for (const text of o.volumeStore) {
    const v = splitVolumeStore(text);
    if ('error' in v) problems.push({ code: 'volume-store-invalid', flag: '--volume-store', message: `--volume-store "${text}": ${v.error}` });
    else spec.storage.volumeStores.push(v);
  }
  // one spelling per size (8GB, not 8000MB), so that specifications compare; a malformed one is kept for the check
  let bytes: number | undefined;
  try {
    bytes = parseByteSize(o.baseImageSize || DEFAULTS.baseImageSize);
  } catch { /* reported by the check of the input, naming the flag */ }
  spec.storage.baseImageSize = bytes !== undefined && bytes > 0 ? formatByteSize(bytes) : o.baseImageSize;
  if (o.storageQuota) spec.storage.quotaGB = o.storageQuota;

  const net = spec.network;
  if (o.bridgeNetwork) net.bridge.portGroup = { name: o.bridgeNetwork };
  net.bridge.ipRange = o.bridgeNetworkRange || DEFAULTS.bridgeIpRange;
  const width = Number(o.bridgeNetworkWidth || DEFAULTS.bridgeWidth);
  if (!Number.isInteger(width)) problems.push({ code: 'bridge-width-invalid', flag: '--bridge-network-width', message: `Error parsing bridge network width: ${o.bridgeNetworkWidth}. Width must be an integer less than 31.` });
  net.bridge.width = width;
  const publicName = o.publicNetwork || DEFAULTS.publicNetwork;
  const role = (r: 'public' | 'client' | 'management', name: string, ip: string, gateway: string): ApplianceNetworkSpec | undefined => {
    if (r !== 'public' && !name && !ip && !gateway) return undefined;
    const n: ApplianceNetworkSpec = { portGroup: { name: name || publicName } };
    if (ip) n.staticIp = ip;
    if (gateway) {
      const g = gatewaySpecOf(gateway);
      if ('error' in g) problems.push({ code: 'gateway-invalid', flag: `--${r}-network-gateway`, message: `Invalid ${r} network gateway: ${g.error}` });
      else n.gateway = g;
    }
    return n;
  };
  net.public = role('public', publicName, o.publicNetworkIp, o.publicNetworkGateway)!;
  const client = role('client', o.clientNetwork, o.clientNetworkIp, o.clientNetworkGateway);
  if (client) net.client = client;
  const management = role('management', o.managementNetwork, o.managementNetworkIp, o.managementNetworkGateway);
  if (management) {
    // left out, the management network is the client network
    if (!o.managementNetwork && client) management.portGroup = client.portGroup;
    net.management = management;
  }
  net.dns = [...o.dnsServer];
  const cn = containerNetworksFromFlags(o);
  problems.push(...cn.problems);
  net.container = cn.networks;
  net.asymmetricRoutes = o.asymmetricRoutes;

  spec.tls = {
    mode: o.noTls ? 'none' : o.noTlsverify ? 'no-verify' : 'verify',
    ...(o.tlsCname ? { cname: o.tlsCname } : {}),
    organization: [...o.organization],
    keySize: o.certificateKeySize,
    ...(o.tlsServerCert ? { serverCertificate: { file: o.tlsServerCert } } : {}),
    ...(o.tlsServerKey ? { serverKey: { file: o.tlsServerKey } } : {}),
    clientCas: files(o.tlsCa),
  };
  spec.registry = { insecure: [...o.insecureRegistry], whitelist: [...o.whitelistRegistry], certificateAuthorities: files(o.registryCa) };
  spec.proxy = {
    ...(o.httpProxy ? { http: o.httpProxy } : {}), ...(o.httpsProxy ? { https: o.httpsProxy } : {}), ...(o.noProxy ? { noProxy: o.noProxy } : {}),
  };
  if (o.syslogAddress) spec.syslogAddress = o.syslogAddress;
  if (o.containerNameConvention) spec.container.nameConvention = o.containerNameConvention;
  if (o.containers) spec.container.maxContainers = o.containers;
  if (problems.length) throw new SpecError(problems);
  return spec;
}

/** The rules of --ops-user, --ops-password and --ops-grant-perms together (create and configure). */
export function opsProblems(o: OpsFlagValues): SpecProblem[] {
  if (o.opsUser) return [];
  const out: SpecProblem[] = [];
  if (o.opsPassword !== undefined) out.push({ code: 'ops-user-invalid', flag: '--ops-password', message: 'Password for operations user specified without operations username' });
  if (o.opsGrantPerms) out.push({ code: 'ops-user-invalid', flag: '--ops-grant-perms', message: 'Invalid use of flag: --ops-grant-perms. Cannot setup Roles and Permissions for administrative user.' });
  return out;
}

function shares(s: Shares | undefined): string | undefined {
  if (!s) return undefined;
  return s.level === 'custom' ? String(s.shares) : s.level;
}

/** A reference as a flag value: its name (a moref id, which no flag takes, as itself). */
function refFlag(r: InventoryRef | undefined): string | undefined {
  return r ? refName(r) ?? ('id' in r ? r.id : undefined) : undefined;
}

/**
 * The create flags that reproduce a specification, defaults left out (vic-machine 1.5's `inspect config`). Secrets
 * (the ops password) are never part of it; certificates given as PEM text cannot be flags and are left out too.
 * The order is create's within each group; the caller sorts them into create's help order.
 */
export function createFlagsOf(spec: VchSpec): FlagValue[] {
  const out: FlagValue[] = [];
  const add = (flag: string, value: string | number | undefined | null): void => {
    if (value === undefined || value === null || value === '') return;
    out.push({ flag, value: String(value) });
  };
  if (spec.name !== DEFAULTS.name) add('name', spec.name);
  add('compute-resource', refFlag(spec.compute.resource));
  add('ops-user', spec.endpoint.operationsCredentials?.user);
  if (spec.endpoint.operationsCredentials?.grantPermissions) add('ops-grant-perms', 'true');
  add('image-store', spec.storage.imageStore);
  if (spec.storage.baseImageSize !== DEFAULTS.baseImageSize) add('base-image-size', spec.storage.baseImageSize);
  if (spec.compute.affinityVmGroup) add('affinity-vm-group', 'true');
  add('container-name-convention', spec.container.nameConvention);
  for (const v of spec.storage.volumeStores) add('volume-store', `${v.location}:${v.label}`);
  for (const d of spec.network.dns) add('dns-server', d);

  const net = spec.network;
  add('bridge-network', refFlag(net.bridge.portGroup));
  if (net.bridge.ipRange !== DEFAULTS.bridgeIpRange) add('bridge-network-range', net.bridge.ipRange);
  if (net.bridge.width !== DEFAULTS.bridgeWidth) add('bridge-network-width', net.bridge.width);
  const pubName = refFlag(net.public.portGroup);
  for (const role of ['client', 'public', 'management'] as const) {
    const n = net[role];
    if (!n) continue;
    const name = refFlag(n.portGroup);
    if (role === 'public' ? name !== DEFAULTS.publicNetwork : (name !== pubName || n.staticIp || n.gateway)) add(`${role}-network`, name);
    if (n.gateway) add(`${role}-network-gateway`, gatewayFlagValue(n.gateway));
    add(`${role}-network-ip`, n.staticIp);
  }
  out.push(...containerNetworkFlags(net.container));

  const { cpu, memory } = spec.compute;
  if (memory.limit) add('memory', memory.limit);
  if (memory.reservation) add('memory-reservation', memory.reservation);
  add('memory-shares', shares(memory.shares));
  if (spec.endpoint.memoryMB !== DEFAULTS.endpointMemoryMB) add('endpoint-memory', spec.endpoint.memoryMB);
  if (cpu.limit) add('cpu', cpu.limit);
  if (cpu.reservation) add('cpu-reservation', cpu.reservation);
  add('cpu-shares', shares(cpu.shares));
  if (spec.endpoint.cpus !== DEFAULTS.endpointCpus) add('endpoint-cpu', spec.endpoint.cpus);
  add('storage-quota', spec.storage.quotaGB);
  add('containers', spec.container.maxContainers);

  const tls = spec.tls;
  if (tls.mode === 'none') add('no-tls', 'true');
  else {
    if (tls.mode === 'no-verify') add('no-tlsverify', 'true');
    add('tls-cname', tls.cname);
    for (const o of tls.organization) add('organization', o);
    if (tls.keySize !== DEFAULTS.keySize) add('certificate-key-size', tls.keySize);
    if (tls.serverCertificate && 'file' in tls.serverCertificate) add('tls-server-cert', tls.serverCertificate.file);
    if (tls.serverKey && 'file' in tls.serverKey) add('tls-server-key', tls.serverKey.file);
    for (const c of tls.clientCas) if ('file' in c) add('tls-ca', c.file);
  }
  for (const r of spec.registry.insecure) add('insecure-registry', r);
  for (const r of spec.registry.whitelist) add('whitelist-registry', r);
  for (const c of spec.registry.certificateAuthorities) if ('file' in c) add('registry-ca', c.file);
  add('https-proxy', spec.proxy.https);
  add('http-proxy', spec.proxy.http);
  add('no-proxy', spec.proxy.noProxy);
  add('syslog-address', spec.syslogAddress);
  if (net.asymmetricRoutes) add('asymmetric-routes', 'true');
  if (spec.debug > 0) add('debug', spec.debug);
  return out;
}
