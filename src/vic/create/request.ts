// From the VCH specification to create's request: the one place where a specification becomes what create validates
// (against vSphere), provisions and encodes. Every front end goes through it: the CLI (flags, --config YAML) and the
// REST API (the VCH model); what they add is how this one run goes (CreateRun), never a setting of the VCH.
import { gatewayFlagValue } from '../spec/flags.js';
import { SpecError, type ApplianceNetworkSpec, type InventoryRef, type PemSource, type PoolAllocationSpec, type SpecProblem, type VchSpec } from '../spec/vch-spec.js';
import { MODEL_PATH_OF_FLAG } from '../spec/vch-model.js';
import type { IdReference } from '../validate/types.js';
import type { CreateVchRequest } from './create-vch.js';
import type { Allocation } from './provision.js';

/** How one create runs: where it connects, where local files are, what it records. Not part of the VCH. */
export interface CreateRun {
  target: CreateVchRequest['target'];
  /** working directory: relative files, the certificate folder, the env file */
  cwd: string;
  /** --appliance-iso / --bootstrap-iso and the installer's own folder */
  isos: CreateVchRequest['isos'];
  /** --tls-cert-path: where certificates are written (default ./<name>) */
  certPath?: string;
  /** --force */
  force: boolean;
  /** --timeout for the appliance */
  timeoutMs: number;
  userAgent: string;
  /** what `vic_machine_create_options` records (the CLI: the flags as given) */
  createOptions: string[];
}

/** A file's path; PEM text (the REST API) cannot stand where create reads files, which is refused naming the field. */
function files(sources: readonly PemSource[], flag: string, problems: SpecProblem[]): string[] {
  return sources.flatMap((s) => {
    if ('file' in s) return [s.file];
    problems.push({ code: 'certificate-invalid', flag, path: MODEL_PATH_OF_FLAG[flag], message: `${flag}: certificates given as PEM text are not taken by create yet; give a file` });
    return [];
  });
}

type IdField = IdReference['field'];

function allocation(a: PoolAllocationSpec): Allocation {
  return {
    limit: a.limit, reservation: a.reservation,
    shares: a.shares ? (a.shares.level === 'custom' ? a.shares.shares : a.shares.level) : undefined,
  };
}

/** A static address and gateway as create's validation takes them (a gateway alone too, so that it is refused). */
function staticOf(n: ApplianceNetworkSpec | undefined): { ip: string; gateway?: string } | undefined {
  if (!n || (!n.staticIp && !n.gateway)) return undefined;
  return { ip: n.staticIp ?? '', ...(n.gateway ? { gateway: gatewayFlagValue(n.gateway) } : {}) };
}

/**
 * Create's request for a specification. Throws a SpecError (before anything connects) for what create cannot take
 * from this specification.
 */
export function createRequestOf(spec: VchSpec, run: CreateRun): CreateVchRequest {
  const problems: SpecProblem[] = [];
  // an object given by moref id stands as its id until validation, which reads the inventory, puts its path there
  const byId: IdReference[] = [];
  const name = (r: InventoryRef | undefined, field: IdField, alias?: string): string | undefined => {
    if (!r) return undefined;
    if ('name' in r) return r.name;
    byId.push({ field, id: r.id, ...(alias !== undefined ? { alias } : {}) });
    return r.id;
  };
  const net = spec.network;
  const ops = spec.endpoint.operationsCredentials;
  const pub = staticOf(net.public);
  const client = staticOf(net.client);
  const mgmt = staticOf(net.management);
  const publicNetwork = name(net.public.portGroup, 'publicNetwork') ?? '';
  const clientNetwork = name(net.client?.portGroup, 'clientNetwork');
  const managementNetwork = name(net.management?.portGroup, 'managementNetwork');
  const tls = spec.tls;
  const req: CreateVchRequest = {
    target: run.target,
    validate: {
      name: spec.name, computeResource: name(spec.compute.resource, 'computeResource') ?? '',
      imageStore: spec.storage.imageStore ?? '',
      // as text: create parses every value once, by its one parser (src/vic/spec/values/), before it connects
      volumeStores: spec.storage.volumeStores.map((v) => `${v.location}:${v.label}`),
      bridgeNetwork: name(net.bridge.portGroup, 'bridgeNetwork') || spec.name,
      publicNetwork,
      ...(clientNetwork ? { clientNetwork } : {}),
      ...(managementNetwork ? { managementNetwork } : {}),
      containerNetworks: net.container.map((c) => ({
        vsphereName: name(c.portGroup, 'containerNetwork', c.alias) ?? '', alias: c.alias,
        ...(c.gateway ? { gateway: c.gateway } : {}), ...(c.ipRanges.length ? { ipRange: c.ipRanges } : {}),
        ...(c.dns.length ? { dns: c.dns } : {}), ...(c.firewall ? { firewall: c.firewall } : {}),
      })),
      staticIp: { ...(pub ? { public: pub } : {}), ...(client ? { client } : {}), ...(mgmt ? { management: mgmt } : {}) },
      ...(spec.storage.quotaGB ? { storageQuotaGB: spec.storage.quotaGB } : {}),
      affinityVmGroup: spec.compute.affinityVmGroup,
      ...(byId.length ? { byId } : {}),
    },
    config: {
      debug: spec.debug,
      baseImageSize: spec.storage.baseImageSize,
      ...(spec.storage.quotaGB ? { storageQuotaGB: spec.storage.quotaGB } : {}),
      ...(spec.container.maxContainers ? { containerCount: spec.container.maxContainers } : {}),
      bridgeNetworkRange: net.bridge.ipRange, bridgeNetworkWidth: net.bridge.width,
      dnsServers: net.dns, asymmetricRoutes: net.asymmetricRoutes,
      insecureRegistries: spec.registry.insecure, whitelistRegistries: spec.registry.whitelist,
      ...(spec.proxy.http ? { httpProxy: spec.proxy.http } : {}), ...(spec.proxy.https ? { httpsProxy: spec.proxy.https } : {}),
      ...(spec.proxy.noProxy ? { noProxy: spec.proxy.noProxy } : {}), ...(spec.syslogAddress ? { syslogAddress: spec.syslogAddress } : {}),
      ...(spec.container.nameConvention ? { containerNameConvention: spec.container.nameConvention } : {}),
      affinityVmGroup: spec.compute.affinityVmGroup, opsUser: ops?.user, opsPassword: ops?.password,
      ...(ops?.grantPermissions ? { opsGrantPerms: true } : {}),
      createOptions: run.createOptions,
    },
    registryCaFiles: files(spec.registry.certificateAuthorities, '--registry-ca', problems),
    certificates: {
      name: spec.name, cwd: run.cwd, noTls: tls.mode === 'none', noTlsVerify: tls.mode === 'no-verify', keySize: tls.keySize, force: run.force,
      ...(run.certPath ? { certPath: run.certPath } : {}), ...(tls.cname ? { cname: tls.cname } : {}),
      ...(tls.clientCas.length ? { tlsCa: files(tls.clientCas, '--tls-ca', problems) } : {}),
      ...(tls.serverCertificate ? { serverCert: files([tls.serverCertificate], '--tls-server-cert', problems)[0] ?? '' } : {}),
      ...(tls.serverKey ? { serverKey: files([tls.serverKey], '--tls-server-key', problems)[0] ?? '' } : {}),
      ...(tls.organization.length ? { organization: tls.organization } : {}),
      // the first static address (client, public, management) is the certificate's cname candidate
      ...([client, pub, mgmt].some((a) => a?.ip) ? { staticIp: { address: [client, pub, mgmt].find((a) => a?.ip)!.ip } } : {}),
    },
    isos: run.isos,
    cpu: allocation(spec.compute.cpu),
    memory: allocation(spec.compute.memory),
    endpointCpu: spec.endpoint.cpus, endpointMemoryMB: spec.endpoint.memoryMB,
    timeoutMs: run.timeoutMs, cwd: run.cwd, userAgent: run.userAgent,
  };
  if (problems.length) throw new SpecError(problems);
  return req;
}
