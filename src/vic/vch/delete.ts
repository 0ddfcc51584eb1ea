// `delete` (reference §5.1): removes a VCH and what it made, in an order that lets an interrupted delete be finished
// by running it again — the appliance VM (through which the VCH is found) goes last but for its folder and pool:
//   1. version gate (VIC Engine 1.5 VCHs; others only with --force)
//   2. container VMs of this VCH (its VM folder, or its pool when it has no folder of its own); powered-on ones are
//      refused without --force, before anything is removed
//   3. image stores (<store>/VIC/<appliance uuid>, <store>/kvStores)
//   4. volume stores: kept unless --force, and the delete says which; with --force also the folders create made
//      above them (recorded in the VM, src/vic/config/created-folders.ts) when they are empty, never one it did not make
//   5. the bridge port group and vSwitch (ESXi, when create made them)
//   6. the appliance VM (powered off first) and its datastore folder
//   7. the VM folder (when empty), the VCH's own resource pool or vApp (never the cluster's root pool; when empty)
// ManagedObjectNotFound / FileNotFound while removing mean "already gone". A half-made VCH (id CreatingVCH) is
// deleted the same way. deleteLeftovers() removes the pool and folder a delete interrupted after step 6 left.
import path from 'node:path';
import { DeleteDatastoreFile_Task, Destroy_Task, PowerOffVM_Task, RemovePortGroup, RemoveVirtualSwitch } from '../../vim/methods.generated.js';
import { DatastoreFiles } from '../../vim/datastore-files.js';
import { VimFault } from '../../vim/faults.js';
import type { InventoryObject } from '../../vim/inventory.js';
import { retrieveOne } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';
import { decodeVchConfigDetailed, shortVersion, type GoURL, type VirtualContainerHostConfigSpec } from '../config/index.js';
import { decodeCreatedFolders, type CreatedFolder } from '../config/created-folders.js';
import { datastoreLocationOfUrl, type DatastoreLocation } from '../spec/values/datastore-location.js';
import { VchError } from './errors.js';
import { holderSessionActive, lockState } from '../maintenance/lock.js';
import { removeVmGroup as removeGroup } from '../appliance/vm-group.js';
import { isContainerVm, isVch, ownerOf, type ScanResult, type Scope, type VchRecord } from './find.js';

export interface DeleteLog {
  info(m: string): void;
  warn(m: string): void;
}

export interface DeleteVchOptions {
  force: boolean;
  /** power off and remove powered-on container VMs (default: force); vic-machine-server's `containers: all` */
  powerOffContainers?: boolean;
  /** remove the volume stores (default: force); vic-machine-server's `volume_stores: all` */
  removeVolumeStores?: boolean;
  log: DeleteLog;
  signal?: AbortSignal;
}

export interface DeleteReport {
  id: string;
  name: string;
  /** what was removed, in order ("VM \"c1\"", "datastore folder [LocalDS_0] vch1", "resource pool \"vch1\"", ...) */
  removed: string[];
  /** what was left in place on purpose (volume stores without --force, non-empty folders or pools, the root pool) */
  kept: string[];
  /** what was already gone */
  alreadyGone: string[];
}

/** Inventory properties delete needs (pass as extraPaths when resolving the scope). */
export const DELETE_INVENTORY_PATHS: Partial<Record<string, string[]>> = {
  Datacenter: ['vmFolder'], ClusterComputeResource: ['resourcePool'], ComputeResource: ['resourcePool'],
};

function isGone(e: unknown): boolean {
  return e instanceof VimFault && (e.faultName === 'ManagedObjectNotFound' || e.faultName === 'FileNotFound');
}

/** VCHs this installer deletes without --force: VIC Engine 1.5 (the configuration layout it reads and writes). */
export function supportedVersion(config: VirtualContainerHostConfigSpec, creating: boolean): boolean {
  const v = config.executorConfig.version;
  if (!v) return creating;
  return /^v1\.5\./i.test(v.version);
}

interface Ctx {
  session: Session;
  scope: Scope;
  report: DeleteReport;
  log: DeleteLog;
  force: boolean;
  dc: InventoryObject;
  datastores: Map<string, MoRef>;
  signal?: AbortSignal;
}

function files(c: Ctx, datastoreName: string): DatastoreFiles | undefined {
  const ds = c.datastores.get(datastoreName);
  if (!ds) return undefined;
  return new DatastoreFiles(c.session, { datacenterPath: c.dc.path.replace(/^\//, ''), datacenter: c.dc.ref, datastoreName, datastore: ds });
}

async function removeDatastorePath(c: Ctx, datastoreName: string, p: string, what?: string): Promise<void> {
  const label = what ?? `datastore folder [${datastoreName}] ${p}`;
  if (!p || p === '.' || p === '/') throw new VchError('internal', `refusing to remove datastore files for path "${p}" on datastore "${datastoreName}"`);
  const fm = c.session.content.fileManager;
  if (!c.datastores.has(datastoreName) || !fm) {
    c.log.warn(`Datastore "${datastoreName}" not found; ${label} not removed`);
    c.report.kept.push(label);
    return;
  }
  try {
    await runTask(c.session, DeleteDatastoreFile_Task, { _this: fm, name: `[${datastoreName}] ${p}`, datacenter: c.dc.ref });
    c.report.removed.push(label);
  } catch (e) {
    if (!isGone(e)) throw e;
    c.report.alreadyGone.push(label);
  }
}

async function destroy(c: Ctx, ref: MoRef, label: string): Promise<void> {
  try {
    await runTask(c.session, Destroy_Task, { _this: ref }, c.signal ? { signal: c.signal } : {});
    c.report.removed.push(label);
  } catch (e) {
    if (!isGone(e)) throw e;
    c.report.alreadyGone.push(label);
  }
}

async function powerOff(c: Ctx, ref: MoRef): Promise<void> {
  try {
    await runTask(c.session, PowerOffVM_Task, { _this: ref }, c.signal ? { signal: c.signal } : {});
  } catch (e) {
    if (isGone(e) || (e instanceof VimFault && e.faultName === 'InvalidPowerState')) return;
    throw e;
  }
}

interface VmFiles { vmPathName?: string; uuid?: string }

async function vmFiles(c: Ctx, ref: MoRef): Promise<VmFiles | undefined> {
  try {
    const p = await retrieveOne<Record<string, unknown>>(c.session, ref, ['config.files.vmPathName', 'config.uuid']);
    return { vmPathName: p['config.files.vmPathName'] as string | undefined, uuid: p['config.uuid'] as string | undefined };
  } catch (e) {
    if (isGone(e)) return undefined;
    throw e;
  }
}

function splitDsPath(p: string | undefined): { datastore: string; dir: string } | undefined {
  const m = p ? /^\[([^\]]+)\]\s*(.*)$/.exec(p) : null;
  if (!m) return undefined;
  const dir = path.posix.dirname(m[2]!);
  return dir && dir !== '.' ? { datastore: m[1]!, dir } : undefined;
}

/** The place on a datastore of a store's URL (volume stores `ds://<ds>/[<ds>] <path>`, image stores `ds://<ds>/<path>`). */
function dsUrl(u: GoURL): DatastoreLocation | undefined {
  return u.scheme === 'ds' ? datastoreLocationOfUrl(u) : undefined;
}

function goUrlText(u: GoURL): string {
  return `${u.scheme}://${u.host}${u.path.startsWith('/') || !u.path ? '' : '/'}${u.path}${u.rawQuery ? `?${u.rawQuery}` : ''}`;
}

export async function deleteVch(session: Session, scope: Scope, scan: ScanResult, vch: VchRecord, o: DeleteVchOptions): Promise<DeleteReport> {
  const { log, force } = o;
  const { config } = decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false });
  const report: DeleteReport = { id: vch.id, name: vch.name, removed: [], kept: [], alreadyGone: [] };
  const dc = vch.datacenter ?? scope.datacenters[0];
  if (!dc) throw new VchError('not-found', `cannot tell which datacenter VCH "${vch.name}" is in`);
  const datastores = new Map<string, MoRef>();
  for (const d of scope.finder.all('datastore', dc)) datastores.set(d.name, d.ref);
  const c: Ctx = { session, scope, report, log, force, dc, datastores, ...(o.signal ? { signal: o.signal } : {}) };

  // 1. version gate
  if (!supportedVersion(config, vch.creating)) {
    const msg = `VCH version "${shortVersion(config.executorConfig.version)}" is not supported by this installer, which deletes VCHs of VIC Engine 1.5 (v1.5.x)`;
    if (!force) throw new VchError('conflict', `${msg}. Upgrade VCH before deleting or specify --force to force delete`, undefined, '--force');
    log.warn(`${msg}. Force delete will attempt to remove everything related to the installed VCH`);
  }
  // 1b. an upgrade or configure holding the lock: deleting under it leaves that run reverting a VM that is gone
  const lock = lockState(vch.extraConfig);
  if (lock.held) {
    const stale = (await holderSessionActive(session, lock)) === false;
    const who = lock.info ? ` (${lock.info})` : '';
    const msg = stale ? `VCH "${vch.name}" is locked by an upgrade/configure whose vSphere session has ended${who}`
      : `an upgrade/configure is in progress on VCH "${vch.name}"${who}`;
    if (!force) throw new VchError('conflict', msg, stale ? 'specify --force to delete it anyway' : 'wait for it to finish, or specify --force to delete it anyway', '--force');
    log.warn(`${msg}: deleting it anyway (--force)`);
  }
  log.info(`VCH ID: VirtualMachine:${vch.id}`);
  const applianceFiles = await vmFiles(c, vch.ref);

  // 2. container VMs
  const vmFolder = dc.props?.['vmFolder'] as MoRef | undefined;
  const ownFolder = vch.parent && vch.parent.type === 'Folder' && vch.parent.value !== vmFolder?.value ? vch.parent : undefined;
  const containers = scan.vms.filter((v) => v.ref.value !== vch.ref.value && !isVch(v) && isContainerVm(v) &&
    (ownFolder ? v.parent?.value === ownFolder.value : v.resourcePool?.value === vch.resourcePool?.value));
  log.info('Removing VMs');
  const on = containers.filter((v) => v.powerState === 'poweredOn');
  if (on.length && !(o.powerOffContainers ?? force)) {
    throw new VchError('conflict', `${on.map((v) => `VM "${v.name}" is powered on`).join(', ')}`, 'Specify --force to force delete (powered-on containers are powered off)', '--force');
  }
  await Promise.all(containers.map(async (v) => {
    const f = await vmFiles(c, v.ref);
    if (v.powerState !== 'poweredOff') await powerOff(c, v.ref);
    await destroy(c, v.ref, `container VM "${v.name}"`);
    const dir = splitDsPath(f?.vmPathName);
    if (dir) await removeDatastorePath(c, dir.datastore, dir.dir);
  }));

  // 3. image stores
  log.info('Removing image stores');
  const applianceDir = splitDsPath(applianceFiles?.vmPathName);
  for (const u of config.storage.imageStores) {
    const s = dsUrl(u);
    if (!s) continue;
    if (applianceFiles?.uuid) await removeDatastorePath(c, s.datastore, path.posix.join(s.path, 'VIC', applianceFiles.uuid), `image store [${s.datastore}] ${path.posix.join(s.path, 'VIC', applianceFiles.uuid)}`);
    await removeDatastorePath(c, s.datastore, path.posix.join(s.path, 'kvStores'), `key/value store [${s.datastore}] ${path.posix.join(s.path, 'kvStores')}`);
    const f = files(c, s.datastore);
    if (f && s.path && (await f.list(path.posix.join(s.path, 'VIC'))).length === 0) await removeDatastorePath(c, s.datastore, path.posix.join(s.path, 'VIC'));
    // A store directory of its own (not the appliance's folder, removed with the VM) goes when nothing else is in it.
    if (f && s.path && !(applianceDir && applianceDir.datastore === s.datastore && applianceDir.dir === s.path) && (await f.list(s.path)).length === 0) {
      await removeDatastorePath(c, s.datastore, s.path);
    }
  }

  // 4. volume stores
  const volumes = Object.entries(config.storage.volumeLocations);
  const removedStores: CreatedFolder[] = [];
  if (volumes.length) {
    if (!(o.removeVolumeStores ?? force)) {
      const ds = volumes.filter(([, u]) => u.scheme === 'ds').map(([l, u]) => { const s = dsUrl(u)!; return `\t${l}: [${s.datastore}] ${s.path}`; });
      const nfs = volumes.filter(([, u]) => u.scheme !== 'ds').map(([l, u]) => `\t${l}: ${goUrlText(u)}`);
      log.warn(`Since --force was not specified, the following volume stores will not be removed. Use the vSphere UI or supplied nfs targets to delete content you do not wish to keep.\n vsphere volumestores:\n${ds.join('\n')}\n\n NFS volumestores:\n${nfs.join('\n')}\n`);
      for (const [l, u] of volumes) report.kept.push(`volume store "${l}" ${goUrlText(u)}`);
    } else {
      log.info('Removing volume stores');
      for (const [label, u] of volumes) {
        const s = dsUrl(u);
        if (!s) {
          log.warn(`Cannot delete VolumeStore (${goUrlText(u)}). It may not be reachable by vic-machine and has been skipped by the delete process.`);
          report.kept.push(`volume store "${label}" ${goUrlText(u)}`);
          continue;
        }
        const p = s.path === 'VIC' || s.path === '' ? 'VIC/volumes' : s.path;
        log.info(`Deleting volume store "${label}" on Datastore "${s.datastore}" at path "${p}"`);
        await removeDatastorePath(c, s.datastore, p, `volume store "${label}" [${s.datastore}] ${p}`);
        removedStores.push({ datastore: s.datastore, path: p });
      }
      await removeCreatedParents(c, decodeCreatedFolders(vch.extraConfig), removedStores);
    }
  }

  // 5. the appliance: power off; the bridge network it created (ESXi)
  log.info('Powering off the appliance VM');
  if (vch.powerState !== 'poweredOff') await powerOff(c, vch.ref);
  if (!session.isVC && config.createBridgeNetwork && config.network.bridgeNetwork) {
    const host = scope.finder.all('host', dc)[0];
    const ns = host ? (await retrieveOne<Record<string, unknown>>(session, host.ref, ['configManager.networkSystem']))['configManager.networkSystem'] as MoRef | undefined : undefined;
    const name = config.network.bridgeNetwork;
    if (ns) {
      const removals = [
        ['Portgroup', () => RemovePortGroup(session, { _this: ns, pgName: name })],
        ['VirtualSwitch', () => RemoveVirtualSwitch(session, { _this: ns, vswitchName: name })],
      ] as const;
      for (const [label, remove] of removals) {
        log.info(`Removing ${label} "${name}"`);
        try {
          await remove();
          report.removed.push(`${label === 'Portgroup' ? 'port group' : 'vSwitch'} "${name}"`);
        } catch (e) {
          if (!(e instanceof VimFault && (e.faultName === 'NotFound' || e.faultName === 'ManagedObjectNotFound'))) throw e;
          report.alreadyGone.push(`${label === 'Portgroup' ? 'port group' : 'vSwitch'} "${name}"`);
        }
      }
    }
  } else if (!session.isVC) {
    log.info('Bridge network was not created during VCH deployment, leaving it there');
  }

  // 5b. the DRS VM group create made for --affinity-vm-group; before the appliance, through which a re-run of an
  //     interrupted delete finds the VCH (and so the group)
  if (session.isVC && config.container.useVMGroup && config.container.vmGroupName) {
    await removeVmGroup(c, vch, config.container.vmGroupName);
  }

  // 6. the appliance VM and its datastore folder
  log.info('Removing appliance VM');
  await destroy(c, vch.ref, `appliance VM "${vch.name}"`);
  if (applianceDir) await removeDatastorePath(c, applianceDir.datastore, applianceDir.dir);

  // 7. VM folder and resource pool
  if (ownFolder) await removeFolderIfEmpty(c, ownFolder, scope.inventory.get(ownFolder)?.path ?? vch.name);
  const pool = vch.resourcePool;
  if (pool) await removePoolIfOwn(c, pool, scope.inventory.get(pool)?.name ?? vch.name);
  return report;
}

/**
 * The folders create made above the removed volume stores, deepest first, each when it is empty (what is in it now is
 * someone else's). Only recorded folders that hold one of this VCH's volume stores count: a record naming anything
 * else is not acted on.
 */
async function removeCreatedParents(c: Ctx, created: readonly CreatedFolder[], stores: readonly CreatedFolder[]): Promise<void> {
  const dirs = new Map<string, CreatedFolder>();
  for (const s of stores) {
    for (const r of created) {
      if (r.datastore !== s.datastore || !s.path.startsWith(`${r.path}/`)) continue;
      for (let d = path.posix.dirname(s.path); d === r.path || d.startsWith(`${r.path}/`); d = path.posix.dirname(d)) {
        dirs.set(`[${s.datastore}] ${d}`, { datastore: s.datastore, path: d });
      }
    }
  }
  const deepestFirst = [...dirs.values()].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (const d of deepestFirst) {
    const f = files(c, d.datastore);
    if (!f) continue;
    const left = await f.list(d.path);
    if (left.length) {
      c.log.warn(`Folder [${d.datastore}] ${d.path}, made by create for a volume store, is not empty and will not be removed`);
      c.report.kept.push(`datastore folder [${d.datastore}] ${d.path}`);
      continue;
    }
    c.log.info(`Removing folder [${d.datastore}] ${d.path}, made by create for a volume store`);
    await removeDatastorePath(c, d.datastore, d.path);
  }
}

async function removeVmGroup(c: Ctx, vch: VchRecord, group: string): Promise<void> {
  const cluster = ownerOf(c.scope.inventory, vch.resourcePool);
  if (!cluster || cluster.ref.type !== 'ClusterComputeResource') return;
  const { configurationEx } = await retrieveOne<{ configurationEx?: { group?: { name: string }[] } }>(c.session, cluster.ref, ['configurationEx']);
  if (!(configurationEx?.group ?? []).some((g) => g.name === group)) {
    c.report.alreadyGone.push(`DRS VM group "${group}"`);
    return;
  }
  c.log.info(`Removing DRS VM group "${group}"`);
  await removeGroup(c.session, cluster.ref, group);
  c.report.removed.push(`DRS VM group "${group}"`);
}

async function removeFolderIfEmpty(c: Ctx, folder: MoRef, label: string): Promise<void> {
  let children: MoRef[];
  try {
    children = ((await retrieveOne<Record<string, unknown>>(c.session, folder, ['childEntity']))['childEntity'] as MoRef[] | undefined) ?? [];
  } catch (e) {
    if (isGone(e)) { c.report.alreadyGone.push(`VM folder ${label}`); return; }
    throw e;
  }
  if (children.length) {
    c.log.warn(`Folder(${label}) is not empty and will not be removed`);
    c.report.kept.push(`VM folder ${label}`);
    return;
  }
  c.log.info(`Removing VM folder "${label}"`);
  await destroy(c, folder, `VM folder ${label}`);
}

async function removePoolIfOwn(c: Ctx, pool: MoRef, name: string): Promise<void> {
  const owner = ownerOf(c.scope.inventory, pool);
  const root = owner?.props?.['resourcePool'] as MoRef | undefined;
  if (!owner || !root || root.value === pool.value) {
    c.log.warn('VCH resource pool is cluster default pool - skipping delete');
    c.report.kept.push(`resource pool "${name}" (the compute resource's root pool)`);
    return;
  }
  let p: Record<string, unknown>;
  try {
    p = await retrieveOne<Record<string, unknown>>(c.session, pool, ['vm', 'resourcePool']);
  } catch (e) {
    if (isGone(e)) { c.report.alreadyGone.push(`resource pool "${name}"`); return; }
    throw e;
  }
  const vms = (p['vm'] as MoRef[] | undefined) ?? [];
  const pools = (p['resourcePool'] as MoRef[] | undefined) ?? [];
  if (vms.length || pools.length) {
    c.log.warn(`VCH resource pool is not removed: resource pool ${name} is not empty (has ${vms.length} VMs${pools.length ? `, ${pools.length} pools` : ''})`);
    c.report.kept.push(`resource pool "${name}"`);
    return;
  }
  c.log.info(`Removing Resource Pool "${name}"`);
  await destroy(c, pool, `resource pool "${name}"`);
}

/**
 * When no VCH VM named `name` exists any more: the empty resource pool (directly below a compute resource's root
 * pool) and the empty VM folder (directly in the datacenter's VM folder) of that name, which a delete interrupted after
 * removing the appliance left. Returns undefined when there is nothing of the kind.
 */
export async function deleteLeftovers(session: Session, scope: Scope, name: string, log: DeleteLog): Promise<DeleteReport | undefined> {
  const report: DeleteReport = { id: '', name, removed: [], kept: [], alreadyGone: [] };
  const inv = scope.inventory;
  const dcs = scope.datacenters;
  const pools = [...inv.objects].filter((o) => (o.ref.type === 'ResourcePool' || o.ref.type === 'VirtualApp') && o.name === name).filter((o) => {
    const owner = ownerOf(inv, o.ref);
    const root = owner?.props?.['resourcePool'] as MoRef | undefined;
    if (!owner || !root || o.parent?.value !== root.value) return false;
    if (scope.computeResource && owner.ref.value !== scope.computeResource.ref.value) return false;
    return dcs.some((d) => inv.datacenterOf(o.ref)?.ref.value === d.ref.value);
  });
  const folders = [...inv.objects].filter((o) => o.ref.type === 'Folder' && o.name === name)
    .filter((o) => dcs.some((d) => (d.props?.['vmFolder'] as MoRef | undefined)?.value === o.parent?.value));
  if (!pools.length && !folders.length) return undefined;
  const dc = dcs[0]!;
  const c: Ctx = { session, scope, report, log, force: false, dc, datastores: new Map() };
  log.warn(`No VCH named "${name}" exists any more; removing what an interrupted delete left`);
  for (const f of folders) await removeFolderIfEmpty(c, f.ref, f.path);
  for (const p of pools) await removePoolIfOwn(c, p.ref, p.name);
  return report;
}
