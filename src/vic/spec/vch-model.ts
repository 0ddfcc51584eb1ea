// The VCH specification ⇄ vic-machine-server's `VCH` model (VIC 1.5's swagger, definition `VCH`; the REST API's
// bodies and `inspect config --format json`). 1.5's fields keep 1.5's names and shapes; the settings 1.5's model has
// no field for are extensions, each a property named `x-vic-<name>` placed in the object it belongs to (documented in
// docs/api-extensions.md, as swagger in ./vch-model-extensions.json, which the server merges into the spec it serves):
//   network["x-vic-asymmetric_routes"]   boolean          --asymmetric-routes
//   storage["x-vic-storage_quota"]       Value_Bytes      --storage-quota
//   container["x-vic-max_containers"]    integer          --containers
// A 1.5 client never sees an extension it did not send unless the VCH has that setting.
//
// Reading a model checks every field against the swagger (types, patterns, enums, units) and refuses properties the
// model does not have, collecting every problem with the JSON path of its field (`network.container[0].gateway`), so
// that one answer lists them all. Read-only fields (`runtime`) and the version are accepted and handed back apart.
import {
  DEFAULTS, defaultSpec, SpecError, type ApplianceNetworkSpec, type ContainerNetworkSpec, type InventoryRef, type PemSource,
  type PoolAllocationSpec, type Shares, type SpecProblem, type VchSpec,
} from './vch-spec.js';
import { FIREWALL_LEVELS } from './vch-spec.js';
import { formatByteSize, parseByteSize } from './values/size.js';

// ---------------------------------------------------------------------------------------------------------------
// the model's types (swagger definitions of the same names)

export interface ValueModel { value?: number; units?: string }
export interface ManagedObjectModel { id?: string; name?: string }
export interface SharesModel { number?: number; level?: string }
export interface GatewayModel { routing_destinations?: string[]; address?: string }
export interface NetworkModel { port_group?: ManagedObjectModel; gateway?: GatewayModel; nameservers?: string[]; static?: string }
export interface ContainerNetworkModel {
  alias?: string; firewall?: string; nameservers?: string[]; port_group?: ManagedObjectModel; gateway?: GatewayModel; ip_ranges?: string[];
}
export interface X509DataModel { pem?: string }
export interface AllocationModel { limit?: ValueModel; reservation?: ValueModel; shares?: SharesModel }

export interface VchModel {
  version?: string;
  name?: string;
  debug?: number;
  compute?: { cpu?: AllocationModel; memory?: AllocationModel; resource?: ManagedObjectModel; affinity?: { use_vm_group?: boolean } };
  network?: {
    bridge?: { ip_range?: string; network_width?: number; port_group?: ManagedObjectModel };
    client?: NetworkModel; management?: NetworkModel; public?: NetworkModel;
    container?: ContainerNetworkModel[];
    'x-vic-asymmetric_routes'?: boolean;
  };
  storage?: {
    image_stores?: string[];
    volume_stores?: { datastore?: string; label?: string }[];
    base_image_size?: ValueModel;
    'x-vic-storage_quota'?: ValueModel;
  };
  auth?: {
    no_tls?: boolean;
    client?: { no_tls_verify?: boolean; certificate_authorities?: X509DataModel[] };
    server?: { certificate?: X509DataModel; private_key?: X509DataModel; generate?: { size?: ValueModel; organization?: string[]; cname?: string } };
  };
  endpoint?: {
    memory?: ValueModel;
    cpu?: { sockets?: number };
    operations_credentials?: { password?: string; user?: string; grant_permissions?: boolean };
  };
  registry?: {
    insecure?: string[]; whitelist?: string[]; certificate_authorities?: X509DataModel[];
    image_fetch_proxy?: { http?: string; https?: string; no_proxy?: string[] };
  };
  runtime?: { power_state?: string; upgrade_status?: string; admin_portal?: string; docker_host?: string };
  syslog_addr?: string;
  container?: { name_convention?: string; 'x-vic-max_containers'?: number };
}

/** The extension properties, by the object they are in (docs/api-extensions.md). */
export const MODEL_EXTENSIONS = {
  network: ['x-vic-asymmetric_routes'],
  storage: ['x-vic-storage_quota'],
  container: ['x-vic-max_containers'],
} as const;

/** The model's field for each create flag that has one: for naming the field in a problem found by flag. */
export const MODEL_PATH_OF_FLAG: Readonly<Record<string, string>> = {
  '--name': 'name',
  '--debug': 'debug',
  '--compute-resource': 'compute.resource',
  '--cpu': 'compute.cpu.limit',
  '--cpu-reservation': 'compute.cpu.reservation',
  '--cpu-shares': 'compute.cpu.shares',
  '--memory': 'compute.memory.limit',
  '--memory-reservation': 'compute.memory.reservation',
  '--memory-shares': 'compute.memory.shares',
  '--affinity-vm-group': 'compute.affinity.use_vm_group',
  '--bridge-network': 'network.bridge.port_group',
  '--bridge-network-range': 'network.bridge.ip_range',
  '--bridge-network-width': 'network.bridge.network_width',
  '--public-network': 'network.public.port_group',
  '--public-network-ip': 'network.public.static',
  '--public-network-gateway': 'network.public.gateway',
  '--client-network': 'network.client.port_group',
  '--client-network-ip': 'network.client.static',
  '--client-network-gateway': 'network.client.gateway',
  '--management-network': 'network.management.port_group',
  '--management-network-ip': 'network.management.static',
  '--management-network-gateway': 'network.management.gateway',
  '--dns-server': 'network.public.nameservers',
  '--container-network': 'network.container',
  '--container-network-gateway': 'network.container',
  '--container-network-ip-range': 'network.container',
  '--container-network-dns': 'network.container',
  '--container-network-firewall': 'network.container',
  '--asymmetric-routes': 'network.x-vic-asymmetric_routes',
  '--image-store': 'storage.image_stores',
  '--volume-store': 'storage.volume_stores',
  '--base-image-size': 'storage.base_image_size',
  '--storage-quota': 'storage.x-vic-storage_quota',
  '--no-tls': 'auth.no_tls',
  '--no-tlsverify': 'auth.client.no_tls_verify',
  '--tls-ca': 'auth.client.certificate_authorities',
  '--tls-server-cert': 'auth.server.certificate',
  '--tls-server-key': 'auth.server.private_key',
  '--tls-cname': 'auth.server.generate.cname',
  '--organization': 'auth.server.generate.organization',
  '--certificate-key-size': 'auth.server.generate.size',
  '--endpoint-memory': 'endpoint.memory',
  '--endpoint-cpu': 'endpoint.cpu.sockets',
  '--ops-user': 'endpoint.operations_credentials.user',
  '--ops-password': 'endpoint.operations_credentials.password',
  '--ops-grant-perms': 'endpoint.operations_credentials.grant_permissions',
  '--insecure-registry': 'registry.insecure',
  '--whitelist-registry': 'registry.whitelist',
  '--registry-ca': 'registry.certificate_authorities',
  '--http-proxy': 'registry.image_fetch_proxy.http',
  '--https-proxy': 'registry.image_fetch_proxy.https',
  '--no-proxy': 'registry.image_fetch_proxy.no_proxy',
  '--syslog-address': 'syslog_addr',
  '--container-name-convention': 'container.name_convention',
  '--containers': 'container.x-vic-max_containers',
};

// ---------------------------------------------------------------------------------------------------------------
// units

const BYTES_IEC: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50 };
const BYTES_METRIC: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 };
const HERTZ: Record<string, number> = { Hz: 1, KHz: 1e3, MHz: 1e6, GHz: 1e9 };

/** A whole number of `unit` as a Value in the largest of `units` that keeps it whole. */
function valueIn(amount: number, unitFactor: number, units: Record<string, number>): ValueModel {
  const base = amount * unitFactor;
  let best: [string, number] = Object.entries(units)[0]!;
  for (const [u, f] of Object.entries(units)) if (base % f === 0 && f >= best[1]) best = [u, f];
  return { value: base / best[1], units: best[0] };
}

/** A --base-image-size as bytes; undefined when malformed (the check of the input reports it). */
function metricBytes(text: string): number | undefined {
  try {
    return parseByteSize(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// specification → model

const ref = (r: InventoryRef): ManagedObjectModel => ('id' in r ? { id: r.id } : { name: r.name });
const pems = (xs: readonly PemSource[]): X509DataModel[] => xs.flatMap((x) => ('pem' in x ? [{ pem: x.pem }] : []));

function sharesModel(s: Shares): SharesModel {
  return s.level === 'custom' ? { number: s.shares } : { level: s.level };
}

function allocation(a: PoolAllocationSpec, unit: 'MHz' | 'MiB'): AllocationModel | undefined {
  const v = (n: number): ValueModel => ({ value: n, units: unit });
  const out: AllocationModel = {
    ...(a.limit ? { limit: v(a.limit) } : {}), ...(a.reservation ? { reservation: v(a.reservation) } : {}),
    ...(a.shares ? { shares: sharesModel(a.shares) } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function gatewayOfCidr(cidr: string): GatewayModel {
  const [address, prefix] = cidr.split('/');
  return { address: address!, routing_destinations: [prefix === undefined ? address! : networkOf(address!, Number(prefix))] };
}

/** `10.10.0.1`, 16 → `10.10.0.0/16` */
function networkOf(address: string, prefix: number): string {
  const n = address.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${prefix}`;
}

function networkModel(n: ApplianceNetworkSpec, nameservers: readonly string[]): NetworkModel {
  return {
    port_group: ref(n.portGroup),
    ...(n.gateway ? { gateway: { address: n.gateway.address, ...(n.gateway.routingDestinations.length ? { routing_destinations: [...n.gateway.routingDestinations] } : {}) } } : {}),
    ...(nameservers.length ? { nameservers: [...nameservers] } : {}),
    ...(n.staticIp ? { static: n.staticIp } : {}),
  };
}

/** Extras of the model that are not the specification: what a VCH is running, not what it should be. */
export interface ModelExtras {
  version?: string;
  runtime?: VchModel['runtime'];
}

/**
 * The VCH model of a specification. Secrets are left out (the ops password, the server's private key) unless
 * `withSecrets`; certificates given as files (the CLI) are left out too, as the model carries PEM text only.
 */
export function vchModelOf(spec: VchSpec, extras: ModelExtras = {}, o: { withSecrets?: boolean } = {}): VchModel {
  const m: VchModel = {};
  if (extras.version) m.version = extras.version;
  m.name = spec.name;
  if (spec.debug) m.debug = spec.debug;

  const cpu = allocation(spec.compute.cpu, 'MHz');
  const memory = allocation(spec.compute.memory, 'MiB');
  m.compute = {
    ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}),
    ...(spec.compute.resource ? { resource: ref(spec.compute.resource) } : {}),
    ...(spec.compute.affinityVmGroup ? { affinity: { use_vm_group: true } } : {}),
  };

  const net = spec.network;
  m.network = {
    bridge: {
      ip_range: net.bridge.ipRange, network_width: net.bridge.width,
      ...(net.bridge.portGroup ? { port_group: ref(net.bridge.portGroup) } : {}),
    },
    public: networkModel(net.public, net.dns),
    ...(net.client ? { client: networkModel(net.client, []) } : {}),
    ...(net.management ? { management: networkModel(net.management, []) } : {}),
    ...(net.container.length ? {
      container: net.container.map((c): ContainerNetworkModel => ({
        alias: c.alias, port_group: ref(c.portGroup),
        ...(c.gateway ? { gateway: gatewayOfCidr(c.gateway) } : {}),
        ...(c.ipRanges.length ? { ip_ranges: [...c.ipRanges] } : {}),
        ...(c.dns.length ? { nameservers: [...c.dns] } : {}),
        ...(c.firewall ? { firewall: c.firewall } : {}),
      })),
    } : {}),
    ...(net.asymmetricRoutes ? { 'x-vic-asymmetric_routes': true } : {}),
  };

  const size = metricBytes(spec.storage.baseImageSize);
  m.storage = {
    ...(spec.storage.imageStore ? { image_stores: [spec.storage.imageStore] } : {}),
    ...(spec.storage.volumeStores.length ? { volume_stores: spec.storage.volumeStores.map((v) => ({ datastore: v.location, label: v.label })) } : {}),
    ...(size !== undefined ? { base_image_size: valueIn(size, 1, BYTES_METRIC) } : {}),
    ...(spec.storage.quotaGB ? { 'x-vic-storage_quota': { value: spec.storage.quotaGB, units: 'GiB' } } : {}),
  };

  const tls = spec.tls;
  if (tls.mode === 'none') {
    m.auth = { no_tls: true };
  } else {
    const cas = pems(tls.clientCas);
    const own = tls.serverCertificate && 'pem' in tls.serverCertificate;
    const key = o.withSecrets && tls.serverKey && 'pem' in tls.serverKey ? tls.serverKey.pem : undefined;
    const generate = {
      ...(tls.keySize !== DEFAULTS.keySize ? { size: { value: tls.keySize, units: 'bit' } } : {}),
      ...(tls.organization.length ? { organization: [...tls.organization] } : {}),
      ...(tls.cname ? { cname: tls.cname } : {}),
    };
    m.auth = {
      // the swagger's client holds exactly one property: verification on without CAs carried here says so explicitly
      client: tls.mode === 'no-verify' ? { no_tls_verify: true } : cas.length ? { certificate_authorities: cas } : { no_tls_verify: false },
      ...(own ? {
        server: {
          certificate: { pem: (tls.serverCertificate as { pem: string }).pem },
          // with its key: a pair, which names itself. Without (a GET: the VCH's certificate, its key never written
          // out): generate says the names read from it, which a PUT/PATCH changes to ask for a new one
          ...(key ? { private_key: { pem: key } } : Object.keys(generate).length ? { generate } : {}),
        },
      } : Object.keys(generate).length ? { server: { generate } } : {}),
    };
  }

  const ops = spec.endpoint.operationsCredentials;
  m.endpoint = {
    memory: { value: spec.endpoint.memoryMB, units: 'MiB' },
    cpu: { sockets: spec.endpoint.cpus },
    ...(ops ? {
      operations_credentials: {
        user: ops.user, ...(o.withSecrets && ops.password !== undefined ? { password: ops.password } : {}),
        ...(ops.grantPermissions ? { grant_permissions: true } : {}),
      },
    } : {}),
  };

  const reg = spec.registry;
  const proxy = spec.proxy;
  const noProxy = proxy.noProxy ? proxy.noProxy.split(',').map((s) => s.trim()).filter(Boolean) : [];
  m.registry = {
    ...(reg.insecure.length ? { insecure: [...reg.insecure] } : {}),
    ...(reg.whitelist.length ? { whitelist: [...reg.whitelist] } : {}),
    ...(pems(reg.certificateAuthorities).length ? { certificate_authorities: pems(reg.certificateAuthorities) } : {}),
    ...(proxy.http || proxy.https || noProxy.length ? {
      image_fetch_proxy: { ...(proxy.http ? { http: proxy.http } : {}), ...(proxy.https ? { https: proxy.https } : {}), ...(noProxy.length ? { no_proxy: noProxy } : {}) },
    } : {}),
  };
  if (extras.runtime) m.runtime = extras.runtime;
  if (spec.syslogAddress) m.syslog_addr = spec.syslogAddress;
  m.container = {
    ...(spec.container.nameConvention ? { name_convention: spec.container.nameConvention } : {}),
    ...(spec.container.maxContainers ? { 'x-vic-max_containers': spec.container.maxContainers } : {}),
  };
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// model → specification

const OCTET = '(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PREFIX = '(?:[0-9]|[1-2][0-9]|3[0-2])';
const IP_RE = new RegExp(`^${IPV4}$`);
const CIDR_RE = new RegExp(`^${IPV4}/${PREFIX}$`);
const IP_RANGE_RE = new RegExp(`^${IPV4}(?:/${PREFIX}|-${IPV4})$`);
// the swagger's Version pattern, or the form an ISO carries (v1.5.8-1-9489f63: version, build, commit)
const VERSION_RE = /^v[0-9]+.[0-9]+.[0-9]+-[a-z0-9]+-[0-9]+-[a-f0-9]{7,40}$|^v[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-[a-f0-9]{7,40}$/;
const PEM_RE = /^(.*-----BEGIN [A-Z ]+-----\s+[A-Za-z0-9+/\s]+={0,2}\s+-----END [A-Z ]+-----\s*)+$/s;
const NAME_CONVENTION_RE = /^.*(\{id\}|\{name\}).*/;
const SYSLOG_RE = /^(tc|ud)p:\/\/.*/;

type Json = unknown;
type Obj = Record<string, Json>;

/** Reads one JSON value at a path, recording what does not fit. */
class Reader {
  readonly problems: SpecProblem[] = [];

  bad(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** An object with only the given properties (undefined when absent or not an object). */
  object(v: Json, path: string, keys: readonly string[]): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return this.bad(path, `must be an object, not ${kind(v)}`);
    const o = v as Obj;
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) this.bad(join(path, k), `is not a field of the VCH model (${path || 'the VCH'} has: ${keys.join(', ')})`);
    }
    return o;
  }

  string(v: Json, path: string, pattern?: RegExp, what?: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return this.bad(path, `must be a string, not ${kind(v)}`);
    if (pattern && !pattern.test(v)) return this.bad(path, `"${v}" is not ${what ?? `of the form ${pattern.source}`}`);
    return v;
  }

  integer(v: Json, path: string, min?: number, max?: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return this.bad(path, `must be an integer, not ${kind(v)}`);
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      return this.bad(path, `${v} is out of range (${min ?? '…'} to ${max ?? '…'})`);
    }
    return v;
  }

  boolean(v: Json, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return this.bad(path, `must be true or false, not ${kind(v)}`);
    return v;
  }

  array<T>(v: Json, path: string, item: (x: Json, p: string) => T | undefined): T[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.bad(path, `must be an array, not ${kind(v)}`);
    const out: T[] = [];
    v.forEach((x, i) => {
      const r = item(x, `${path}[${i}]`);
      if (r !== undefined) out.push(r);
    });
    return out;
  }

  enumOf<T extends string>(v: Json, path: string, values: readonly T[]): T | undefined {
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    if (!(values as readonly string[]).includes(s)) return this.bad(path, `"${s}" is not one of ${values.join(', ')}`);
    return s as T;
  }

  /** A Value in `units`, as a whole number of `unit`. */
  value(v: Json, path: string, units: Record<string, number>, unit: string): number | undefined {
    const o = this.object(v, path, ['value', 'units']);
    if (!o) return undefined;
    const n = this.integer(o['value'], join(path, 'value'), 0);
    const u = this.enumOf(o['units'], join(path, 'units'), Object.keys(units));
    if (o['value'] === undefined) return this.bad(join(path, 'value'), 'is missing');
    if (o['units'] === undefined) return this.bad(join(path, 'units'), `is missing (one of ${Object.keys(units).join(', ')})`);
    if (n === undefined || u === undefined) return undefined;
    const amount = (n * units[u]!) / units[unit]!;
    if (!Number.isInteger(amount)) return this.bad(path, `${n} ${u} is not a whole number of ${unit}`);
    return amount;
  }

  ref(v: Json, path: string): InventoryRef | undefined {
    const o = this.object(v, path, ['id', 'name']);
    if (!o) return undefined;
    const id = this.string(o['id'], join(path, 'id'));
    const name = this.string(o['name'], join(path, 'name'));
    if (id !== undefined && name !== undefined) return this.bad(path, 'give either id or name, not both');
    if (id) return { id };
    if (name) return { name };
    return this.bad(path, 'needs an id or a name');
  }

  pem(v: Json, path: string): PemSource | undefined {
    const o = this.object(v, path, ['pem']);
    if (!o) return undefined;
    const pem = this.string(o['pem'], join(path, 'pem'), PEM_RE, 'PEM text (-----BEGIN ...-----)');
    return pem === undefined ? undefined : { pem };
  }

  shares(v: Json, path: string): Shares | undefined {
    const o = this.object(v, path, ['number', 'level']);
    if (!o) return undefined;
    const n = this.integer(o['number'], join(path, 'number'), 0);
    // 1.5's own answers carried both (level "custom" with its number); a request gives one of them
    const level = this.enumOf(o['level'], join(path, 'level'), ['high', 'normal', 'low', 'custom'] as const);
    if (n !== undefined && (level === undefined || level === 'custom')) return { level: 'custom', shares: n };
    if (level && level !== 'custom') return { level };
    if (level === 'custom') return this.bad(join(path, 'number'), 'is missing (custom shares need a number)');
    if (o['number'] === undefined && o['level'] === undefined) return this.bad(path, 'needs a level (high, normal, low) or a number');
    return undefined;
  }
}

function kind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The specification a VCH model asks for, with the model's version (if any); every problem at once as a SpecError. */
export function vchSpecOfModel(input: Json): { spec: VchSpec; version?: string } {
  const r = new Reader();
  const root = r.object(input, '', ['version', 'name', 'debug', 'compute', 'network', 'storage', 'auth', 'endpoint', 'registry', 'runtime', 'syslog_addr', 'container']);
  if (input === undefined || input === null) r.bad('', 'the body must be a VCH object');
  const m = root ?? {};
  const version = r.string(m['version'], 'version', VERSION_RE, 'a VIC version (v1.5.8-1-9489f63)');
  const name = r.string(m['name'], 'name');
  const spec = defaultSpec(name || undefined);
  spec.debug = r.integer(m['debug'], 'debug', 0) ?? 0;

  // compute
  const compute = r.object(m['compute'], 'compute', ['cpu', 'memory', 'resource', 'affinity']);
  if (compute) {
    const alloc = (key: 'cpu' | 'memory', units: Record<string, number>, unit: string): PoolAllocationSpec => {
      const a = r.object(compute[key], `compute.${key}`, ['limit', 'reservation', 'shares']);
      if (!a) return {};
      const limit = r.value(a['limit'], `compute.${key}.limit`, units, unit);
      const reservation = r.value(a['reservation'], `compute.${key}.reservation`, units, unit);
      const shares = r.shares(a['shares'], `compute.${key}.shares`);
      return { ...(limit !== undefined ? { limit } : {}), ...(reservation !== undefined ? { reservation } : {}), ...(shares ? { shares } : {}) };
    };
    spec.compute.cpu = alloc('cpu', HERTZ, 'MHz');
    spec.compute.memory = alloc('memory', BYTES_IEC, 'MiB');
    const resource = r.ref(compute['resource'], 'compute.resource');
    if (resource) spec.compute.resource = resource;
    const affinity = r.object(compute['affinity'], 'compute.affinity', ['use_vm_group']);
    spec.compute.affinityVmGroup = r.boolean(affinity?.['use_vm_group'], 'compute.affinity.use_vm_group') ?? false;
  }

  // network
  const network = r.object(m['network'], 'network', ['bridge', 'client', 'management', 'public', 'container', 'x-vic-asymmetric_routes']);
  if (network) {
    const bridge = r.object(network['bridge'], 'network.bridge', ['ip_range', 'network_width', 'port_group']);
    if (bridge) {
      spec.network.bridge.ipRange = r.string(bridge['ip_range'], 'network.bridge.ip_range', CIDR_RE, 'a network in CIDR form (172.16.0.0/12)') ?? DEFAULTS.bridgeIpRange;
      spec.network.bridge.width = r.integer(bridge['network_width'], 'network.bridge.network_width', 1, 30) ?? DEFAULTS.bridgeWidth;
      const pg = r.ref(bridge['port_group'], 'network.bridge.port_group');
      if (pg) spec.network.bridge.portGroup = pg;
    }
    const dns: Record<string, string[]> = {};
    const role = (key: 'public' | 'client' | 'management'): ApplianceNetworkSpec | undefined => {
      const p = `network.${key}`;
      const n = r.object(network[key], p, ['port_group', 'gateway', 'nameservers', 'static']);
      if (!n) return undefined;
      const pg = r.ref(n['port_group'], `${p}.port_group`);
      const staticIp = r.string(n['static'], `${p}.static`, CIDR_RE, 'an address with its prefix length (10.0.0.5/24)');
      const gw = r.object(n['gateway'], `${p}.gateway`, ['routing_destinations', 'address']);
      const ns = r.array(n['nameservers'], `${p}.nameservers`, (x, q) => r.string(x, q, IP_RE, 'an IPv4 address'));
      if (ns?.length) dns[key] = ns;
      let gateway: ApplianceNetworkSpec['gateway'];
      if (gw) {
        const address = r.string(gw['address'], `${p}.gateway.address`, IP_RE, 'an IPv4 address');
        const dests = r.array(gw['routing_destinations'], `${p}.gateway.routing_destinations`, (x, q) => r.string(x, q, CIDR_RE, 'a network in CIDR form'));
        if (address === undefined && gw['address'] === undefined) r.bad(`${p}.gateway.address`, 'is missing');
        if (address !== undefined) gateway = { address, routingDestinations: dests ?? [] };
        if (!staticIp && n['static'] === undefined) r.bad(`${p}.gateway`, `Gateway provided without static IP for ${key} network (give ${p}.static too)`);
      }
      if (!pg) {
        if (key === 'public') return { portGroup: spec.network.public.portGroup, ...(staticIp ? { staticIp } : {}), ...(gateway ? { gateway } : {}) };
        if (n['port_group'] === undefined) r.bad(`${p}.port_group`, `is missing (the ${key} network's port group, by id or name)`);
        return undefined;
      }
      return { portGroup: pg, ...(staticIp ? { staticIp } : {}), ...(gateway ? { gateway } : {}) };
    };
    const pub = role('public');
    if (pub) spec.network.public = pub;
    const client = role('client');
    if (client) spec.network.client = client;
    const management = role('management');
    if (management) spec.network.management = management;
    // One list of DNS servers serves every appliance network (1.5 reads network.public's; its answers repeat it on each).
    spec.network.dns = dns['public'] ?? dns['client'] ?? dns['management'] ?? [];
    for (const key of ['client', 'management'] as const) {
      if (dns[key] && dns[key]!.join() !== spec.network.dns.join()) {
        r.bad(`network.${key}.nameservers`, 'the appliance has one list of DNS servers for all its networks: give it in network.public.nameservers');
      }
    }
    const containers = r.array(network['container'], 'network.container', (x, p) => {
      const c = r.object(x, p, ['alias', 'firewall', 'nameservers', 'port_group', 'gateway', 'ip_ranges']);
      if (!c) return r.bad(p, 'must be an object');
      const pg = r.ref(c['port_group'], `${p}.port_group`);
      if (c['port_group'] === undefined) r.bad(`${p}.port_group`, 'is missing (the vSphere network, by id or name)');
      const alias = r.string(c['alias'], `${p}.alias`);
      const firewall = r.enumOf(c['firewall'], `${p}.firewall`, FIREWALL_LEVELS);
      const ns = r.array(c['nameservers'], `${p}.nameservers`, (x2, q) => r.string(x2, q, IP_RE, 'an IPv4 address')) ?? [];
      const ranges = r.array(c['ip_ranges'], `${p}.ip_ranges`, (x2, q) => r.string(x2, q, IP_RANGE_RE, 'a CIDR (10.0.0.0/24) or a range (10.0.0.10-10.0.0.20)')) ?? [];
      let gateway: string | undefined;
      const gw = r.object(c['gateway'], `${p}.gateway`, ['routing_destinations', 'address']);
      if (gw) {
        const address = r.string(gw['address'], `${p}.gateway.address`, IP_RE, 'an IPv4 address');
        const dests = r.array(gw['routing_destinations'], `${p}.gateway.routing_destinations`, (x2, q) => r.string(x2, q, CIDR_RE, 'a network in CIDR form'));
        if (gw['address'] === undefined) r.bad(`${p}.gateway.address`, 'is missing');
        // 1.5: the subnet is the one routing destination
        if (!dests || dests.length !== 1) r.bad(`${p}.gateway.routing_destinations`, 'exactly one subnet must be specified (the container network\'s, e.g. ["10.1.0.0/16"])');
        else if (address) gateway = `${address}/${dests[0]!.split('/')[1]}`;
      }
      if (ranges.length && !c['gateway']) r.bad(`${p}.ip_ranges`, `IP range specified without gateway for container network "${alias ?? refName(pg)}"`);
      if (!pg) return undefined;
      const out: ContainerNetworkSpec = {
        portGroup: pg, alias: alias || refName(pg) || '', ipRanges: ranges, dns: ns,
        ...(gateway ? { gateway } : {}), ...(firewall ? { firewall } : {}),
      };
      if (!out.alias) r.bad(`${p}.alias`, 'is missing (a network given by id needs an alias)');
      return out;
    }) ?? [];
    spec.network.container = containers;
    const aliases = new Set<string>();
    containers.forEach((c, i) => {
      if (c.alias === 'bridge') r.bad(`network.container[${i}].alias`, 'Cannot use reserved name "bridge" for container network');
      if (aliases.has(c.alias)) r.bad(`network.container[${i}].alias`, `Container network alias "${c.alias}" is used twice`);
      aliases.add(c.alias);
    });
    spec.network.asymmetricRoutes = r.boolean(network['x-vic-asymmetric_routes'], 'network.x-vic-asymmetric_routes') ?? false;
  }

  // storage
  const storage = r.object(m['storage'], 'storage', ['image_stores', 'volume_stores', 'base_image_size', 'x-vic-storage_quota']);
  if (storage) {
    const images = r.array(storage['image_stores'], 'storage.image_stores', (x, p) => r.string(x, p));
    if (images && images.length > 1) r.bad('storage.image_stores', 'a VCH has one image store: give one');
    if (images?.[0]) spec.storage.imageStore = images[0];
    spec.storage.volumeStores = r.array(storage['volume_stores'], 'storage.volume_stores', (x, p) => {
      const v = r.object(x, p, ['datastore', 'label']);
      if (!v) return r.bad(p, 'must be an object');
      const location = r.string(v['datastore'], `${p}.datastore`);
      const label = r.string(v['label'], `${p}.label`);
      if (!location) r.bad(`${p}.datastore`, 'is missing (ds://datastore/path or nfs://host/path)');
      if (!label) r.bad(`${p}.label`, 'is missing');
      return location && label ? { location, label } : undefined;
    }) ?? [];
    const bytes = r.value(storage['base_image_size'], 'storage.base_image_size', BYTES_METRIC, 'B');
    if (bytes !== undefined) spec.storage.baseImageSize = metricText(bytes);
    const quota = r.value(storage['x-vic-storage_quota'], 'storage.x-vic-storage_quota', BYTES_IEC, 'GiB');
    if (quota) spec.storage.quotaGB = quota;
  }

  // auth
  const auth = r.object(m['auth'], 'auth', ['no_tls', 'client', 'server']);
  if (auth) {
    const client = r.object(auth['client'], 'auth.client', ['no_tls_verify', 'certificate_authorities']);
    const server = r.object(auth['server'], 'auth.server', ['certificate', 'private_key', 'generate']);
    const noTls = r.boolean(auth['no_tls'], 'auth.no_tls');
    const noVerify = r.boolean(client?.['no_tls_verify'], 'auth.client.no_tls_verify');
    spec.tls.mode = noTls ? 'none' : noVerify ? 'no-verify' : 'verify';
    spec.tls.clientCas = r.array(client?.['certificate_authorities'], 'auth.client.certificate_authorities', (x, p) => r.pem(x, p)) ?? [];
    if (server) {
      const cert = r.pem(server['certificate'], 'auth.server.certificate');
      const key = r.pem(server['private_key'], 'auth.server.private_key');
      if (cert) spec.tls.serverCertificate = cert;
      if (key) spec.tls.serverKey = key;
      // a certificate alone is what a GET answers (the key is never written out): the VCH's certificate as it is
      if (server['private_key'] && !server['certificate']) r.bad('auth.server.certificate', 'is missing: a private_key goes with its certificate');
      const gen = r.object(server['generate'], 'auth.server.generate', ['size', 'organization', 'cname']);
      if (gen) {
        const size = r.value(gen['size'], 'auth.server.generate.size', { bit: 1 }, 'bit');
        if (size !== undefined) spec.tls.keySize = size;
        spec.tls.organization = r.array(gen['organization'], 'auth.server.generate.organization', (x, p) => r.string(x, p)) ?? [];
        const cname = r.string(gen['cname'], 'auth.server.generate.cname');
        if (cname) spec.tls.cname = cname;
      }
    }
    if (noTls && (client?.['no_tls_verify'] !== undefined || spec.tls.clientCas.length || server)) {
      r.bad('auth', 'no_tls goes alone: a VCH without TLS has no certificates');
    }
  }

  // endpoint
  const endpoint = r.object(m['endpoint'], 'endpoint', ['memory', 'cpu', 'operations_credentials']);
  if (endpoint) {
    spec.endpoint.memoryMB = r.value(endpoint['memory'], 'endpoint.memory', BYTES_IEC, 'MiB') ?? DEFAULTS.endpointMemoryMB;
    const cpu = r.object(endpoint['cpu'], 'endpoint.cpu', ['sockets']);
    spec.endpoint.cpus = r.integer(cpu?.['sockets'], 'endpoint.cpu.sockets', 1) ?? DEFAULTS.endpointCpus;
    const ops = r.object(endpoint['operations_credentials'], 'endpoint.operations_credentials', ['password', 'user', 'grant_permissions']);
    if (ops) {
      const user = r.string(ops['user'], 'endpoint.operations_credentials.user');
      const password = r.string(ops['password'], 'endpoint.operations_credentials.password');
      const grant = r.boolean(ops['grant_permissions'], 'endpoint.operations_credentials.grant_permissions') ?? false;
      if (user) spec.endpoint.operationsCredentials = { user, ...(password !== undefined ? { password } : {}), grantPermissions: grant };
      else if (password !== undefined) r.bad('endpoint.operations_credentials.user', 'is missing: Password for operations user specified without operations username');
      else if (grant) r.bad('endpoint.operations_credentials.user', 'is missing: Cannot setup Roles and Permissions for administrative user');
    }
  }

  // registry
  const registry = r.object(m['registry'], 'registry', ['insecure', 'whitelist', 'certificate_authorities', 'image_fetch_proxy']);
  if (registry) {
    spec.registry.insecure = r.array(registry['insecure'], 'registry.insecure', (x, p) => r.string(x, p)) ?? [];
    spec.registry.whitelist = r.array(registry['whitelist'], 'registry.whitelist', (x, p) => r.string(x, p)) ?? [];
    spec.registry.certificateAuthorities = r.array(registry['certificate_authorities'], 'registry.certificate_authorities', (x, p) => r.pem(x, p)) ?? [];
    const proxy = r.object(registry['image_fetch_proxy'], 'registry.image_fetch_proxy', ['http', 'https', 'no_proxy']);
    if (proxy) {
      const url = /^https?:\/\/[^/\s]+/;
      const http = r.string(proxy['http'], 'registry.image_fetch_proxy.http', url, 'an http(s)://host:port URL');
      const https = r.string(proxy['https'], 'registry.image_fetch_proxy.https', url, 'an http(s)://host:port URL');
      const noProxy = r.array(proxy['no_proxy'], 'registry.image_fetch_proxy.no_proxy', (x, p) => r.string(x, p)) ?? [];
      spec.proxy = { ...(http ? { http } : {}), ...(https ? { https } : {}), ...(noProxy.length ? { noProxy: noProxy.join(',') } : {}) };
    }
  }

  r.object(m['runtime'], 'runtime', ['power_state', 'upgrade_status', 'admin_portal', 'docker_host']);
  const syslog = r.string(m['syslog_addr'], 'syslog_addr', SYSLOG_RE, 'a syslog address (tcp://host:port or udp://host:port)');
  if (syslog) spec.syslogAddress = syslog;
  const container = r.object(m['container'], 'container', ['name_convention', 'x-vic-max_containers']);
  if (container) {
    const conv = r.string(container['name_convention'], 'container.name_convention', NAME_CONVENTION_RE, 'a convention with {id} or {name} (e.g. "vch1-{name}")');
    if (conv) spec.container.nameConvention = conv;
    const max = r.integer(container['x-vic-max_containers'], 'container.x-vic-max_containers', 0);
    if (max) spec.container.maxContainers = max;
  }
  if (r.problems.length) throw new SpecError(r.problems);
  return { spec, ...(version ? { version } : {}) };
}

function refName(r: InventoryRef | undefined): string | undefined {
  return r && 'name' in r ? r.name : undefined;
}

/** Bytes as --base-image-size writes them: the largest decimal unit that keeps a whole number (`8GB`, `1500MB`). */
function metricText(bytes: number): string {
  return formatByteSize(bytes);
}
