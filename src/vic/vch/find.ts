// Finding VCHs in bulk (reference §4.3, §4.5).
//
// vic-machine 1.5 walked compute resource → resource pools → VMs → one VM at a time (59 requests for one VCH, more
// as the inventory grows). Here the number of round trips does not depend on the number of VMs:
//   - with `withVms` (ls, inspect): the inventory tree (datacenters, folders, compute resources, pools, vApps) AND
//     every VirtualMachine (name, parent, resourcePool, runtime.powerState, config.extraConfig) in ONE
//     RetrievePropertiesEx (+ continuation pages when the server pages): the same traversal reaches the VMs through
//     the VM folders, so nothing else is needed. `ls` is then 4 round trips in all (service content, login, this
//     read, logout) instead of 7; each round trip saved is 20 ms or more on a real vCenter.
//   - without it: the inventory tree in one RetrievePropertiesEx, then the VMs below the datacenter (or the root
//     folder) through ONE ContainerView (CreateContainerView, RetrievePropertiesEx + pages, DestroyView).
// extraConfig is read whole: a property path such as config.extraConfig["guestinfo.vice./init/common/id"] is not
// accepted by every vSphere release (nor by the simulator), so it cannot be relied on.
//
// A VM is a VCH when `guestinfo.vice./init/common/id` is its own moref (`VirtualMachine:vm-42`) or `CreatingVCH` (a
// VCH whose create did not finish). VCHs in vApps, in child pools and in a cluster's root pool are all found, once.
import { Finder, MultipleFoundError, NotFoundError } from '../../vim/finder.js';
import { loadInventory, type Inventory, type InventoryObject } from '../../vim/inventory.js';
import { retrieveFromView } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import { CREATING_VCH } from '../config/index.js';
import { VchError } from './errors.js';

export const VCH_ID_KEY = 'guestinfo.vice./init/common/id';

/** What is read for every VM in scope. */
export const VM_PATHS = ['name', 'parent', 'resourcePool', 'runtime.powerState', 'config.extraConfig'] as const;

export interface VmRecord {
  ref: MoRef;
  name: string;
  /** the VM folder (or vApp for VMs in a vApp: then `parent` is absent and parentVApp would be set) */
  parent: MoRef | undefined;
  resourcePool: MoRef | undefined;
  powerState: string;
  /** extraConfig as vSphere returns it (values "<nil>"-escaped) */
  extraConfig: Record<string, string>;
}

export interface VchRecord extends VmRecord {
  /** the moref value, e.g. `vm-73` (what `--id` takes and `ls` prints) */
  id: string;
  /** the VCH's create did not finish (id `CreatingVCH`) */
  creating: boolean;
  /** inventory path of the VCH's resource pool or vApp, e.g. /DC0/host/DC0_C0/Resources/vch1 */
  poolPath: string;
  /** `ls` PATH: dirname(dirname(<pool path>/<name>)) = the pool's parent, usable as --compute-resource */
  path: string;
  datacenter: InventoryObject | undefined;
  /** the cluster or standalone host that owns the pool */
  computeResource: InventoryObject | undefined;
}

export interface Scope {
  session: Session;
  inventory: Inventory;
  finder: Finder;
  /** the datacenters searched */
  datacenters: InventoryObject[];
  /** the cluster / host that --compute-resource resolved to (its owner, as the original's ValidateCompute) */
  computeResource?: InventoryObject;
  /** the inventory holds every VM with VM_PATHS (ScopeOptions.withVms) */
  vmsLoaded?: boolean;
}

export interface ScopeOptions {
  /** `/DC0` from --target */
  datacenterPath?: string | undefined;
  /** a datacenter by its moref value (`datacenter-2`): vic-machine-server's `{datacenter}` path parameter */
  datacenterId?: string | undefined;
  /** --compute-resource */
  computeResource?: string | undefined;
  /** with no datacenter in --target and several datacenters, search them all (ls) instead of failing */
  allDatacenters?: boolean;
  /** extra inventory properties per type (delete needs pools' vm, folders' childEntity, ...) */
  extraPaths?: Partial<Record<string, string[]>>;
  /** read every VM (VM_PATHS) in the same round trip as the inventory, so that scanVms needs no further call */
  withVms?: boolean;
  log?: (line: string) => void;
  /** told when the target is an ESXi host managed by a vCenter (read in the same round trip as the inventory) */
  warn?: (line: string) => void;
}

const COMPUTE_TYPES = new Set(['ClusterComputeResource', 'ComputeResource']);

/** The cluster or standalone compute resource an inventory object (host, pool, vApp, cluster) belongs to. */
export function ownerOf(inventory: Inventory, ref: MoRef | undefined): InventoryObject | undefined {
  for (let o = inventory.get(ref); o; o = inventory.get(o.parent)) if (COMPUTE_TYPES.has(o.ref.type)) return o;
  return undefined;
}

const MANAGED_BY = 'summary.managementServerIp';

/**
 * An ESXi host joined to a vCenter: create refuses it (as vic-machine 1.5 does); the commands that read go on, but say
 * that the vCenter is where its VCHs are managed (the host's view lacks the vCenter's pools, folders and permissions).
 */
function warnIfManaged(inventory: Inventory, warn: (line: string) => void): void {
  for (const h of inventory.objects) {
    const ip = h.ref.type === 'HostSystem' ? h.props[MANAGED_BY] : undefined;
    if (typeof ip === 'string' && ip) {
      warn(`Target is managed by vCenter server "${ip}": manage its VCHs through the vCenter (--target ${ip}); this host alone does not show the vCenter's pools, folders and permissions`);
      return;
    }
  }
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Loads the inventory and resolves the datacenter(s) and compute resource to search: one round trip (+ pages). */
export async function resolveScope(session: Session, o: ScopeOptions = {}): Promise<Scope> {
  const extraPaths: Partial<Record<string, string[]>> = o.withVms
    ? { ...o.extraPaths, VirtualMachine: [...new Set([...(o.extraPaths?.['VirtualMachine'] ?? []), ...VM_PATHS.filter((p) => p !== 'name' && p !== 'parent')])] }
    : { ...o.extraPaths };
  if (!session.isVC && o.warn) extraPaths['HostSystem'] = [...(extraPaths['HostSystem'] ?? []), MANAGED_BY];
  const inventory = await loadInventory(session, { extraPaths, includeVMs: !!o.withVms });
  if (!session.isVC && o.warn) warnIfManaged(inventory, o.warn);
  const finder = new Finder(inventory);
  let datacenters: InventoryObject[];
  const all = finder.datacenters();
  if (o.datacenterId) {
    datacenters = all.filter((d) => d.ref.value === o.datacenterId);
    if (datacenters.length === 0) {
      throw new VchError('not-found', `Datacenter "${o.datacenterId}" is not found`,
        all.length ? `Datacenters: ${all.map((d) => `${d.ref.value} (${d.path.slice(1)})`).join(', ')}` : undefined, 'datacenter');
    }
  } else if (o.datacenterPath) {
    try {
      datacenters = [finder.datacenter(o.datacenterPath)];
    } catch (e) {
      if (!(e instanceof NotFoundError) && !(e instanceof MultipleFoundError)) throw e;
      const names = all.map((d) => d.path.slice(1));
      throw new VchError('not-found', `Datacenter "${o.datacenterPath.replace(/^\//, '')}" in --target is not found`,
        names.length ? `Suggested datacenters: ${names.map((n) => `"${n}"`).join(', ')}` : undefined, '--target');
    }
  } else if (all.length <= 1 || o.allDatacenters) {
    datacenters = all;
  } else {
    throw new VchError('usage', `--target names no datacenter and there are ${all.length}`,
      `add one to --target, e.g. ${all.slice(0, 3).map((d) => `https://host${d.path}`).join(', ')}`, '--target', 'datacenter-required');
  }
  const scope: Scope = { session, inventory, finder, datacenters, ...(o.withVms ? { vmsLoaded: true } : {}) };
  if (o.computeResource) {
    const hits = datacenters.flatMap((dc) => finder.findAll('compute', o.computeResource!, dc));
    if (hits.length === 0) {
      const suggestions = datacenters.flatMap((dc) => finder.all('compute', dc)
        .filter((x) => COMPUTE_TYPES.has(x.ref.type))
        .map((x) => finder.relativePath(x, 'compute'))).sort();
      o.log?.('Suggested values for --compute-resource:');
      for (const s of suggestions) o.log?.(`  "${s}"`);
      throw new VchError('not-found', `compute resource '${o.computeResource}' not found`,
        suggestions.length ? `suggested values: ${suggestions.map((s) => `"${s}"`).join(', ')}` : undefined, '--compute-resource');
    }
    const owners = new Map<string, InventoryObject>();
    for (const h of hits) {
      const owner = COMPUTE_TYPES.has(h.ref.type) ? h : ownerOf(inventory, h.ref);
      if (owner) owners.set(`${owner.ref.type}:${owner.ref.value}`, owner);
    }
    if (owners.size !== 1) {
      throw new VchError('usage', `--compute-resource '${o.computeResource}' matches ${hits.length} objects: ${hits.map((h) => `"${finder.relativePath(h, 'compute')}"`).join(', ')}`,
        'give a path that names one', '--compute-resource', 'compute-resource-ambiguous');
    }
    scope.computeResource = [...owners.values()][0]!;
  }
  return scope;
}

function extraConfigOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(v)) return out;
  for (const e of v as { key?: unknown; value?: unknown }[]) {
    if (typeof e?.key !== 'string') continue;
    const val = e.value;
    out[e.key] = val && typeof val === 'object' && 'value' in (val as object) ? String((val as { value: unknown }).value) : String(val ?? '');
  }
  return out;
}

/** Is this VM a VCH (§4.3)? */
export function isVch(vm: Pick<VmRecord, 'ref' | 'extraConfig'>): boolean {
  const id = vm.extraConfig[VCH_ID_KEY];
  return id === `VirtualMachine:${vm.ref.value}` || id === CREATING_VCH;
}

/** Is this VM a container VM (its root executor config has a version, §4.3)? */
export function isContainerVm(vm: Pick<VmRecord, 'extraConfig'>): boolean {
  return Object.keys(vm.extraConfig).some((k) => k.startsWith('guestinfo.vice./version/') || k.startsWith('guestinfo.vice..version/'));
}

export interface ScanResult {
  /** every VM in scope */
  vms: VmRecord[];
  /** the VCHs among them, in discovery order */
  vchs: VchRecord[];
}

/** The VMs the inventory read brought (resolveScope with withVms), in the shape a ContainerView read gives. */
function vmsOfInventory(inventory: Inventory): { ref: MoRef; props: Record<string, unknown> }[] {
  const out: { ref: MoRef; props: Record<string, unknown> }[] = [];
  for (const o of inventory.objects) {
    if (o.ref.type === 'VirtualMachine') out.push({ ref: o.ref, props: { ...o.props, name: o.name, parent: o.parent } });
  }
  return out;
}

/**
 * Every VM in scope with its extraConfig, and the VCHs among them: from the inventory when resolveScope read the VMs
 * already (no round trip), else through one ContainerView.
 */
export async function scanVms(scope: Scope, o: { pageSize?: number } = {}): Promise<ScanResult> {
  const { session, inventory } = scope;
  if (scope.datacenters.length === 0) return { vms: [], vchs: [] };
  const container = scope.datacenters.length === 1 ? scope.datacenters[0]!.ref : session.content.rootFolder;
  const found = scope.vmsLoaded ? vmsOfInventory(inventory)
    : await retrieveFromView(session, container, ['VirtualMachine'], VM_PATHS, o.pageSize ? { pageSize: o.pageSize } : {});
  const dcKeys = new Set(scope.datacenters.map((d) => d.ref.value));
  const vms: VmRecord[] = [];
  const vchs: VchRecord[] = [];
  const seen = new Set<string>();
  for (const { ref, props } of found) {
    if (seen.has(ref.value)) continue;
    seen.add(ref.value);
    const vm: VmRecord = {
      ref,
      name: String(props['name'] ?? ''),
      parent: props['parent'] as MoRef | undefined,
      resourcePool: props['resourcePool'] as MoRef | undefined,
      powerState: String(props['runtime.powerState'] ?? 'unknown'),
      extraConfig: extraConfigOf(props['config.extraConfig']),
    };
    const dc = inventory.datacenterOf(vm.resourcePool ?? vm.parent ?? ref);
    if (dc && !dcKeys.has(dc.ref.value)) continue;
    const owner = ownerOf(inventory, vm.resourcePool);
    if (scope.computeResource && owner?.ref.value !== scope.computeResource.ref.value) continue;
    vms.push(vm);
    if (!isVch(vm)) continue;
    const pool = inventory.get(vm.resourcePool);
    const poolPath = pool?.path ?? '';
    vchs.push({
      ...vm, id: ref.value, creating: vm.extraConfig[VCH_ID_KEY] === CREATING_VCH, poolPath,
      path: poolPath ? dirname(poolPath) : '', datacenter: dc, computeResource: owner,
    });
  }
  return { vms, vchs };
}

export interface FindOneOptions {
  /** --id: the moref value (`vm-73`), `VirtualMachine:vm-73` accepted too */
  id?: string;
  /** --name */
  name?: string;
}

/**
 * The VCH named by --id, or by --name within the scope (--compute-resource). Errors as the original where they are
 * good (`id "x" could not be found`), with the VCHs that do exist otherwise.
 */
export function pickVch(scope: Scope, scan: ScanResult, o: FindOneOptions): VchRecord {
  if (o.id) {
    const id = o.id.replace(/^VirtualMachine:/, '');
    const vch = scan.vchs.find((v) => v.id === id);
    if (vch) return vch;
    const vm = scan.vms.find((v) => v.ref.value === id);
    if (vm) throw new VchError('not-found', `"${vm.name}" (${id}) is not a VCH`, undefined, '--id');
    throw new VchError('not-found', `id "${o.id}" could not be found`, listHint(scan), '--id');
  }
  const name = o.name ?? 'virtual-container-host';
  const hits = scan.vchs.filter((v) => v.name === name);
  if (hits.length === 1) return hits[0]!;
  const where = scope.computeResource ? `compute resource "${scope.computeResource.path}"` : scope.datacenters.length === 1 ? `datacenter "${scope.datacenters[0]!.path}"` : 'any datacenter';
  if (hits.length === 0) {
    const vm = scan.vms.find((v) => v.name === name);
    if (vm) throw new VchError('not-found', `VM "${name}" in ${where} is not a VCH`, listHint(scan), '--name');
    throw new VchError('not-found', `Didn't find VCH "${name}" in ${where}`, listHint(scan), '--name');
  }
  throw new VchError('usage', `${hits.length} VCHs are named "${name}" in ${where}: ${hits.map((h) => `${h.id} (${h.path})`).join(', ')}`,
    'use --id, or --compute-resource to name the one you mean', '--name', 'vch-ambiguous');
}

function listHint(scan: ScanResult): string | undefined {
  if (!scan.vchs.length) return 'no VCHs were found there';
  const shown = scan.vchs.slice(0, 10).map((v) => `${v.name} (--id ${v.id})`);
  return `VCHs found: ${shown.join(', ')}${scan.vchs.length > 10 ? ', ...' : ''}`;
}

/** A VCH's datacenter and that datacenter's datastores by name: where its files are read and written. */
export function placementOf(scope: Scope, vch: VchRecord): { dc: { ref: MoRef; path: string }; datastores: Map<string, MoRef> } {
  const dc = vch.datacenter ?? scope.datacenters[0];
  if (!dc) throw new VchError('internal', `cannot tell which datacenter VCH "${vch.name}" is in`);
  return { dc: { ref: dc.ref, path: dc.path }, datastores: new Map(scope.finder.all('datastore', dc).map((d) => [d.name, d.ref])) };
}

/** The name of a port group the configuration stores by moref (`DistributedVirtualPortgroup:dvportgroup-13`), from the inventory. */
export function networkNameOf(scope: Scope): (moref: string) => string | undefined {
  return (moref) => {
    const i = moref.indexOf(':');
    return i > 0 ? scope.inventory.get({ type: moref.slice(0, i), value: moref.slice(i + 1) })?.name : undefined;
  };
}
