// validateCreate: everything `create` checks after connecting and before it creates anything, with every problem
// reported together. Round trips: one inventory read (loadInventory with the properties the checks need), one
// batched read of what depends on it (host firewall rules of the hosts that can run the appliance, licenses, the
// vCenter advanced settings, the names of the VMs where the VCH would go), and only when a VM already has the
// VCH's name, one more to tell whether that VM is a VCH. None of them grows with the number of VMs.
import { VimFault } from '../../vim/faults.js';
import { escapeName, loadInventory, type InventoryObject } from '../../vim/inventory.js';
import { retrieve, type PropertyFilterSpec } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import { Ctx, key, normalizeInput, prop, quoteList, refs, sortedUnique } from './context.js';
import { checkInput } from './input.js';
import { checkApplianceNetworks } from './preflight.js';
import { formatIpv4, parseIpv4Cidr } from '../spec/values/ipv4.js';
import { tryParse } from '../spec/values/value-error.js';
import { datastoreUrl, firewallVerdict, licenseFeatures, shellQuote, type FirewallInfoLike, type LicenseLike } from './parse.js';
import {
  computeSuggestions, datacenterFolders, datastoreHostKeys, datastoreInfo, resolveCompute, resolveDatacenter, resolveNetworks,
  resolveStorage, toResolvedNetwork, NETWORK_TYPES, type ComputeResolution, type NetworkResolution, type StorageResolution,
} from './resolve.js';
import type { CreatePlan, IdReference, ResolvedHost, ResolvedVolumeStore, ValidateCreateInput, ValidationCode, ValidationResult } from './types.js';

/** Properties read with the inventory, per type. */
export const INVENTORY_PATHS: Partial<Record<string, string[]>> = {
  ClusterComputeResource: ['configurationEx'],
  HostSystem: ['runtime.connectionState', 'runtime.inMaintenanceMode', 'summary.managementServerIp', 'datastore', 'network',
    'configManager.networkSystem', 'configManager.firewallSystem'],
  Datastore: ['summary', 'host'],
  Network: ['host'],
  DistributedVirtualPortgroup: ['host', 'key', 'config.distributedVirtualSwitch', 'tag'],
  OpaqueNetwork: ['host', 'summary'],
  DistributedVirtualSwitch: ['uuid', 'config.uplinkPortgroup'],
  VmwareDistributedVirtualSwitch: ['uuid', 'config.uplinkPortgroup'],
};

/** The extraConfig key holding a VCH's own id ("VirtualMachine:vm-42", or "CreatingVCH" while it is created). */
export const VCH_ID_KEY = 'guestinfo.vice./init/common/id';
const PERSIST_NETWORK_BACKING = 'config.vpxd.SerialPort.PersistNetworkBacking';
const POOL_FLAG_LABELS: [keyof NonNullable<ValidateCreateInput['vchPool']>, string, string][] = [
  ['cpuLimit', '--cpu', 'CPU Limit'], ['cpuReservation', '--cpu-reservation', 'CPU Reservation'], ['cpuShares', '--cpu-shares', 'CPU Shares'],
  ['memoryLimit', '--memory', 'Memory Limit'], ['memoryReservation', '--memory-reservation', 'Memory Reservation'], ['memoryShares', '--memory-shares', 'Memory Shares'],
];

interface HostSelection {
  /** connected and not in maintenance mode */
  eligible: InventoryObject[];
  /** eligible, and seeing every requested datastore and appliance network */
  appliance: InventoryObject[];
}

interface Extras {
  firewall: Map<string, FirewallInfoLike | undefined>;
  licenses: LicenseLike[] | undefined;
  settings: { key: string; value: unknown }[] | undefined;
  vms: { ref: MoRef; name: string }[];
  /** the batched read failed: the checks that need it are skipped with a warning */
  failed?: string;
}

function networkHostKeys(net: InventoryObject, hosts: InventoryObject[]): Set<string> {
  const out = new Set(refs(net, 'host').map(key));
  for (const h of hosts) if (refs(h, 'network').some((r) => r.value === net.ref.value && r.type === net.ref.type)) out.add(key(h.ref));
  return out;
}

function eligibleHosts(ctx: Ctx, compute: ComputeResolution): InventoryObject[] {
  const out: InventoryObject[] = [];
  for (const h of compute.hosts) {
    const state = prop<string>(h, 'runtime.connectionState') ?? 'connected';
    if (state !== 'connected') ctx.warn(`Host "${h.path}" is ${state}: it cannot run the VCH`);
    else if (prop<boolean>(h, 'runtime.inMaintenanceMode')) ctx.warn(`Host "${h.path}" is in maintenance mode: it cannot run the VCH`);
    else out.push(h);
  }
  return out;
}

function selectHosts(ctx: Ctx, compute: ComputeResolution, eligible: InventoryObject[], storage: StorageResolution, nets: NetworkResolution): HostSelection {
  const crName = ctx.finder.relativePath(compute.cr, 'compute');
  if (!eligible.length) {
    ctx.issue('compute-resource-no-hosts', '--compute-resource', compute.hosts.length
      ? `No host of "${crName}" is connected and out of maintenance mode: none can run the VCH`
      : `compute resource "${crName}" has no hosts`);
    return { eligible, appliance: [] };
  }
  let candidates = eligible;

  // Datastores: each must be reachable, and one host must reach them all.
  const requested: { ds: InventoryObject; flag: string }[] = [];
  if (storage.image) requested.push({ ds: storage.image.ds, flag: '--image-store' });
  for (const v of storage.volumes) if (!requested.some((r) => r.ds === v.ds)) requested.push({ ds: v.ds, flag: '--volume-store' });
  const reachableNames = (): string[] => sortedUnique(ctx.finder.all('datastore', ctx.inv.datacenterOf(compute.cr.ref))
    .filter((d) => { const ks = datastoreHostKeys(d, eligible); return eligible.some((h) => ks.has(key(h.ref))); }).map((d) => d.name));
  let datastoresOk = true;
  const perDatastore: string[] = [];
  for (const { ds, flag } of requested) {
    const ks = datastoreHostKeys(ds, eligible);
    const reach = eligible.filter((h) => ks.has(key(h.ref)));
    if (!reach.length) {
      ctx.issue('datastore-inaccessible', flag, `Datastore "${ds.name}" is not accessible by the compute resource "${crName}"`, reachableNames());
      datastoresOk = false;
      continue;
    }
    perDatastore.push(`"${ds.name}": ${reach.map((h) => h.name).join(', ')}`);
    candidates = candidates.filter((h) => ks.has(key(h.ref)));
  }
  if (datastoresOk && requested.length && !candidates.length) {
    ctx.issue('datastore-inaccessible', storage.volumes.length ? '--volume-store' : '--image-store',
      `No single host can access all of the requested datastores. Installation cannot continue. (hosts per datastore: ${perDatastore.join('; ')})`, reachableNames());
  }

  // Networks: the appliance's port groups must be on its host; a bridge or container port group on every host.
  const roleFlags: [keyof NetworkResolution & ('public' | 'client' | 'management' | 'bridge'), string][] = [
    ['public', '--public-network'], ['client', '--client-network'], ['management', '--management-network'], ['bridge', '--bridge-network']];
  const checkedMembership = new Set<string>();
  const requireEveryHost = (net: InventoryObject, flag: string): void => {
    if (checkedMembership.has(key(net.ref))) return;
    checkedMembership.add(key(net.ref));
    const ks = networkHostKeys(net, eligible);
    const missing = eligible.filter((h) => !ks.has(key(h.ref)));
    if (missing.length) {
      ctx.issue('network-hosts-missing', flag, `All cluster hosts must be in the vDS or Opaque Network. "${net.name}" is missing hosts: [${missing.map((h) => h.path).join(' ')}]`);
    }
  };
  // A standalone ESXi host has every network of its datacenter (the simulator does not list new port groups on it).
  for (const [role, flag] of ctx.isVC ? roleFlags : []) {
    const net = nets[role];
    if (!net) continue;
    if (ctx.isVC && (role === 'bridge' || net.ref.type !== 'Network')) requireEveryHost(net, flag);
    const ks = networkHostKeys(net, eligible);
    const next = candidates.filter((h) => ks.has(key(h.ref)));
    if (candidates.length && !next.length) {
      ctx.issue('network-hosts-missing', flag, `No host that can run the VCH is connected to network "${net.name}" (hosts that can: ${candidates.map((h) => h.name).join(', ')})`);
    }
    if (next.length) candidates = next;
  }
  if (ctx.isVC) for (const cn of nets.container) requireEveryHost(cn.net, '--container-network');

  if (ctx.isVC && compute.hosts.length > 1 && candidates.length === 1 && requested.length) {
    ctx.warn('Only one host can access all of the image/volume datastores. This may be a point of contention/performance degradation and HA/DRS may not work as intended.');
  }
  return { eligible, appliance: [...candidates].sort((a, b) => a.path.localeCompare(b.path)) };
}

async function readExtras(session: Session, ctx: Ctx, firewallSystems: MoRef[], vmContainer: InventoryObject | undefined): Promise<Extras> {
  const out: Extras = { firewall: new Map(), licenses: undefined, settings: undefined, vms: [] };
  const specs: PropertyFilterSpec[] = [];
  if (firewallSystems.length) {
    specs.push({ propSet: [{ type: 'HostFirewallSystem', pathSet: ['firewallInfo'] }], objectSet: firewallSystems.map((obj) => ({ obj })) });
  }
  const lm = session.content.licenseManager;
  if (lm) specs.push({ propSet: [{ type: lm.type, pathSet: ['licenses'] }], objectSet: [{ obj: lm }] });
  const setting = session.content['setting'] as MoRef | undefined;
  if (ctx.isVC && setting) specs.push({ propSet: [{ type: setting.type, pathSet: ['setting'] }], objectSet: [{ obj: setting }] });
  if (vmContainer) {
    const isFolder = vmContainer.ref.type === 'Folder';
    specs.push({
      propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }],
      objectSet: [{
        obj: vmContainer.ref, skip: true,
        selectSet: [{ _type: 'TraversalSpec', name: 'vms', type: vmContainer.ref.type, path: isFolder ? 'childEntity' : 'vm', skip: false }],
      }],
    });
  }
  if (!specs.length) return out;
  let found;
  try {
    found = await retrieve(session, specs, { tolerateMissing: true });
  } catch (e) {
    if (!(e instanceof VimFault)) throw e;
    out.failed = `${e.faultName}: ${e.message}`;
    return out;
  }
  for (const f of firewallSystems) out.firewall.set(key(f), undefined);
  for (const { ref, props } of found) {
    if (ref.type === 'HostFirewallSystem') out.firewall.set(key(ref), props['firewallInfo'] as FirewallInfoLike | undefined);
    else if (lm && ref.value === lm.value) out.licenses = (props['licenses'] as LicenseLike[] | undefined) ?? [];
    else if (setting && ref.value === setting.value) out.settings = (props['setting'] as { key: string; value: unknown }[] | undefined) ?? [];
    else if (ref.type === 'VirtualMachine') out.vms.push({ ref, name: String(props['name'] ?? '') });
  }
  return out;
}

function firewallFix(ctx: Ctx, compute: ComputeResolution): string {
  // The datacenter belongs in --target when the command is to work where several datacenters exist.
  let target = ctx.input.target?.trim() || '<target>';
  const dc = ctx.input.datacenter?.replace(/^\/+/, '');
  if (dc && !/^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/]+\/./i.test(target)) target = `${target.replace(/\/+$/, '')}/${dc}`;
  const parts = ['vic-machine', 'update', 'firewall', '--target', shellQuote(target)];
  if (ctx.input.thumbprint) parts.push('--thumbprint', shellQuote(ctx.input.thumbprint));
  const cr = ctx.input.computeResource?.trim() || (ctx.isVC ? ctx.finder.relativePath(compute.cr, 'compute') : '');
  if (cr) parts.push('--compute-resource', shellQuote(cr));
  parts.push('--allow');
  return parts.join(' ');
}

function managementIp(ctx: Ctx, nets: NetworkResolution): string | undefined {
  const s = ctx.input.staticIp ?? {};
  let cidr = s.management?.ip;
  if (!cidr && nets.management && nets.management === nets.client) cidr = s.client?.ip;
  if (!cidr && nets.management && nets.management === nets.public) cidr = s.public?.ip;
  if (!cidr) return undefined;
  // a malformed address was reported by the input checks
  const parsed = tryParse(() => parseIpv4Cidr(cidr));
  return 'value' in parsed ? formatIpv4(parsed.value.address) : undefined;
}

function checkFirewall(ctx: Ctx, compute: ComputeResolution, hosts: InventoryObject[], nets: NetworkResolution, extras: Extras): void {
  const flag = ctx.isVC ? '--compute-resource' : '--target';
  const ip = managementIp(ctx, nets);
  const groups = new Map<string, InventoryObject[]>();
  const detail = new Map<string, string>();
  for (const h of hosts) {
    const fs = prop<MoRef>(h, 'configManager.firewallSystem');
    const v = firewallVerdict(fs ? extras.firewall.get(key(fs)) : undefined, ip);
    if (v.status === 'ok') continue;
    groups.set(v.status, [...(groups.get(v.status) ?? []), h]);
    if (v.status === 'excluded' || v.status === 'restricted') detail.set(v.status, v.allowed.join(', '));
  }
  const list = (s: string): string => quoteList((groups.get(s) ?? []).map((h) => h.path));
  const fix = firewallFix(ctx, compute);
  if (groups.has('blocked')) {
    ctx.issue('host-firewall-blocked', flag, `Firewall configuration incorrect on hosts: ${list('blocked')}. Firewall must permit dst 2377/tcp outbound to the VCH management interface`, undefined, fix);
  }
  if (groups.has('excluded')) {
    ctx.issue('host-firewall-blocked', flag, `Firewall configuration incorrect due to allowed IP restrictions on hosts: ${list('excluded')}. ` +
      `Firewall must permit dst 2377/tcp outbound to the VCH management interface ${ip} (allowed IPs: [${detail.get('excluded')}])`, undefined, fix);
  }
  if (groups.has('restricted')) {
    ctx.warn(`Unable to fully verify firewall configuration due to DHCP use on management network: firewall allowed IP configuration may prevent the required connection on hosts: ${list('restricted')} (allowed IPs: [${detail.get('restricted')}]). VCH management interface IP assigned by DHCP must be permitted by allowed IP settings`);
  }
  if (groups.has('unblocked')) {
    ctx.warn(`Firewall configuration will be incorrect if outbound traffic is blocked again on hosts: ${list('unblocked')}: no enabled ruleset permits dst 2377/tcp outbound (${fix})`);
  }
  if (groups.has('unknown')) ctx.warn(`Firewall configuration unavailable on hosts: ${list('unknown')}`);
}

function checkLicense(ctx: Ctx, extras: Extras): void {
  if (!extras.licenses) {
    if (!extras.failed) ctx.warn('License check SKIPPED: the target has no license manager');
    return;
  }
  const have = licenseFeatures(extras.licenses);
  const missing = (ctx.isVC ? ['serialuri', 'dvs'] : ['serialuri']).filter((f) => !have.has(f));
  if (missing.length) {
    const names = extras.licenses.map((l) => l.name).filter(Boolean) as string[];
    ctx.issue('license-insufficient', '--target', `License does not meet minimum requirements to use VIC: no license has the feature${missing.length > 1 ? 's' : ''} ${quoteList(missing)}` +
      (names.length ? ` (licenses: ${quoteList(names)})` : ' (no licenses)'));
  }
}

function checkManagedByVC(ctx: Ctx, dc: InventoryObject): void {
  if (ctx.isVC) return;
  for (const h of ctx.finder.all('host', dc)) {
    const ip = prop<string>(h, 'summary.managementServerIp');
    if (ip) ctx.issue('target-managed-by-vcenter', '--target', `Target is managed by vCenter server "${ip}", please change --target to vCenter server address or select a standalone ESXi`, [ip]);
  }
}

function poolFlagsGiven(ctx: Ctx): { flags: string[]; labels: string[] } {
  const p = ctx.input.vchPool ?? {};
  const given = POOL_FLAG_LABELS.filter(([k]) => p[k] !== undefined && p[k] !== '');
  return { flags: given.map(([, f]) => f), labels: given.map(([, , l]) => l) };
}

function checkDrs(ctx: Ctx, compute: ComputeResolution): string[] {
  const clusterPath = compute.cr.path;
  let ignored: string[] = [];
  if (compute.cr.ref.type === 'ClusterComputeResource' && compute.drsEnabled === false) {
    const { flags, labels } = poolFlagsGiven(ctx);
    ctx.warn(`DRS is recommended, but is disabled: VIC will select container hosts from "${clusterPath}"`);
    if (flags.length) {
      ctx.warn(`Provided VCH Resource Pool options are ignored: ${labels.join(', ')} (${flags.join(', ')}): without DRS the VCH has no resource pool of its own`);
      ignored = flags;
    }
  }
  if (ctx.input.affinityVmGroup) {
    if (!ctx.isVC) ctx.issue('affinity-group-unsupported', '--affinity-vm-group', 'DRS VM Groups may only be configured when using VC');
    else if (compute.cr.ref.type !== 'ClusterComputeResource' || compute.drsEnabled === false) ctx.issue('affinity-group-unsupported', '--affinity-vm-group', 'DRS VM Groups may not be used without DRS');
    else {
      const groups = prop<{ group?: { name?: string }[] }>(compute.cr, 'configurationEx')?.group ?? [];
      if (groups.some((g) => g.name === ctx.input.name)) ctx.issue('affinity-group-exists', '--affinity-vm-group', `DRS VM Group named "${ctx.input.name}" already exists`);
    }
  }
  return ignored;
}

/**
 * The static-address rules of the port groups again, now that the names are resolved: a name and a path (or two
 * paths) can be one port group, which the check before connecting, by names, cannot tell; the configuration encoder
 * would refuse it only while the appliance VM is created.
 */
function checkResolvedPortGroups(ctx: Ctx, nets: NetworkResolution): void {
  if (!nets.public || !nets.client || !nets.management) return;
  const s = ctx.input.staticIp ?? {};
  const role = (n: InventoryObject, st: { ip: string; gateway?: string | undefined } | undefined) => ({ network: n.path, ip: st?.ip, gateway: st?.gateway });
  const resolved = checkApplianceNetworks({
    public: role(nets.public, s.public), client: role(nets.client, s.client), management: role(nets.management, s.management),
  }).filter((i) => i.code === 'static-ip-on-shared-port-group');
  for (const i of resolved) if (!ctx.issues.some((j) => j.code === i.code && j.flag === i.flag)) ctx.issues.push(i);
}

function fail(ctx: Ctx): ValidationResult {
  return { ok: false, issues: ctx.issues, warnings: ctx.warnings, notes: ctx.notes };
}

/** Validates a create request against the target; returns every issue found, or the plan create carries out. */
const ID_TYPES: Record<IdReference['field'], { types: string[]; flag: string; code: ValidationCode; what: string }> = {
  computeResource: { types: ['ClusterComputeResource', 'ComputeResource', 'ResourcePool', 'VirtualApp'], flag: '--compute-resource', code: 'compute-resource-not-found', what: 'compute resource' },
  bridgeNetwork: { types: NETWORK_TYPES, flag: '--bridge-network', code: 'network-not-found', what: 'network' },
  publicNetwork: { types: NETWORK_TYPES, flag: '--public-network', code: 'network-not-found', what: 'network' },
  clientNetwork: { types: NETWORK_TYPES, flag: '--client-network', code: 'network-not-found', what: 'network' },
  managementNetwork: { types: NETWORK_TYPES, flag: '--management-network', code: 'network-not-found', what: 'network' },
  containerNetwork: { types: NETWORK_TYPES, flag: '--container-network', code: 'network-not-found', what: 'network' },
};

/** Objects given by moref id become their inventory paths, from the inventory just read (no extra round trip). */
function resolveIds(ctx: Ctx, refs: readonly IdReference[]): void {
  for (const r of refs) {
    const t = ID_TYPES[r.field];
    const hit = [...ctx.inv.objects].find((o) => o.ref.value === r.id && t.types.includes(o.ref.type));
    if (!hit) {
      ctx.issue(t.code, t.flag, `no ${t.what} with id "${r.id}"`);
      continue;
    }
    const input = ctx.input;
    if (r.field === 'containerNetwork') {
      const cn = input.containerNetworks.find((c) => c.alias === r.alias);
      if (cn) cn.vsphereName = hit.path;
    } else {
      input[r.field] = hit.path;
    }
  }
}

export async function validateCreate(session: Session, rawInput: ValidateCreateInput): Promise<ValidationResult> {
  const input = normalizeInput(rawInput);
  const inputIssues = checkInput(input);
  const inv = await loadInventory(session, { extraPaths: INVENTORY_PATHS });
  const ctx = new Ctx(input, inv, session.isVC);
  ctx.issues.push(...inputIssues);
  resolveIds(ctx, rawInput.byId ?? []);

  const dc = resolveDatacenter(ctx);
  if (!dc) return fail(ctx);
  const folders = datacenterFolders(ctx, dc);
  checkManagedByVC(ctx, dc);
  const compute = resolveCompute(ctx, dc);
  const eligible = compute ? eligibleHosts(ctx, compute) : [];
  const storage = resolveStorage(ctx, dc, compute, eligible);
  const nets = resolveNetworks(ctx, dc);
  checkResolvedPortGroups(ctx, nets);
  const hosts = compute ? selectHosts(ctx, compute, eligible, storage, nets) : undefined;

  // Where the VCH goes, and which VMs could collide with its name
  const name = input.name;
  let vchPool: CreatePlan['vchPool'] | undefined;
  let existingPool: InventoryObject | undefined;
  let vmContainer: InventoryObject | undefined;
  if (compute) {
    const useParent = compute.cr.ref.type === 'ClusterComputeResource' && compute.drsEnabled === false;
    existingPool = useParent ? undefined : ctx.childrenOfType(compute.pool.ref, 'ResourcePool', 'VirtualApp').find((p) => p.name === name);
    vchPool = { parent: compute.pool.ref, path: useParent ? compute.pool.path : `${compute.pool.path}/${escapeName(name)}`, useParent };
    if (existingPool) vchPool.existing = existingPool.ref;
    vmContainer = !ctx.isVC ? folders.vm : useParent ? compute.pool : existingPool;
  } else if (!ctx.isVC) {
    vmContainer = folders.vm;
  }
  if (ctx.isVC) {
    const folder = ctx.childrenOfType(folders.vm.ref, 'Folder').find((f) => f.name === name);
    if (folder) ctx.issue('name-in-use', '--name', `The specified VCH name (${name}) is already in use: VM folder "${folder.path}" exists`);
  }

  // One batched read for what depends on the inventory
  const fwHosts = hosts ? (hosts.appliance.length ? hosts.appliance : hosts.eligible) : [];
  const firewallSystems = fwHosts.map((h) => prop<MoRef>(h, 'configManager.firewallSystem')).filter((r): r is MoRef => !!r);
  const extras = await readExtras(session, ctx, firewallSystems, vmContainer);
  if (extras.failed) ctx.warn(`Could not read host firewall rules, licenses and existing VMs (${extras.failed}): those checks were skipped`);

  if (compute && !extras.failed) checkFirewall(ctx, compute, fwHosts, nets, extras);
  if (!extras.failed) checkLicense(ctx, extras);
  const ignoredPoolFlags = compute ? checkDrs(ctx, compute) : [];

  // Name collisions: a VM (VCH or not) named like the VCH where it goes; a non-empty pool of that name
  const sameName = extras.vms.filter((v) => v.name === name);
  if (sameName.length) {
    const cfg = await retrieve(session, [{ propSet: [{ type: 'VirtualMachine', pathSet: ['config.extraConfig'] }], objectSet: sameName.map((v) => ({ obj: v.ref })) }], { tolerateMissing: true });
    const isVch = cfg.some(({ ref, props }) => {
      const ec = (props['config.extraConfig'] as { key: string; value: unknown }[] | undefined) ?? [];
      const id = ec.filter((o) => o.key === VCH_ID_KEY).pop()?.value;
      return id === `VirtualMachine:${ref.value}` || id === 'CreatingVCH';
    });
    ctx.issue('name-in-use', '--name', isVch
      ? `A VCH with the name "${name}" already exists. Please choose a different name before attempting another install`
      : `Found virtual machine "${name}", but it is not a VCH. Please choose a different name.`);
  } else if (existingPool) {
    const children = ctx.childrenOfType(existingPool.ref, 'ResourcePool', 'VirtualApp');
    if (extras.vms.length || children.length) {
      ctx.issue('name-in-use', '--name', `A resource pool named "${name}" already exists in "${ctx.finder.relativePath(compute!.pool, 'pool')}" and is not empty ` +
        `(${extras.vms.length} VMs, ${children.length} pools): choose a different name`);
    } else {
      ctx.warn(`The empty resource pool "${existingPool.path}" already exists and will be used for the VCH`);
    }
  }

  // vCenter advanced setting the appliance's serial port needs
  let setPersistNetworkBacking = false;
  if (ctx.isVC && extras.settings) {
    const v = extras.settings.find((s) => s.key === PERSIST_NETWORK_BACKING)?.value;
    setPersistNetworkBacking = !(v === true || String(v).toLowerCase() === 'true');
    if (setPersistNetworkBacking) ctx.notes.push(`vCenter advanced option ${PERSIST_NETWORK_BACKING} will be set to true`);
  }

  // Storage quota against the image datastore's free space
  const quota = input.storageQuotaGB ?? 0;
  if (quota > 0 && storage.image) {
    const free = datastoreInfo(storage.image.ds).freeSpace;
    if (free !== undefined && quota * 2 ** 30 > free) {
      ctx.issue('storage-quota-exceeds-free-space', '--storage-quota', `Storage quota exceeds datastore free space: ${quota} GB requested, ${(free / 2 ** 30).toFixed(1)} GB free on "${storage.image.ds.name}"`);
    }
  }

  // ESXi: the bridge port group to create
  let createBridge: CreatePlan['createBridge'];
  if (nets.createBridge && compute) {
    const host = hosts?.appliance[0] ?? compute.hosts[0];
    const ns = prop<MoRef>(host, 'configManager.networkSystem');
    if (host && ns) createBridge = { name: input.bridgeNetwork, host: host.ref, hostNetworkSystem: ns };
    else ctx.issue('network-not-found', '--bridge-network', `network '${input.bridgeNetwork}' not found, and no host network system to create it on`);
  }

  if (!compute && !ctx.issues.some((i) => i.flag === '--compute-resource')) {
    ctx.issue('compute-resource-not-found', '--compute-resource', 'No compute resource resolved', computeSuggestions(ctx, dc));
  }
  if (ctx.issues.length || !compute || !vchPool || !hosts || !storage.image || !nets.public || !nets.client || !nets.management) return fail(ctx);

  const resolvedHost = (h: InventoryObject): ResolvedHost => {
    const out: ResolvedHost = { ref: h.ref, name: h.name, path: h.path };
    const ns = prop<MoRef>(h, 'configManager.networkSystem');
    const fs = prop<MoRef>(h, 'configManager.firewallSystem');
    if (ns) out.networkSystem = ns;
    if (fs) out.firewallSystem = fs;
    return out;
  };
  const image = datastoreInfo(storage.image.ds);
  const volumeStores: ResolvedVolumeStore[] = [
    ...storage.volumes.map((v): ResolvedVolumeStore => ({ label: v.label, kind: 'datastore', datastore: datastoreInfo(v.ds), path: v.path, url: datastoreUrl(v.ds.name, v.path) })),
    ...storage.nfs.map((n): ResolvedVolumeStore => ({ label: n.label, kind: 'nfs', url: n.url, host: n.host, path: n.path, options: n.options })),
  ];
  const plan: CreatePlan = {
    isVC: ctx.isVC,
    name,
    datacenter: { ref: dc.ref, name: dc.name, path: dc.path, vmFolder: folders.vm.ref, hostFolder: folders.host.ref, networkFolder: folders.network.ref, datastoreFolder: folders.datastore.ref },
    compute: {
      ref: compute.cr.ref,
      type: compute.cr.ref.type as 'ClusterComputeResource' | 'ComputeResource',
      name: compute.cr.name,
      path: compute.cr.path,
      rootPool: compute.rootPool.ref,
      pool: { ref: compute.pool.ref, path: compute.pool.path, type: compute.pool.ref.type as 'ResourcePool' | 'VirtualApp' },
      drsEnabled: compute.drsEnabled,
    },
    vchPool,
    hosts: hosts.appliance.map(resolvedHost),
    imageStore: { datastore: image, path: storage.image.path, url: datastoreUrl(image.name, storage.image.path) },
    volumeStores,
    networks: {
      public: toResolvedNetwork(ctx, nets.public),
      client: toResolvedNetwork(ctx, nets.client),
      management: toResolvedNetwork(ctx, nets.management),
      container: nets.container.map((c) => ({ ...c.resolved, network: toResolvedNetwork(ctx, c.net) })),
    },
    setPersistNetworkBacking,
    ignoredPoolFlags,
    warnings: ctx.warnings,
    notes: ctx.notes,
  };
  if (nets.bridge) plan.networks.bridge = toResolvedNetwork(ctx, nets.bridge);
  if (createBridge) plan.createBridge = createBridge;
  if (!ctx.isVC || vchPool.useParent) {
    const h = hosts.appliance[0];
    if (h) plan.placementHost = h.ref;
  }
  return { ok: true, plan };
}

