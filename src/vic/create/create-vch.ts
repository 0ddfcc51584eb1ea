// `create` from start to finish: everything that can be checked locally first (ISOs, certificate inputs, flag
// formats), then validation against vSphere with every problem reported together, and only then anything created:
// certificates on disk, the VCH in vSphere (rolled back on failure), and the wait for the appliance.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from '../../vim/session.js';
import type { TransferProgress } from '../../vim/datastore-files.js';
import type { TraceEvent } from '../../vim/soap-client.js';
import { buildVchConfig, encodeVchConfig, SecretKey, type VchCreateInput } from '../config/index.js';
import { parseDatastoreLocation, type DatastoreLocation } from '../spec/values/datastore-location.js';
import { parseVolumeStore, type VolumeStore } from '../spec/values/volume-store.js';
import { parseIpv4Cidr, type Ipv4Cidr } from '../spec/values/ipv4.js';
import { parseGateway } from '../spec/values/gateway.js';
import { parseDnsServers, type IpAddress } from '../spec/values/ip-address.js';
import { parseByteSize } from '../spec/values/size.js';
import { InvalidValueError } from '../spec/values/value-error.js';
import {
  dockerCommand, dockerEnvironment, formatDockerEnvLine, planCertificates, processCertificates, readCertificateInputs,
  writeDockerEnvFile, type CertificateOptions, type CertificatePlan, type CertificateResult,
} from '../certificates/index.js';
import { isoDatastoreName, locateIso, readIsoVersion, type IsoVersion } from '../iso/index.js';
import { formatIssues, validateCreate, type CreatePlan, type ValidateCreateInput, type ValidationCode, type ValidationIssue } from '../validate/index.js';
import { checkRegistryCa, preflightCreate, type PreflightCreateValues } from '../validate/preflight.js';
import type { Gateway } from '../spec/values/gateway.js';
import { describeDryRun, type CreateDryRun } from './dry-run.js';
import { checkOpsUser, type OpsUserCheckResult } from '../appliance/ops-permissions.js';
import type { NicPlan } from './appliance-spec.js';
import { provisionVch, type Allocation, type ConfigContext } from './provision.js';
import { uploadRunLog } from './upload-log.js';
import { waitForAppliance, type ApplianceState } from '../appliance/wait-ready.js';
import type { CertificatePin } from '../../vim/thumbprint.js';

/**
 * What create is asked for, with the values as text as the front end read them (flags, YAML): create parses each
 * once, before connecting (`parseCreateValues`), and everything after works on the parsed values.
 */
export interface CreateVchRequest {
  target: {
    url: URL; user: string; password: string; thumbprint?: CertificatePin | undefined; datacenterPath?: string | undefined;
    requestTimeoutMs?: number | undefined;
    /** log in with this vSphere clone ticket instead of user and password (vic-machine-server's X-VMWARE-TICKET) */
    cloneTicket?: string | undefined;
  };
  /** the validation input (name, compute resource, stores, networks, container networks, quota, ...) */
  validate: Omit<ValidateCreateInput, 'datacenter' | 'target' | 'thumbprint' | 'imageStore' | 'volumeStores'> & {
    /** --image-store as given ("" or absent: the only datastore) */
    imageStore?: string | undefined;
    /** --volume-store values as given */
    volumeStores?: readonly string[] | undefined;
  };
  /** the configuration input, less what validation and provisioning resolve */
  config: Omit<VchCreateInput, 'name' | 'version' | 'target' | 'thumbprint' | 'datacenterName' | 'clusterPath' | 'resourcePoolPath'
    | 'vchPool' | 'applianceVm' | 'vmFolderName' | 'bootstrapIsoName' | 'publicNetwork' | 'clientNetwork' | 'managementNetwork'
    | 'bridgeNetwork' | 'containerNetworks' | 'serverCertificatePem' | 'serverKeyPem' | 'clientCaPem' | 'opsUser' | 'opsPassword'
    | 'imageStore' | 'volumeStores' | 'baseImageSizeBytes' | 'bridgeNetworkRange' | 'dnsServers'>
    & {
      opsUser?: string | undefined; opsPassword?: string | undefined;
      /** --base-image-size as given (default 8GB) */
      baseImageSize?: string | undefined;
      /** --bridge-network-range as given (default 172.16.0.0/12) */
      bridgeNetworkRange?: string | undefined;
      /** --dns-server values as given */
      dnsServers?: readonly string[] | undefined;
    };
  certificates: CertificateOptions;
  /** --registry-ca files: the CAs of registries the VCH trusts (read before connecting) */
  registryCaFiles?: readonly string[];
  isos: { appliance?: string | undefined; bootstrap?: string | undefined; installerDir?: string | undefined };
  cpu: Allocation;
  memory: Allocation;
  endpointCpu: number;
  endpointMemoryMB: number;
  timeoutMs: number;
  cwd: string;
  userAgent: string;
}

export interface CreateVchHooks {
  log: (level: 'info' | 'warn' | 'debug', message: string) => void;
  onUploadProgress?: (file: string, p: TransferProgress) => void;
  /** the session, as soon as it exists, so that the caller can log it out whatever happens */
  onSession?: (s: Session) => void;
  /** the run's log so far (redacted by the caller), uploaded to the VCH's datastore folder at the end */
  runLog?: () => string;
  /** the VCH is made and its appliance powered on; the wait for the appliance follows (vic-machine-server answers here, as 1.5's did) */
  onPoweredOn?: (vm: { id: string; name: string }) => void;
  /** every SOAP round trip and datastore transfer as it ends (method, time, outcome), for tracing */
  onTrace?: (e: TraceEvent) => void;
  signal?: AbortSignal;
}

export interface CreateVchResult {
  id: string;
  name: string;
  clientIp: string;
  state: ApplianceState;
  dockerHost: string;
  dockerEnv: Array<[string, string]>;
  dockerCommand: string;
  envFile: string | undefined;
  certPath: string | undefined;
  adminPortal: string;
  publishedPortsAddress: string | undefined;
  managementAddress: string | undefined;
  roundTrips: Record<string, number>;
}

/** Problems found before anything was created: a usage/validation error (exit 2). */
export class CreateValidationError extends Error {
  override readonly name = 'CreateValidationError';
  readonly cliErrorType = 'validation';
  constructor(readonly issues: ValidationIssue[]) {
    // Each issue with the values that exist ("Suggested values for <flag>:") and the command that fixes it, if any.
    super(issues.length === 1 ? formatIssues(issues).join("\n") : `${issues.length} problems with the configuration:\n${formatIssues(issues).join("\n")}`);
  }
}

/** The appliance did not come up in time; the VCH is kept. */
export class CreateTimeoutError extends Error {
  override readonly name = 'CreateTimeoutError';
  readonly cliErrorType = 'timeout';
  constructor(message: string, readonly vm: string, readonly state: ApplianceState) {
    super(message);
  }
}

/** The request's values that preflightCreate checks, as the command line gave them. */
function preflightValues(req: CreateVchRequest): PreflightCreateValues {
  const s = req.validate.staticIp ?? {};
  const net = (network: string | undefined, st: { ip: string; gateway?: string | undefined } | undefined) => ({ network, ip: st?.ip, gateway: st?.gateway });
  return {
    networks: {
      public: net(req.validate.publicNetwork, s.public), client: net(req.validate.clientNetwork, s.client),
      management: net(req.validate.managementNetwork, s.management),
    },
    bridgeNetworkRange: req.config.bridgeNetworkRange, bridgeNetworkWidth: req.config.bridgeNetworkWidth,
    insecureRegistries: req.config.insecureRegistries, whitelistRegistries: req.config.whitelistRegistries,
    dnsServers: req.config.dnsServers, httpProxy: req.config.httpProxy, httpsProxy: req.config.httpsProxy,
    syslogAddress: req.config.syslogAddress, baseImageSize: req.config.baseImageSize,
    imageStore: req.validate.imageStore, volumeStores: req.validate.volumeStores, endpointMemoryMB: req.endpointMemoryMB,
  };
}

async function localChecks(req: CreateVchRequest): Promise<{
  isos: Record<'appliance' | 'bootstrap', { path: string; version: IsoVersion }>; certificates: CertificatePlan; registryCaPem?: Uint8Array;
  values: CreateValues;
}> {
  const issues: ValidationIssue[] = [];
  const isos: Partial<Record<'appliance' | 'bootstrap', { path: string; version: IsoVersion }>> = {};
  for (const kind of ['appliance', 'bootstrap'] as const) {
    try {
      const located = await locateIso({
        kind, cwd: req.cwd, ...(req.isos[kind] ? { given: req.isos[kind] } : {}),
        ...(req.isos.installerDir ? { installerDir: req.isos.installerDir } : {}),
      });
      isos[kind] = { path: located.path, version: await readIsoVersion(located.path, kind) };
    } catch (e) {
      issues.push({ code: 'iso-invalid', flag: (e as { flag?: string }).flag ?? `--${kind}-iso`, message: (e as Error).message });
    }
  }
  if (isos.appliance && isos.bootstrap && isos.appliance.version.raw.toLowerCase() !== isos.bootstrap.version.raw.toLowerCase()) {
    issues.push({ code: 'iso-version-mismatch', flag: '--bootstrap-iso', message: `the bootstrap ISO is version ${isos.bootstrap.version.raw} but the appliance ISO is ${isos.appliance.version.raw}; use the ISOs of one release` });
  }
  // The rules on values (preflight.ts), then every value parsed once, by its one parser: a malformed value is
  // refused here, before connecting, naming its flag (once: preflight's report of a flag stands for both).
  const preflight = preflightCreate(preflightValues(req));
  issues.push(...preflight);
  const parseIssues: ValidationIssue[] = [];
  const values = parseCreateValues(req, parseIssues);
  issues.push(...parseIssues.filter((i) => !preflight.some((p) => p.flag === i.flag)));
  const registryCas: Buffer[] = [];
  for (const f of req.registryCaFiles ?? []) {
    try {
      const pem = await fs.promises.readFile(path.resolve(req.cwd, f));
      const wrong = checkRegistryCa(f, pem.toString('latin1'));
      if (wrong.length) issues.push(...wrong);
      else registryCas.push(pem);
    } catch (e) {
      issues.push({ code: 'certificate-invalid', flag: '--registry-ca', message: `Failed to load registry CA from file ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` });
    }
  }
  const certInputs = await readCertificateInputs(req.certificates);
  const plan = planCertificates(req.certificates, certInputs);
  for (const p of plan.problems) issues.push({ code: 'certificate-invalid', flag: p.flag ?? '--tls-cert-path', message: [p.message, ...p.hints].join('\n') });
  if (issues.length) throw new CreateValidationError(issues);
  return {
    isos: isos as Record<'appliance' | 'bootstrap', { path: string; version: IsoVersion }>, certificates: plan, values,
    ...(registryCas.length ? { registryCaPem: new Uint8Array(Buffer.concat(registryCas)) } : {}),
  };
}

/** An appliance network's static address, parsed. */
export interface StaticIpValues {
  ip: Ipv4Cidr;
  gateway?: Gateway;
}

/** The request's values parsed by their one parser each (src/vic/spec/values/). */
export interface CreateValues {
  imageStore: DatastoreLocation;
  volumeStores: VolumeStore[];
  staticIp: { public?: StaticIpValues; client?: StaticIpValues; management?: StaticIpValues };
  baseImageSizeBytes?: number;
  bridgeNetworkRange?: Ipv4Cidr;
  dnsServers: IpAddress[];
}

/** Parses the request's values; each one in error becomes an issue naming its flag (and the value is left out). */
export function parseCreateValues(req: Pick<CreateVchRequest, 'validate' | 'config'>, issues: ValidationIssue[]): CreateValues {
  const parse = <T>(code: ValidationCode, flag: string, text: string, f: (s: string) => T, what?: (e: InvalidValueError) => string): T | undefined => {
    try {
      return f(text);
    } catch (e) {
      if (!(e instanceof InvalidValueError)) throw e;
      issues.push({ code, flag, message: what ? what(e) : `${flag} "${text}": ${e.detail}` });
      return undefined;
    }
  };
  const out: CreateValues = {
    imageStore: parse('datastore-invalid', '--image-store', req.validate.imageStore ?? '', parseDatastoreLocation) ?? { datastore: '', path: '' },
    volumeStores: (req.validate.volumeStores ?? []).flatMap((v) => parse('volume-store-invalid', '--volume-store', v, parseVolumeStore) ?? []),
    staticIp: {},
    // each value may list several, separated by commas
    dnsServers: (req.config.dnsServers ?? [])
      .flatMap((d) => parse('dns-server-invalid', '--dns-server', d, (t) => parseDnsServers([t]), (e) => `${e.message} (e.g. --dns-server 10.0.0.53)`) ?? []),
  };
  for (const role of ['public', 'client', 'management'] as const) {
    const s = req.validate.staticIp?.[role];
    // a gateway without an address is preflight's rule to report (gateway-without-ip); nothing to parse here
    if (!s || !s.ip.trim()) continue;
    const ip = parse('ip-invalid', `--${role}-network-ip`, s.ip, parseIpv4Cidr,
      (e) => `Failed to parse the provided ${role} network IP address ${s.ip}: ${e.detail}`);
    const gateway = s.gateway ? parse('gateway-invalid', `--${role}-network-gateway`, s.gateway, parseGateway, (e) => `Invalid ${role} network gateway: ${e.detail}`) : undefined;
    if (ip) out.staticIp[role] = { ip, ...(gateway ? { gateway } : {}) };
  }
  if (req.config.baseImageSize) {
    const b = parse('size-invalid', '--base-image-size', req.config.baseImageSize, parseByteSize);
    if (b !== undefined) out.baseImageSizeBytes = b;
  }
  if (req.config.bridgeNetworkRange) {
    const r = parse('bridge-range-invalid', '--bridge-network-range', req.config.bridgeNetworkRange, parseIpv4Cidr,
      () => `"${req.config.bridgeNetworkRange}" is not a network in CIDR form (e.g. --bridge-network-range 172.16.0.0/12)`);
    if (r) out.bridgeNetworkRange = r;
  }
  return out;
}

function versionBuild(v: IsoVersion): VchCreateInput['version'] {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    version: v.version, gitCommit: v.commit ?? '', buildNumber: v.build ?? '',
    buildDate: `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}@${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
    state: '', pluginVersion: 10,
  };
}

/** Each NIC's roles, port group and reported address, and each component's state: what an admin checks first. */
function applianceReport(nics: readonly NicPlan[], state: ApplianceState): string[] {
  const lines = ['Network interfaces:'];
  for (const n of nics) {
    const ips = n.roles.map((r) => state.ips[r as keyof ApplianceState['ips']]).filter(Boolean);
    lines.push(`  ${n.roles.join(', ')} on "${n.portGroup.name}" (PCI slot ${n.pciSlot}): ${ips.length ? `assigned ${[...new Set(ips)].join(', ')}` : 'no IP address reported yet'}`);
  }
  lines.push('Appliance components:');
  for (const [c, st] of Object.entries(state.components)) lines.push(`  ${c}: ${st}`);
  return lines;
}

function networkInput(n: CreatePlan['networks']['public'], s?: StaticIpValues) {
  return { portGroup: n.name, moref: `${n.ref.type}:${n.ref.value}`, ...(s?.ip ? { ip: s.ip } : {}), ...(s?.gateway ? { gateway: s.gateway } : {}) };
}

/**
 * Local checks, then connect and validate: everything create does before it changes anything. With `existing`, the
 * validation reads through that session (a server's pooled or held one) instead of logging in.
 */
async function prepare(req: CreateVchRequest, hooks: CreateVchHooks, existing?: Session) {
  const { log } = hooks;
  const local = await localChecks(req);

  let session: Session;
  if (existing) {
    session = existing;
  } else {
    log('info', `Connecting to ${req.target.url.host}`);
    session = await Session.connect({
      url: req.target.url, user: req.target.user, password: req.target.password,
      ...(req.target.cloneTicket ? { cloneTicket: req.target.cloneTicket } : {}),
      trust: { thumbprint: req.target.thumbprint }, userAgent: req.userAgent, requestTimeoutMs: req.target.requestTimeoutMs,
      ...(hooks.onTrace ? { onTrace: hooks.onTrace } : {}),
    });
    hooks.onSession?.(session);
  }

  log('info', 'Validating supplied configuration');
  // The ops user's own login runs beside the inventory checks; its problems are reported with theirs.
  const opsUser = req.config.opsUser;
  const [validation, opsCheck] = await Promise.all([
    validateCreate(session, {
      ...req.validate, datacenter: req.target.datacenterPath, target: req.target.url.host, ...(req.target.thumbprint ? { thumbprint: String(req.target.thumbprint) } : {}),
      imageStore: local.values.imageStore, volumeStores: local.values.volumeStores,
    }),
    opsUser ? checkOpsUser(session, {
      url: req.target.url, opsUser, opsPassword: req.config.opsPassword ?? '', thumbprint: req.target.thumbprint,
      requestTimeoutMs: req.target.requestTimeoutMs,
      grantPerms: !!req.config.opsGrantPerms, userAgent: req.userAgent,
    }) : Promise.resolve<OpsUserCheckResult>({ problems: [] }),
  ]);
  const issues = [...(validation.ok ? [] : validation.issues), ...opsCheck.problems];
  if (!validation.ok || issues.length) throw new CreateValidationError(issues);
  const plan = validation.plan;
  for (const w of plan.warnings) log('warn', w);
  return { ...local, session, plan, knownPermissions: opsCheck.permissions };
}

/**
 * `create --dry-run`: validates exactly as create does and describes what it would make; creates nothing. With
 * `o.session` (vic-machine-server: the caller's pooled or console session) it logs in to nothing of its own, so the
 * plan leaves no session behind and reads the inventory once.
 */
export async function planCreate(req: CreateVchRequest, hooks: CreateVchHooks, o: { session?: Session } = {}): Promise<CreateDryRun> {
  const { isos, certificates, plan, values } = await prepare(req, hooks, o.session);
  const sized = async (i: { path: string; version: IsoVersion }) => ({ ...i, size: (await fs.promises.stat(i.path)).size });
  return describeDryRun({
    plan, certificates, isos: { appliance: await sized(isos.appliance), bootstrap: await sized(isos.bootstrap) },
    cpu: req.cpu, memory: req.memory, endpointCpu: req.endpointCpu, endpointMemoryMB: req.endpointMemoryMB,
    grantPermsTo: req.config.opsGrantPerms ? req.config.opsUser : undefined, affinityVmGroup: req.validate.affinityVmGroup,
    staticIp: values.staticIp,
  });
}

/** The certificate files this run wrote, and their folder if it is left empty: a failed create leaves nothing. */
function removeWrittenCertificates(certs: CertificateResult): void {
  for (const f of certs.written) fs.rmSync(f, { force: true });
  if (certs.written.length && fs.existsSync(certs.certPathAbsolute) && fs.readdirSync(certs.certPathAbsolute).length === 0) {
    fs.rmdirSync(certs.certPathAbsolute);
  }
}

export async function createVch(req: CreateVchRequest, hooks: CreateVchHooks): Promise<CreateVchResult> {
  const { log } = hooks;
  const name = req.validate.name;
  const { isos, session, plan, knownPermissions, registryCaPem, values } = await prepare(req, hooks);

  // Certificates are written only now that the configuration is known to be good.
  const certs: CertificateResult = await processCertificates(req.certificates, {
    onLog: (e) => log(e.level === 'warn' || e.level === 'warning' as string ? 'warn' : e.level === 'error' ? 'warn' : 'info', e.message),
  });

  const secretKey = SecretKey.generate();
  const target = `${req.target.url.protocol}//${req.target.url.host}`;
  // 1.5's form, whatever --thumbprint said: the SHA-1 of the certificate this session's connection was verified with
  // (pinned by SHA-1 or SHA-256, or trusted by CA), upper case with colons, as the 1.5 appliance reads it.
  const thumbprint = session.serverCertificate?.sha1.format() ?? '';
  const staticIp = values.staticIp;
  const { baseImageSize: _b, bridgeNetworkRange: _r, dnsServers: _d, ...config } = req.config;
  const encodeConfig = (c: ConfigContext): Record<string, string> => encodeVchConfig(buildVchConfig({
    ...config,
    // the values as parsed once, never their text
    imageStore: values.imageStore, volumeStores: values.volumeStores, dnsServers: values.dnsServers,
    ...(values.baseImageSizeBytes !== undefined ? { baseImageSizeBytes: values.baseImageSizeBytes } : {}),
    ...(values.bridgeNetworkRange ? { bridgeNetworkRange: values.bridgeNetworkRange } : {}),
    ...(registryCaPem ? { registryCaPem } : {}),
    // with no --image-store, the datastore validation chose
    defaultDatastore: plan.imageStore.datastore.name,
    name, version: versionBuild(isos.appliance.version), target, thumbprint,
    opsUser: req.config.opsUser ?? req.target.user, opsPassword: req.config.opsPassword ?? req.target.password,
    datacenterName: plan.datacenter.name, clusterPath: plan.compute.path, resourcePoolPath: plan.vchPool.parent ? plan.compute.pool.path : plan.vchPool.path,
    vchPool: `${c.pool.type}:${c.pool.value}`,
    ...(c.vm ? { applianceVm: `${c.vm.type}:${c.vm.value}` } : {}),
    vmFolderName: c.folderName,
    bootstrapIsoName: isoDatastoreName(isos.bootstrap.version.raw, 'bootstrap'),
    publicNetwork: networkInput(plan.networks.public, staticIp.public),
    clientNetwork: networkInput(plan.networks.client, staticIp.client),
    managementNetwork: networkInput(plan.networks.management, staticIp.management),
    bridgeNetwork: {
      portGroup: c.networks.bridge!.name, moref: `${c.networks.bridge!.ref.type}:${c.networks.bridge!.ref.value}`,
      ...(plan.createBridge ? { created: true } : {}),
    },
    containerNetworks: plan.networks.container.map((n) => ({
      portGroup: n.network.name, moref: `${n.network.ref.type}:${n.network.ref.value}`, alias: n.alias,
      // the parsed values (a range keeps its form: CIDR and first-last ranges are stored differently)
      ...(n.gateway ? { gateway: n.gateway } : {}),
      ...(n.ipRanges.length ? { ipRanges: n.ipRanges } : {}),
      ...(n.dns?.length ? { dns: n.dns } : {}), ...(n.firewall ? { firewall: n.firewall } : {}),
    })),
    ...(certs.serverCertPem ? { serverCertificatePem: certs.serverCertPem, serverKeyPem: certs.serverKeyPem } : {}),
    ...(certs.caPem ? { clientCaPem: certs.caPem } : {}),
  }), { secretKey });

  let provisioned;
  try {
    provisioned = await provisionVch(session, {
      name, isVC: plan.isVC,
      datacenter: { ref: plan.datacenter.ref, path: plan.datacenter.path, vmFolder: plan.datacenter.vmFolder },
      parentPool: plan.vchPool.existing ?? plan.vchPool.parent,
      usePoolAsIs: plan.vchPool.useParent || !!plan.vchPool.existing,
      host: plan.placementHost,
      cpu: req.cpu, memory: req.memory,
      imageDatastore: { ref: plan.imageStore.datastore.ref, name: plan.imageStore.datastore.name },
      volumeStores: plan.volumeStores.flatMap((v) => v.kind === 'datastore'
        ? [{ datastore: { ref: v.datastore.ref, name: v.datastore.name }, path: v.path }] : []),
      networks: {
        public: plan.networks.public, client: plan.networks.client, management: plan.networks.management,
        ...(plan.networks.bridge ? { bridge: plan.networks.bridge } : {}),
      },
      createBridge: plan.createBridge, networkFolder: plan.datacenter.networkFolder, setPersistNetworkBacking: plan.setPersistNetworkBacking,
      ...(req.config.opsGrantPerms && req.config.opsUser ? {
        opsPermissions: {
          opsUser: req.config.opsUser, rootFolder: session.content.rootFolder, datacenter: plan.datacenter.ref, cluster: plan.compute.ref,
          drsEnabled: plan.compute.drsEnabled !== false, affinityVmGroup: !!req.validate.affinityVmGroup,
          datastores: [plan.imageStore.datastore.ref, ...plan.volumeStores.flatMap((v) => (v.kind === 'datastore' ? [v.datastore.ref] : []))],
          containerNetworks: plan.networks.container.map((n) => n.network.ref),
          knownPermissions,
        },
      } : {}),
      ...(req.validate.affinityVmGroup ? { affinityVmGroup: { cluster: plan.compute.ref } } : {}),
      isos: { appliance: isos.appliance.path, bootstrap: isos.bootstrap.path, version: isos.appliance.version.raw },
      cpus: req.endpointCpu, memoryMB: req.endpointMemoryMB,
      alternateGuestName: `Photon - VCH ${isos.appliance.version.version}, ${isos.appliance.version.build ?? ''}, ${(isos.appliance.version.commit ?? '').padStart(7)}`,
      encodeConfig, log: (m) => log('info', m),
      ...(hooks.onUploadProgress ? { onUploadProgress: hooks.onUploadProgress } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
  } catch (e) {
    // Files this run wrote locally go too, so that a failed create leaves nothing anywhere.
    removeWrittenCertificates(certs);
    throw e;
  }
  const id = provisioned.vm.value;
  hooks.onPoweredOn?.({ id, name });

  const tls = certs.mode !== 'none';
  const port = tls ? 2376 : 2375;
  let logPath: string | undefined;
  const uploadLog = async (last: string): Promise<void> => {
    if (!hooks.runLog) return;
    logPath = await uploadRunLog(provisioned.datastore, provisioned.folderName, `${hooks.runLog()}${last}\n`, (m) => log('warn', m));
  };
  let ready;
  try {
    ready = await waitForAppliance(session, {
      vm: provisioned.vm, timeoutMs: req.timeoutMs,
      docker: {
        port, tls, serverCertPem: certs.serverCertPem,
        ...(certs.clientCertPem ? { clientCertPem: certs.clientCertPem, clientKeyPem: certs.clientKeyPem } : {}),
        verifiesClientsWithoutOurs: certs.mode === 'tlsverify' && !certs.clientCertPem,
      },
      log: (m) => log('info', m),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
  } catch (e) {
    const err = e as Error & { phase?: string; state?: ApplianceState };
    // Interrupted (SIGINT/SIGTERM) while waiting: the admin asked for no VCH after all, so the VCH goes, as it would
    // have a moment earlier; the local certificates this run wrote go with it.
    if (err.name === 'AbortError' || hooks.signal?.aborted) {
      log('warn', `Interrupted while waiting for the appliance: removing the VCH ${name} (${id})`);
      const report = await provisioned.rollback((line) => log('warn', line));
      removeWrittenCertificates(certs);
      if (report.failed.length) {
        throw Object.assign(new Error(`interrupted; the VCH ${name} (${id}) could not be removed completely: ` +
          `${report.failed.map((f) => `${f.what}: ${f.error}`).join('; ')}. Remove it with: vic-machine delete --target ` +
          `${req.target.url.host}${req.target.datacenterPath ?? ''} --user ${req.target.user} --thumbprint ${req.target.thumbprint ?? '<thumbprint>'} --id ${id} --force`), { cause: e });
      }
      throw e;
    }
    // The VCH exists: from here on it is the admin's, whatever the wait says.
    provisioned.keep();
    if (err.name === 'ReadyTimeoutError') {
      await uploadLog(`The appliance did not come up in time: ${err.message}`);
      throw new CreateTimeoutError(`${err.message}. The VCH ${name} (${id}) was created and is kept.\n` +
        `${applianceReport(provisioned.nics, err.state!).join('\n')}\n` +
        `Check it later with: vic-machine inspect --target ${req.target.url.host}${req.target.datacenterPath ?? ''} --user ${req.target.user} --thumbprint ${req.target.thumbprint ?? '<thumbprint>'} --id ${id}`,
      id, err.state!);
    }
    // Any other failure of the wait (the property collector, the connection): the VCH exists and is kept, as after a
    // timeout; say so, and how to look at it.
    await uploadLog(`The wait for the appliance failed: ${err.message}`);
    throw Object.assign(new Error(`${err.message}. The VCH ${name} (${id}) was created and is kept; ` +
      `check it with: vic-machine inspect --target ${req.target.url.host}${req.target.datacenterPath ?? ''} --user ${req.target.user} --thumbprint ${req.target.thumbprint ?? '<thumbprint>'} --id ${id}`), { cause: e });
  }
  provisioned.keep();

  await uploadLog(`The VCH ${name} (${id}) is ready: DOCKER_HOST ${ready.clientIp}:${port}`);
  if (logPath) log('info', `The log of this run is in ${logPath}`);
  const env = dockerEnvironment({ mode: certs.mode, host: ready.clientIp, port, certPath: certs.certPathAbsolute });
  const envFile = await writeDockerEnvFile(certs.certPathAbsolute, name, env, { createDirectory: true });
  return {
    id, name, clientIp: ready.clientIp, state: ready.state,
    dockerHost: `${ready.clientIp}:${port}`, dockerEnv: env,
    dockerCommand: dockerCommand({ mode: certs.mode, host: ready.clientIp, port, certPath: certs.certPathAbsolute }),
    envFile: envFile ? path.relative(req.cwd, envFile) || envFile : undefined,
    certPath: certs.mode === 'none' ? undefined : certs.certPathAbsolute,
    adminPortal: `https://${ready.clientIp}:2378`,
    publishedPortsAddress: ready.state.ips.public, managementAddress: ready.state.ips.management,
    roundTrips: Object.fromEntries(session.client.roundTrips),
  };
}

export { formatDockerEnvLine };
