// What `configure` does to a VCH's configuration (reference §5.3 steps 7 and 10), as a pure function: the decoded
// current configuration and the request in, the new configuration, the list of changes and the problems out.
// Nothing here talks to vSphere; src/vic/configure/configure-vch.ts writes the result.
//
// The rules are vic-machine 1.5's:
// - container networks and volume stores can only be added: when any is given, every existing one must be given
//   again, unchanged (same port group, gateway, ranges, DNS, trust level / same target); the messages are the
//   original's, and the hint spells out the exact flags that repeat the existing ones (1.5 pointed at
//   `inspect config`);
// - proxies, syslog, the container name convention and DNS servers are replaced when given, and "" clears them;
// - only fields whose flag was given are written (`copyChangedConf`), so the appliance-published state and
//   everything else stay as they were.
import {
  ADD_PERMS, BRIDGE_NETWORK_NAME, PERSONA_SERVICE, VICADMIN_SERVICE, containerNetworkFromInput, goURLString,
  ipString, maskSize, normalizeNoProxy, normalizeProxy, parseSyslogAddress,
  trustLevelString, DOCKER_HTTP_PORT, DOCKER_TLS_PORT,
  type ContainerNetwork, type ContainerNetworkInput, type GoBytes, type GoURL, type SessionConfig,
  type VirtualContainerHostConfigSpec,
} from '../config/index.js';
import { Thumbprint } from '../../vim/thumbprint.js';
import type { ValidationCode } from '../validate/types.js';
import { parseIpAddress } from '../spec/values/ip-address.js';
import { parseVolumeStore, volumeStoreUrl } from '../spec/values/volume-store.js';
import { InvalidValueError } from '../spec/values/value-error.js';

export interface ConfigureRequest {
  /** every `--container-network*` (port group morefs resolved); absent when none was given */
  containerNetworks?: ContainerNetworkInput[];
  /** `--volume-store` values; absent when none was given */
  volumeStores?: string[];
  /** the datastore a volume store without one is on (the image store's) */
  defaultDatastore?: string;
  /** `--dns-server`: replaces the appliance's DNS servers; [] or [""] clears them */
  dnsServers?: string[];
  /** "" removes the proxy */
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** "" removes syslog forwarding */
  syslogAddress?: string;
  containerNameConvention?: string;
  /** `--registry-ca` bundle (replaces the stored one) */
  registryCaPem?: GoBytes;
  debug?: number;
  /** `--affinity-vm-group`: true creates the VCH's DRS VM group, false removes it; absent = no change */
  affinityVmGroup?: boolean;
  /** the appliance VM's name: what a new DRS VM group is named after */
  vchName?: string;
  /** `--ops-user` / `--ops-password` / `--ops-grant-perms` */
  ops?: { user: string; password: string; grantPerms?: boolean };
  /**
   * `--thumbprint` given: the SHA-1 thumbprint of the certificate the connection was verified with (whichever
   * algorithm and spelling --thumbprint used); stored in 1.5's form when it differs from the stored one as a value
   */
  thumbprint?: Thumbprint;
  /** GB; <= 0 = unlimited */
  storageQuotaGB?: number;
  /** <= 0 = unlimited */
  containerCount?: number;
  /**
   * New certificates: a server certificate and key (absent: the VCH's are kept), and the CA bundle clients are
   * verified against (null: none, --no-tlsverify; absent: the VCH's are kept)
   */
  certificates?: { serverCertPem?: GoBytes; serverKeyPem?: GoBytes; caPem?: GoBytes | null };
}

export interface ConfigureProblem {
  /** what kind of problem it is (with the flag, what a program decides on) */
  code: ValidationCode;
  flag: string;
  message: string;
  hint?: string;
}

export interface AddedVolumeStore {
  label: string;
  url: GoURL;
}

export interface ConfigurePlan {
  config: VirtualContainerHostConfigSpec;
  /** one line per change, for the log and --json; never a secret */
  changes: string[];
  /** rule violations and bad values; the plan must not be applied when there is any */
  problems: ConfigureProblem[];
  /** volume stores this configure adds (their datastore folders must exist before the appliance starts) */
  addedVolumeStores: AddedVolumeStore[];
  /** the DRS VM group named after the VCH: to create or to remove */
  vmGroup?: { action: 'create' | 'remove'; name: string };
  /** the ops user to grant the vic-vch-* roles and permissions (--ops-grant-perms) */
  grantPermsTo?: string;
}

/** The names configure needs that the config only has as morefs. */
export interface NameLookup {
  /** the port group's name for a stored moref (`DistributedVirtualPortgroup:dvportgroup-13`) */
  networkName(moref: string): string | undefined;
}

const ip = (b: GoBytes | undefined): string => ipString(b);
const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A container network's settings as comparable text (byte lengths of addresses do not matter). */
function networkFacts(n: ContainerNetwork): { portGroup: string; gateway: string; ranges: string[]; dns: string[]; firewall: string } {
  const gw = n.gateway?.ip && n.gateway.ip.length ? `${ip(n.gateway.ip)}/${maskSize(n.gateway.mask)[0]}` : '';
  return {
    portGroup: n.common.id,
    gateway: gw,
    ranges: (n.pools ?? []).map((p) => `${ip(p.firstIP)}-${ip(p.lastIP)}`),
    dns: (n.nameservers ?? []).map(ip),
    firewall: trustLevelString(n.trustLevel),
  };
}

/** The flags that give an existing container network again, exactly as it is stored. */
export function containerNetworkFlags(n: ContainerNetwork, names: NameLookup): string[] {
  const f = networkFacts(n);
  const pg = names.networkName(f.portGroup) ?? f.portGroup;
  const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const out = [`--container-network ${q(`${pg}:${n.common.name}`)}`];
  if (f.gateway) out.push(`--container-network-gateway ${q(`${pg}:${f.gateway}`)}`);
  for (const r of f.ranges) out.push(`--container-network-ip-range ${q(`${pg}:${r}`)}`);
  for (const d of f.dns) out.push(`--container-network-dns ${q(`${pg}:${d}`)}`);
  if (f.firewall) out.push(`--container-network-firewall ${q(`${pg}:${f.firewall}`)}`);
  return out;
}

/** `--volume-store` text that gives an existing store again. */
export function volumeStoreFlag(label: string, u: GoURL): string {
  if (u.scheme === 'ds') {
    const m = /^\[([^\]]*)\] ?(.*)$/.exec(u.path);
    const path = m ? m[2]! : u.path.replace(/^\//, '');
    return `--volume-store '${u.host}${path ? `/${path}` : ''}:${label}'`;
  }
  return `--volume-store '${goURLString(u)}:${label}'`;
}

function volumeKey(u: GoURL): string {
  return `${u.scheme}://${u.host}/${u.path}`.replace(/\/+$/, '').trim();
}

function differences(a: ReturnType<typeof networkFacts>, b: ReturnType<typeof networkFacts>, names: NameLookup): string[] {
  const out: string[] = [];
  const show = (v: string | string[]): string => (Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v || 'none');
  if (a.portGroup !== b.portGroup) out.push(`port group ${names.networkName(a.portGroup) ?? a.portGroup} → ${names.networkName(b.portGroup) ?? b.portGroup}`);
  if (a.gateway !== b.gateway) out.push(`gateway ${show(a.gateway)} → ${show(b.gateway)}`);
  if (!same(a.ranges, b.ranges)) out.push(`ip ranges ${show(a.ranges)} → ${show(b.ranges)}`);
  if (!same(a.dns, b.dns)) out.push(`dns ${show(a.dns)} → ${show(b.dns)}`);
  if (a.firewall !== b.firewall) out.push(`firewall ${show(a.firewall)} → ${show(b.firewall)}`);
  return out;
}

function planContainerNetworks(conf: VirtualContainerHostConfigSpec, req: ContainerNetworkInput[], names: NameLookup, plan: ConfigurePlan): void {
  const existing = Object.entries(conf.network.containerNetworks).filter(([alias, n]) => alias !== BRIDGE_NETWORK_NAME && n.type !== 'bridge');
  const requested = new Map<string, ContainerNetwork>();
  for (const cn of req) {
    try {
      const n = containerNetworkFromInput(cn);
      if (requested.has(n.common.name)) throw new Error(`container network alias "${n.common.name}" is given twice`);
      requested.set(n.common.name, n);
    } catch (e) {
      plan.problems.push({ code: 'container-network-invalid', flag: '--container-network', message: (e as Error).message });
    }
  }
  const missing = existing.filter(([alias]) => !requested.has(alias));
  if (missing.length) {
    plan.problems.push({
      code: 'existing-value-missing', flag: '--container-network',
      message: `all existing container networks must also be specified: ${missing.map(([alias, n]) => `Existing container-network ${names.networkName(n.common.id) ?? n.common.id}:${alias} not specified in configure command`).join('; ')}`,
      hint: `give them again, unchanged: ${existing.flatMap(([, n]) => containerNetworkFlags(n, names)).join(' ')}`,
    });
  }
  for (const [alias, n] of existing) {
    const r = requested.get(alias);
    if (!r) continue;
    const diff = differences(networkFacts(n), networkFacts(r), names);
    if (diff.length) {
      plan.problems.push({
        code: 'existing-value-changed', flag: '--container-network',
        message: `changes to existing container networks are not supported: Found changes to existing container network ${alias} (${diff.join('; ')})`,
        hint: `to keep it as it is: ${containerNetworkFlags(n, names).join(' ')}`,
      });
    }
  }
  for (const [alias, n] of requested) {
    if (conf.network.containerNetworks[alias]) continue;
    conf.network.containerNetworks[alias] = n;
    plan.changes.push(`container network ${alias} added (port group ${names.networkName(n.common.id) ?? n.common.id})`);
  }
}

function planVolumeStores(conf: VirtualContainerHostConfigSpec, specs: string[], defaultDatastore: string | undefined, plan: ConfigurePlan): void {
  const requested = new Map<string, GoURL>();
  for (const spec of specs) {
    try {
      const vs = parseVolumeStore(spec);
      if (requested.has(vs.label)) throw new Error(`volume store label "${vs.label}" is given twice`);
      requested.set(vs.label, volumeStoreUrl(vs, defaultDatastore));
    } catch (e) {
      plan.problems.push({ code: 'volume-store-invalid', flag: '--volume-store', message: `--volume-store "${spec}": ${e instanceof InvalidValueError ? e.detail : (e as Error).message}` });
    }
  }
  const existing = Object.entries(conf.storage.volumeLocations);
  const missing = existing.filter(([label]) => !requested.has(label));
  if (missing.length) {
    plan.problems.push({
      code: 'existing-value-missing', flag: '--volume-store',
      message: `all existing volume stores must also be specified: ${missing.map(([label]) => `Existing volume store ${label} not specified in configure command`).join('; ')}`,
      hint: `give them again, unchanged: ${existing.map(([label, u]) => volumeStoreFlag(label, u)).join(' ')}`,
    });
  }
  for (const [label, u] of existing) {
    const r = requested.get(label);
    if (r && volumeKey(r) !== volumeKey(u)) {
      plan.problems.push({
        code: 'existing-value-changed', flag: '--volume-store',
        message: `changes to existing volume stores are not supported: Found changes to existing volume store ${label} (${volumeKey(u)} → ${volumeKey(r)})`,
        hint: `to keep it as it is: ${volumeStoreFlag(label, u)}`,
      });
    }
  }
  for (const [label, u] of requested) {
    if (conf.storage.volumeLocations[label]) continue;
    conf.storage.volumeLocations[label] = u;
    plan.addedVolumeStores.push({ label, url: u });
    plan.changes.push(`volume store ${label} added (${volumeKey(u)})`);
  }
}

/** Sets (or with "" removes) `NAME=value` in a component's environment; returns whether it changed. */
export function setEnv(session: SessionConfig | undefined, name: string, value: string): boolean {
  if (!session) return false;
  const env = session.cmd.env;
  const i = env.findIndex((e) => e.startsWith(`${name}=`));
  const before = i === -1 ? undefined : env[i];
  if (value === '') {
    if (i !== -1) env.splice(i, 1);
  } else if (i === -1) {
    env.push(`${name}=${value}`);
  } else {
    env[i] = `${name}=${value}`;
  }
  return before !== (value === '' ? undefined : `${name}=${value}`);
}

function envValue(session: SessionConfig | undefined, name: string): string {
  const e = session?.cmd.env.find((x) => x.startsWith(`${name}=`));
  return e ? e.slice(name.length + 1) : '';
}

function planProxies(conf: VirtualContainerHostConfigSpec, req: ConfigureRequest, plan: ConfigurePlan): void {
  const s = conf.executorConfig.sessions;
  const persona = s[PERSONA_SERVICE];
  const vicadmin = s[VICADMIN_SERVICE];
  const proxies: Array<[string, string | undefined, string, string, (v: string) => string]> = [
    ['--http-proxy', req.httpProxy, 'HTTP_PROXY', 'VICADMIN_HTTP_PROXY', normalizeProxy],
    ['--https-proxy', req.httpsProxy, 'HTTPS_PROXY', 'VICADMIN_HTTPS_PROXY', normalizeProxy],
    ['--no-proxy', req.noProxy, 'NO_PROXY', 'NO_PROXY', normalizeNoProxy],
  ];
  for (const [flag, given, personaVar, vicadminVar, normalize] of proxies) {
    if (given === undefined) continue;
    let value = '';
    try {
      value = given.trim() === '' ? '' : normalize(given);
    } catch (e) {
      plan.problems.push({ code: 'proxy-invalid', flag, message: (e as Error).message });
      continue;
    }
    const before = envValue(persona, personaVar);
    const a = setEnv(persona, personaVar, value);
    const b = setEnv(vicadmin, vicadminVar, value);
    if (a || b) plan.changes.push(`${flag.slice(2)}: ${before || '(none)'} → ${value || '(none)'}`);
  }
}

function planDns(conf: VirtualContainerHostConfigSpec, servers: string[], plan: ConfigurePlan): void {
  const dns: GoBytes[] = [];
  for (const d of servers.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '')) {
    try {
      dns.push(parseIpAddress(d));
    } catch {
      plan.problems.push({ code: 'dns-server-invalid', flag: '--dns-server', message: `Invalid DNS server specified: ${d}` });
    }
  }
  const eps = Object.entries(conf.executorConfig.networks).filter(([role]) => role !== BRIDGE_NETWORK_NAME);
  const before = [...new Set(eps.flatMap(([, ep]) => (ep.network.nameservers ?? []).map(ip)))];
  for (const [, ep] of eps) {
    ep.network.nameservers = dns.map((d) => d.slice());
    // what the appliance learnt from DHCP is stale now; it publishes it again when it starts
    ep.network.assigned = { gateway: {}, nameservers: [] };
  }
  const after = dns.map(ip);
  if (!same(before, after)) plan.changes.push(`dns servers: ${before.join(', ') || '(none)'} → ${after.join(', ') || '(none: DHCP)'}`);
}

function dockerPort(conf: VirtualContainerHostConfigSpec): void {
  const persona = conf.executorConfig.sessions[PERSONA_SERVICE];
  if (!persona) return;
  const port = conf.certificate.hostCertificate ? DOCKER_TLS_PORT : DOCKER_HTTP_PORT;
  persona.cmd.args = persona.cmd.args.map((a) => (a.startsWith('-port=') ? `-port=${port}` : a));
}

/** The configuration configure writes, what changes, and what is wrong with the request. */
export function planConfigure(current: VirtualContainerHostConfigSpec, req: ConfigureRequest, names: NameLookup): ConfigurePlan {
  const conf = structuredClone(current);
  const plan: ConfigurePlan = { config: conf, changes: [], problems: [], addedVolumeStores: [] };
  const ec = conf.executorConfig;

  if (req.containerNetworks) planContainerNetworks(conf, req.containerNetworks, names, plan);
  if (req.volumeStores) planVolumeStores(conf, req.volumeStores, req.defaultDatastore, plan);
  if (req.dnsServers) planDns(conf, req.dnsServers, plan);
  planProxies(conf, req, plan);

  if (req.syslogAddress !== undefined) {
    const before = ec.diagnostics.sysLogConfig ? `${ec.diagnostics.sysLogConfig.network}://${ec.diagnostics.sysLogConfig.rAddr}` : '';
    if (req.syslogAddress.trim() === '') {
      delete ec.diagnostics.sysLogConfig;
    } else {
      try {
        ec.diagnostics.sysLogConfig = parseSyslogAddress(req.syslogAddress.trim());
      } catch (e) {
        plan.problems.push({ code: 'syslog-address-invalid', flag: '--syslog-address', message: (e as Error).message });
      }
    }
    const after = ec.diagnostics.sysLogConfig ? `${ec.diagnostics.sysLogConfig.network}://${ec.diagnostics.sysLogConfig.rAddr}` : '';
    if (before !== after) plan.changes.push(`syslog: ${before || '(none)'} → ${after || '(none)'}`);
  }
  if (req.containerNameConvention !== undefined && req.containerNameConvention !== conf.container.containerNameConvention) {
    plan.changes.push(`container name convention: ${conf.container.containerNameConvention || '(none)'} → ${req.containerNameConvention || '(none)'}`);
    conf.container.containerNameConvention = req.containerNameConvention;
  }
  if (req.debug !== undefined && req.debug !== ec.diagnostics.debugLevel) {
    plan.changes.push(`debug level: ${ec.diagnostics.debugLevel} → ${req.debug}`);
    ec.diagnostics.debugLevel = req.debug;
  }
  if (req.storageQuotaGB !== undefined) {
    const bytes = req.storageQuotaGB > 0 ? req.storageQuotaGB * 2 ** 30 : 0;
    if (bytes !== conf.storage.storageQuota) {
      const gb = (b: number): string => (b ? `${b / 2 ** 30} GB` : 'unlimited');
      plan.changes.push(`storage quota: ${gb(conf.storage.storageQuota)} → ${gb(bytes)}`);
      conf.storage.storageQuota = bytes;
    }
  }
  if (req.containerCount !== undefined) {
    const n = req.containerCount > 0 ? req.containerCount : 0;
    if (n !== conf.container.containerCount) {
      plan.changes.push(`containers: ${conf.container.containerCount || 'unlimited'} → ${n || 'unlimited'}`);
      conf.container.containerCount = n;
    }
  }
  if (req.ops) {
    if (req.ops.user !== conf.connection.username) plan.changes.push(`ops user: ${conf.connection.username} → ${req.ops.user}`);
    if (req.ops.password !== conf.connection.token) plan.changes.push('ops password: replaced');
    conf.connection.username = req.ops.user;
    conf.connection.token = req.ops.password;
    // recorded as create records it, so that inspect config tells an ops user of the VCH's own from the admin user 1.5
    // stores for none (src/vic/vch/inspect-config.ts hasOwnOpsUser)
    const options = conf.vicMachineCreateOptions.filter((o) => !o.startsWith('--ops-user='));
    const at = conf.vicMachineCreateOptions.findIndex((o) => o.startsWith('--ops-user='));
    options.splice(at === -1 ? options.length : at, 0, `--ops-user=${req.ops.user}`);
    conf.vicMachineCreateOptions = options;
    if (req.ops.grantPerms !== undefined) {
      const level = req.ops.grantPerms ? ADD_PERMS : '';
      if (level !== conf.grantPermsLevel) plan.changes.push(`ops permissions: ${req.ops.grantPerms ? 'granted' : 'not granted'}`);
      conf.grantPermsLevel = level;
    }
  }
  if (req.ops?.grantPerms) plan.grantPermsTo = conf.connection.username;
  if (req.affinityVmGroup !== undefined && req.affinityVmGroup !== conf.container.useVMGroup) {
    const name = conf.container.vmGroupName || req.vchName || conf.executorConfig.common.name;
    plan.vmGroup = { action: req.affinityVmGroup ? 'create' : 'remove', name };
    plan.changes.push(`DRS VM group "${name}": ${req.affinityVmGroup ? 'created' : 'removed'}`);
    conf.container.useVMGroup = req.affinityVmGroup;
    conf.container.vmGroupName = req.affinityVmGroup ? name : '';
  }
  // Compared as values: a stored "2c:11:..." or SHA-1 without colons is the same thumbprint, not a change.
  if (req.thumbprint !== undefined && !req.thumbprint.equals(Thumbprint.tryParse(conf.connection.targetThumbprint))) {
    plan.changes.push(`target thumbprint: ${conf.connection.targetThumbprint || '(none)'} → ${req.thumbprint}`);
    conf.connection.targetThumbprint = req.thumbprint.format();
  }
  if (req.registryCaPem !== undefined) {
    const before = conf.certificate.registryCertificateAuthorities;
    if (!before || Buffer.compare(Buffer.from(before), Buffer.from(req.registryCaPem)) !== 0) plan.changes.push('registry CAs: replaced');
    if (req.registryCaPem.length) conf.certificate.registryCertificateAuthorities = req.registryCaPem;
    else delete conf.certificate.registryCertificateAuthorities;
  }
  if (req.certificates) {
    const c = req.certificates;
    const differs = (a: GoBytes | undefined, b: GoBytes | undefined): boolean => !a || !b || Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0;
    if (c.serverCertPem && c.serverKeyPem) {
      if (differs(conf.certificate.hostCertificate?.cert, c.serverCertPem)) {
        plan.changes.push(conf.certificate.hostCertificate?.cert?.length ? 'server certificate: replaced' : 'server certificate: added (TLS on)');
      }
      conf.certificate.hostCertificate = { cert: c.serverCertPem, key: c.serverKeyPem };
    }
    const had = conf.certificate.certificateAuthorities;
    if (c.caPem) {
      if (differs(had, c.caPem)) plan.changes.push(had?.length ? 'client verification CAs: replaced' : 'client verification: on (CAs added)');
      conf.certificate.certificateAuthorities = c.caPem;
    } else if (c.caPem === null) {
      if (had?.length) plan.changes.push('client verification: off (--no-tlsverify)');
      delete conf.certificate.certificateAuthorities;
    }
    dockerPort(conf);
  }
  return plan;
}
