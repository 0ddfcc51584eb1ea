// What configure changes, in the specification's terms. Both front ends say what they want as a VchSpecChange:
//   - the CLI from the flags given (src/vic/configure/request.ts parseConfigureFlags: a flag left out changes nothing,
//     an empty value given clears where that makes sense);
//   - the REST API from the requested specification against the VCH's current one (specChange: PUT sends the whole
//     VCH, PATCH a merge patch of it), where a setting configure cannot change is a problem naming its field.
// configureInputOf turns a change into configure's input (src/vic/configure/configure-vch.ts prepareConfigure), which
// applies the rules (additions only for networks and volume stores, ...) to the VCH's stored configuration.
import { isDeepStrictEqual } from 'node:util';
import { formatDatastoreLocation, parseDatastoreLocation } from '../spec/values/datastore-location.js';
import { MODEL_PATH_OF_FLAG } from '../spec/vch-model.js';
import {
  refName, type ContainerNetworkSpec, type InventoryRef, type OpsCredentialsSpec, type PoolAllocationSpec, type SpecProblem,
  type VchSpec, type VolumeStoreSpec,
} from '../spec/vch-spec.js';
import type { ConfigureRequest } from './changes.js';
import type { PoolRequest } from './pool-settings.js';
import { pemBlocks, tlsChange, type CertificateFieldsGiven, type TlsChange } from './tls-change.js';

/** One container network as configure takes it, before its port group is looked up. */
export interface ConfigureContainerNetwork {
  portGroup: string;
  alias: string;
  gateway?: string;
  ipRanges?: string[];
  dns?: string[];
  firewall?: string;
}

/** Configure's input (src/vic/configure/configure-vch.ts PrepareInput, less the secret key the caller reads). */
export interface ConfigureInput {
  /** everything but container networks' morefs, CAs and certificates (the caller adds those) */
  request: Omit<ConfigureRequest, 'containerNetworks'>;
  containerNetworks?: ConfigureContainerNetwork[];
  pool: PoolRequest;
}

/** The settings configure changes; each absent one is left as it is. */
export interface VchSpecChange {
  /** every container network the VCH is to have (the existing ones unchanged, plus new ones) */
  containerNetworks?: ContainerNetworkSpec[];
  /** every volume store the VCH is to have (the existing ones unchanged, plus new ones) */
  volumeStores?: VolumeStoreSpec[];
  /** the appliance's DNS servers; [] = DHCP's */
  dns?: string[];
  /** "" removes it */
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** "" removes syslog forwarding */
  syslogAddress?: string;
  /** "" removes the convention */
  nameConvention?: string;
  debug?: number;
  /** GB; 0 = unlimited */
  quotaGB?: number;
  /** 0 = unlimited */
  maxContainers?: number;
  /** the pool's CPU (MHz) and memory (MB) settings given; a limit of 0 = unlimited */
  cpu?: PoolAllocationSpec;
  memory?: PoolAllocationSpec;
  /** true: the DRS VM group is made; false: it is removed */
  affinityVmGroup?: boolean;
  /** a new ops user (or password); its password is needed */
  operationsCredentials?: OpsCredentialsSpec;
  /** new certificates (tls-change.ts); the caller makes them (configure-certificates: files, generation) */
  tls?: TlsChange;
  /**
   * PEM certificates that replace the registry CAs (`--registry-ca`; [] removes them); set only when they differ from
   * the VCH's (which the model carries, as 1.5's GET did). A request that names none leaves them as they are.
   */
  registryCas?: string[];
}

/** What specChange needs beyond the two specifications: which certificate lists the body named. */
export interface SpecChangeContext {
  given?: CertificateFieldsGiven;
  /** the VCH's server certificate (PEM) */
  serverCertificatePem?: string;
}

/** Configure's input for a change (less the VCH's secret key, which the caller reads from vSphere). */
export function configureInputOf(change: VchSpecChange): { input: ConfigureInput; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const request: ConfigureInput['request'] = {};
  if (change.volumeStores) request.volumeStores = change.volumeStores.map((v) => `${v.location}:${v.label}`);
  if (change.dns) request.dnsServers = change.dns;
  if (change.httpProxy !== undefined) request.httpProxy = change.httpProxy;
  if (change.httpsProxy !== undefined) request.httpsProxy = change.httpsProxy;
  if (change.noProxy !== undefined) request.noProxy = change.noProxy;
  if (change.syslogAddress !== undefined) request.syslogAddress = change.syslogAddress;
  if (change.nameConvention !== undefined) request.containerNameConvention = change.nameConvention;
  if (change.debug !== undefined) request.debug = change.debug;
  if (change.quotaGB !== undefined) request.storageQuotaGB = change.quotaGB;
  if (change.maxContainers !== undefined) request.containerCount = change.maxContainers;
  if (change.affinityVmGroup !== undefined) request.affinityVmGroup = change.affinityVmGroup;
  if (change.registryCas) request.registryCaPem = new TextEncoder().encode(change.registryCas.map((p) => `${p.trim()}\n`).join(''));
  const ops = change.operationsCredentials;
  if (ops) {
    if (ops.password === undefined) {
      problems.push({ code: 'ops-user-invalid', flag: '--ops-password', path: MODEL_PATH_OF_FLAG['--ops-password'], message: `no password for ops user ${ops.user}: a new ops user needs its password` });
    } else {
      request.ops = { user: ops.user, password: ops.password, grantPerms: ops.grantPermissions };
    }
  }
  const c = change.cpu;
  const m = change.memory;
  const pool: PoolRequest = {
    ...(c?.limit !== undefined ? { cpuLimitMHz: c.limit } : {}), ...(c?.reservation !== undefined ? { cpuReservationMHz: c.reservation } : {}),
    ...(c?.shares ? { cpuShares: c.shares } : {}),
    ...(m?.limit !== undefined ? { memoryLimitMB: m.limit } : {}), ...(m?.reservation !== undefined ? { memoryReservationMB: m.reservation } : {}),
    ...(m?.shares ? { memoryShares: m.shares } : {}),
  };
  const input: ConfigureInput = { request, pool };
  if (change.containerNetworks) {
    input.containerNetworks = change.containerNetworks.flatMap((n, i) => {
      const portGroup = refName(n.portGroup);
      if (portGroup === undefined) {
        problems.push({ code: 'container-network-invalid', flag: '--container-network', path: `network.container[${i}].port_group`, message: 'a port group given by id is not taken by configure yet; give its name or path' });
        return [];
      }
      return [{
        portGroup, alias: n.alias, ...(n.gateway ? { gateway: n.gateway } : {}), ...(n.ipRanges.length ? { ipRanges: n.ipRanges } : {}),
        ...(n.dns.length ? { dns: n.dns } : {}), ...(n.firewall ? { firewall: n.firewall } : {}),
      }];
    });
  }
  return { input, problems };
}

/** Deep equality, key order aside (two front ends build objects in different orders). */
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

function refText(r: InventoryRef | undefined): string {
  return r ? ('name' in r ? r.name : `id ${r.id}`) : '(default)';
}

/** A datastore location in its canonical text, so that `LocalDS_0/x` and `ds://LocalDS_0/x` compare equal. */
function location(text: string | undefined): string {
  if (!text) return '';
  try {
    return formatDatastoreLocation(parseDatastoreLocation(text));
  } catch {
    return text;
  }
}

/** A pool allocation with vSphere's defaults spelled out, for comparing. */
function allocation(a: PoolAllocationSpec): Required<Pick<PoolAllocationSpec, 'limit' | 'reservation'>> & { shares: string } {
  return {
    limit: a.limit ?? 0, reservation: a.reservation ?? 0,
    shares: !a.shares ? 'normal' : a.shares.level === 'custom' ? String(a.shares.shares) : a.shares.level,
  };
}

/**
 * The change that turns `current` into `requested` (a PUT's whole VCH), and a problem for each setting that differs
 * but that configure cannot change (named by the model's field). Passwords are never in `current`: an ops user is
 * changed when the requested one differs or comes with a password.
 */
export function specChange(current: VchSpec, requested: VchSpec, context: SpecChangeContext = {}): { change: VchSpecChange; unchangeable: SpecProblem[]; problems: SpecProblem[] } {
  const change: VchSpecChange = {};
  const unchangeable: SpecProblem[] = [];
  const given = context.given ?? { clientCas: false, registryCas: false };
  const fixed = (path: string, a: unknown, b: unknown, show: (v: unknown) => string = (v) => JSON.stringify(v)): void => {
    if (!same(a, b)) unchangeable.push({ path, message: `configure cannot change ${path} (${show(a)} → ${show(b)}); make a new VCH for that` });
  };
  fixed('name', current.name, requested.name);
  fixed('compute.resource', refText(current.compute.resource), refText(requested.compute.resource));
  fixed('endpoint.cpu.sockets', current.endpoint.cpus, requested.endpoint.cpus);
  fixed('endpoint.memory', current.endpoint.memoryMB, requested.endpoint.memoryMB);
  fixed('storage.image_stores', location(current.storage.imageStore), location(requested.storage.imageStore));
  fixed('storage.base_image_size', current.storage.baseImageSize, requested.storage.baseImageSize);
  fixed('network.bridge', current.network.bridge, requested.network.bridge);
  for (const role of ['public', 'client', 'management'] as const) fixed(`network.${role}`, current.network[role] ?? null, requested.network[role] ?? null);
  fixed('network.x-vic-asymmetric_routes', current.network.asymmetricRoutes, requested.network.asymmetricRoutes);
  const tls = tlsChange(current.tls, requested.tls, given, context.serverCertificatePem);
  unchangeable.push(...tls.unchangeable);
  const problems = tls.problems;
  if (tls.change) change.tls = tls.change;
  fixed('registry.insecure', current.registry.insecure, requested.registry.insecure);
  fixed('registry.whitelist', current.registry.whitelist, requested.registry.whitelist);

  if (!same(current.network.container, requested.network.container)) change.containerNetworks = requested.network.container;
  const stores = (s: VolumeStoreSpec[]) => s.map((v) => ({ label: v.label, location: /^nfs:/i.test(v.location) ? v.location : location(v.location) }));
  if (!same(stores(current.storage.volumeStores), stores(requested.storage.volumeStores))) change.volumeStores = requested.storage.volumeStores;
  if (!same(current.network.dns, requested.network.dns)) change.dns = requested.network.dns;
  if ((current.proxy.http ?? '') !== (requested.proxy.http ?? '')) change.httpProxy = requested.proxy.http ?? '';
  if ((current.proxy.https ?? '') !== (requested.proxy.https ?? '')) change.httpsProxy = requested.proxy.https ?? '';
  if ((current.proxy.noProxy ?? '') !== (requested.proxy.noProxy ?? '')) change.noProxy = requested.proxy.noProxy ?? '';
  if ((current.syslogAddress ?? '') !== (requested.syslogAddress ?? '')) change.syslogAddress = requested.syslogAddress ?? '';
  if ((current.container.nameConvention ?? '') !== (requested.container.nameConvention ?? '')) change.nameConvention = requested.container.nameConvention ?? '';
  if (current.debug !== requested.debug) change.debug = requested.debug;
  if ((current.storage.quotaGB ?? 0) !== (requested.storage.quotaGB ?? 0)) change.quotaGB = requested.storage.quotaGB ?? 0;
  if ((current.container.maxContainers ?? 0) !== (requested.container.maxContainers ?? 0)) change.maxContainers = requested.container.maxContainers ?? 0;
  for (const key of ['cpu', 'memory'] as const) {
    const a = allocation(current.compute[key]);
    const b = allocation(requested.compute[key]);
    if (same(a, b)) continue;
    change[key] = {
      ...(a.limit !== b.limit ? { limit: b.limit } : {}), ...(a.reservation !== b.reservation ? { reservation: b.reservation } : {}),
      ...(a.shares !== b.shares ? { shares: requested.compute[key].shares ?? { level: 'normal' } } : {}),
    };
  }
  if (current.compute.affinityVmGroup !== requested.compute.affinityVmGroup) change.affinityVmGroup = requested.compute.affinityVmGroup;
  const registryCas = requested.registry.certificateAuthorities.flatMap((c) => ('pem' in c ? [c.pem] : []));
  // GET answers them, so a PUT of GET's model (or a patch not naming them) requests the VCH's own: compared as
  // certificates, no change. A body that leaves them out keeps them (as the other certificates); [] or null removes them.
  if ((registryCas.length || given.registryCas) && !same(pemBlocks(current.registry.certificateAuthorities), pemBlocks(requested.registry.certificateAuthorities))) {
    change.registryCas = registryCas;
  }
  const was = current.endpoint.operationsCredentials;
  const ops = requested.endpoint.operationsCredentials;
  if (ops && (ops.user !== was?.user || ops.password !== undefined || ops.grantPermissions !== (was?.grantPermissions ?? false))) {
    change.operationsCredentials = ops;
  } else if (!ops && was) {
    unchangeable.push({ path: 'endpoint.operations_credentials', message: `configure cannot go back to the admin user as the ops user (ops user ${was.user}); give an ops user` });
  }
  return { change, unchangeable, problems };
}
