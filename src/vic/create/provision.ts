// Creates a VCH's objects in vSphere, in the order vic-machine 1.5 does (§2.4 of the reference), recording each
// object in a rollback journal: resource pool, bridge vSwitch + port group (ESXi), VM folder (vCenter), appliance VM,
// volume-store folders, ISOs, then the final reconfiguration (CD-ROM, the configuration that names the VM) and
// power-on. Any failure undoes what this run created, newest first, and reports what it removed.
import path from 'node:path';
import { TaskError, VimFault } from '../../vim/faults.js';
import { DatastoreFiles, type TransferProgress } from '../../vim/datastore-files.js';
import {
  AddPortGroup, AddVirtualSwitch, CreateFolder, CreateResourcePool, CreateVM_Task, Destroy_Task, PowerOffVM_Task, PowerOnMultiVM_Task,
  PowerOnVM_Task, ReconfigVM_Task, RemovePortGroup, RemoveVirtualSwitch, UpdateOptions,
} from '../../vim/methods.generated.js';
import { retrieveOne, retrieveProperties } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { DataObject, MoRef } from '../../vim/types.js';
import type { ResourceAllocationInfo, ResourceConfigSpec } from '../../vim/types.generated.js';
import { configurationChanges } from '../config/index.js';
import { encodeCreatedFolders, type CreatedFolder } from '../config/created-folders.js';
import { createVmSpec, finalizeVmSpec, planNics, type NetworkRole, type NicPlan, type PortGroup } from './appliance-spec.js';
import { addVmGroup, removeVmGroup } from '../appliance/vm-group.js';
import { grantOpsUserPermissions, type OpsPermissionTargets } from '../appliance/ops-permissions.js';
import { RollbackJournal, type RollbackReport } from './rollback.js';

export interface Allocation {
  /** MHz or MB; undefined or 0 = unlimited */
  limit?: number | undefined;
  reservation?: number | undefined;
  /** 'low' | 'normal' | 'high' or a share count */
  shares?: string | number | undefined;
}

export interface DatastoreTarget {
  ref: MoRef;
  name: string;
}

export interface ConfigContext {
  vm: MoRef | undefined;
  pool: MoRef;
  folderName: string;
  nics: NicPlan[];
  networks: Partial<Record<NetworkRole, PortGroup>>;
  /** datastore paths of the uploaded ISOs */
  applianceIsoPath: string;
  bootstrapIsoPath: string;
}

export interface ProvisionInput {
  name: string;
  isVC: boolean;
  datacenter: { ref: MoRef; path: string; vmFolder: MoRef };
  /** the pool under which the VCH's own pool is created; or the pool used as is when `usePoolAsIs` (DRS off) */
  parentPool: MoRef;
  usePoolAsIs?: boolean;
  /** the host to place the VM on (ESXi, or a cluster without DRS) */
  host?: MoRef | undefined;
  cpu: Allocation;
  memory: Allocation;
  imageDatastore: DatastoreTarget;
  volumeStores: { datastore: DatastoreTarget; path: string }[];
  networks: Partial<Record<NetworkRole, PortGroup>>;
  /** ESXi: create a vSwitch and port group of this name for the bridge network */
  createBridge?: { hostNetworkSystem: MoRef; host: MoRef; name: string } | undefined;
  /** `--ops-grant-perms`: the ops user and the objects to grant it roles on (the VCH's pool is added here) */
  opsPermissions?: Omit<OpsPermissionTargets, 'vchPool'> | undefined;
  /** `--affinity-vm-group`: the DRS cluster that gets a VM group named after the VCH, holding the appliance */
  affinityVmGroup?: { cluster: MoRef } | undefined;
  /** vCenter: set config.vpxd.SerialPort.PersistNetworkBacking to true first (validation found it unset) */
  setPersistNetworkBacking?: boolean | undefined;
  /** the datacenter's network folder, where a port group created on ESXi appears as a Network */
  networkFolder?: MoRef | undefined;
  isos: { appliance: string; bootstrap: string; version: string };
  cpus: number;
  memoryMB: number;
  alternateGuestName: string;
  /** the VCH configuration as extraConfig, for the given context (called before and after the VM exists) */
  encodeConfig: (ctx: ConfigContext) => Record<string, string>;
  log: (msg: string) => void;
  onUploadProgress?: (file: string, p: TransferProgress) => void;
  signal?: AbortSignal;
}

export interface ProvisionResult {
  vm: MoRef;
  pool: MoRef;
  folder: MoRef | undefined;
  folderName: string;
  extraConfig: Record<string, string>;
  datastore: DatastoreFiles;
  nics: NicPlan[];
  /**
   * Removes the complete VCH again, as a failed provisioning would have: for a create interrupted while it waits
   * for the appliance. The VCH is the caller's once it calls keep() (ready, or kept after a timeout).
   */
  rollback: (log: (line: string) => void) => Promise<RollbackReport>;
  /** The objects now belong to a finished VCH: rollback() does nothing any more. */
  keep: () => void;
}

/** A provisioning failure, after rollback: what failed, and what the rollback removed. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  /** the cause's vSphere fault, so that the exit code follows it (DuplicateName → conflict, NoPermission → ...) */
  readonly faultName: string | undefined;
  constructor(readonly step: string, override readonly cause: Error, readonly rollback: RollbackReport) {
    super(`${step} failed: ${cause.message}`);
    this.faultName = (cause as { faultName?: string }).faultName;
  }
}

function allocation(a: Allocation): ResourceAllocationInfo {
  const shares = a.shares ?? 'normal';
  const level = typeof shares === 'number' || /^\d+$/.test(String(shares)) ? 'custom' : String(shares).toLowerCase();
  // vSphere wants every field set (a bare InvalidArgument otherwise, vic#6250).
  return {
    reservation: a.reservation ?? 0,
    expandableReservation: true,
    limit: a.limit && a.limit > 0 ? a.limit : -1,
    shares: { shares: level === 'custom' ? Number(shares) : 0, level },
  };
}

export function resourceConfigSpec(cpu: Allocation, memory: Allocation): ResourceConfigSpec {
  return { cpuAllocation: allocation(cpu), memoryAllocation: allocation(memory) };
}

export async function provisionVch(session: Session, input: ProvisionInput): Promise<ProvisionResult> {
  const journal = new RollbackJournal();
  const { log } = input;
  let step = 'preparing';
  const phase = (s: string, msg?: string): void => {
    step = s;
    if (msg) log(msg);
  };
  const destroy = (ref: MoRef) => async (): Promise<void> => {
    try {
      await runTask(session, Destroy_Task, { _this: ref });
    } catch (e) {
      if (!(e instanceof VimFault && e.faultName === 'ManagedObjectNotFound')) throw e;
    }
  };
  try {
    // 1. Resource pool
    let pool = input.parentPool;
    if (!input.usePoolAsIs) {
      phase('creating the resource pool', `Creating resource pool "${input.name}"`);
      pool = await adoptOnFailure(CreateResourcePool,
        () => CreateResourcePool(session, { _this: input.parentPool, name: input.name, spec: resourceConfigSpec(input.cpu, input.memory) }),
        () => childNamed(session, input.parentPool, 'resourcePool', input.name),
        (ref) => journal.record(`resource pool "${input.name}"`, destroy(ref)),
      ).catch((e: unknown) => {
        // Validation found no such pool, so another create of this name got there first (the sweep's race case).
        if (e instanceof VimFault && e.faultName === 'DuplicateName') {
          throw new VimFault('DuplicateName', `a resource pool named "${input.name}" appeared since validation (another create of this name?); choose another --name`);
        }
        throw e;
      });
    }

    // 2. Bridge network on ESXi
    const networks = { ...input.networks };
    if (input.createBridge) {
      const b = input.createBridge;
      phase('creating the bridge network', `Creating vSwitch and port group "${b.name}" for the bridge network`);
      await AddVirtualSwitch(session, { _this: b.hostNetworkSystem, vswitchName: b.name, spec: { numPorts: 1024 } });
      journal.record(`vSwitch "${b.name}"`, () => RemoveVirtualSwitch(session, { _this: b.hostNetworkSystem, vswitchName: b.name }).then(() => undefined));
      await AddPortGroup(session, {
        _this: b.hostNetworkSystem,
        portgrp: { name: b.name, vlanId: 1, vswitchName: b.name, policy: {} },
      });
      journal.record(`port group "${b.name}"`, () => RemovePortGroup(session, { _this: b.hostNetworkSystem, pgName: b.name }).then(() => undefined));
      // The new port group appears as a Network in the datacenter's network folder (the simulator does not also
      // add it to the host's network list, as ESXi does, so the folder is where to look).
      const folderRef = input.networkFolder ?? (await retrieveOne<{ networkFolder: MoRef }>(session, input.datacenter.ref, ['networkFolder'])).networkFolder;
      const { childEntity } = await retrieveOne<{ childEntity?: MoRef[] }>(session, folderRef, ['childEntity']);
      const named = await retrieveProperties<{ name: string }>(session, (childEntity ?? []).filter((r) => r.type === 'Network'), ['name']);
      const bridge = named.find((n) => n.props.name === b.name);
      if (!bridge) throw new Error(`the port group "${b.name}" was created but is not in the datacenter's network folder`);
      networks.bridge = { ref: bridge.ref, name: b.name };
    }

    // 3. vCenter's advanced option that keeps the appliance's serial-port (tether) network backing across vMotion, as
    //    vic-machine 1.5 sets it. A global setting that other VCHs rely on too: never reverted by a rollback.
    const settingManager = session.content['setting'] as MoRef | undefined;
    if (input.isVC && input.setPersistNetworkBacking && settingManager) {
      phase('setting the vCenter advanced option', 'Setting vCenter advanced option config.vpxd.SerialPort.PersistNetworkBacking=true');
      await UpdateOptions(session, { _this: settingManager, changedValue: [{ key: 'config.vpxd.SerialPort.PersistNetworkBacking', value: 'true' }] });
    }

    // 3b. VM folder on vCenter
    let folder: MoRef | undefined;
    let vmFolder = input.datacenter.vmFolder;
    if (input.isVC) {
      phase('creating the VM folder', `Creating VM folder "${input.name}"`);
      try {
        folder = await adoptOnFailure(CreateFolder,
          () => CreateFolder(session, { _this: input.datacenter.vmFolder, name: input.name }),
          () => childNamed(session, input.datacenter.vmFolder, 'childEntity', input.name, 'Folder'),
          (ref) => journal.record(`VM folder "${input.name}"`, destroy(ref)));
      } catch (e) {
        if (e instanceof VimFault && e.faultName === 'DuplicateName') {
          throw new VimFault('DuplicateName', `a VM folder named "${input.name}" already exists in ${input.datacenter.path}/vm; choose another --name`);
        }
        throw e;
      }
      vmFolder = folder;
    }

    // 4. Appliance VM (its configuration says "CreatingVCH" until the final reconfiguration)
    const nics = planNics(networks);
    for (const n of nics) if (n.roles.length > 1) log(`Network roles ${n.roles.join(', ')} share the NIC on "${n.portGroup.name}"`);
    const isoName = (kind: 'appliance' | 'bootstrap') => `${input.isos.version}-${kind}.iso`;
    let folderName = input.name;
    const ds = input.imageDatastore;
    const ctx = (vm: MoRef | undefined): ConfigContext => ({
      vm, pool, folderName, nics, networks,
      applianceIsoPath: `[${ds.name}] ${folderName}/${isoName('appliance')}`,
      bootstrapIsoPath: `[${ds.name}] ${folderName}/${isoName('bootstrap')}`,
    });
    phase('creating the appliance VM', `Creating appliance VM "${input.name}"`);
    const initialConfig = input.encodeConfig(ctx(undefined));
    const files = new DatastoreFiles(session, {
      datacenterPath: input.datacenter.path.replace(/^\//, ''), datacenter: input.datacenter.ref,
      datastoreName: ds.name, datastore: ds.ref,
    });
    // Journaled as soon as it exists, also when the answer was lost (found in the pool by name): the VM, then its
    // datastore folder once known (the directory of its .vmx: the VM's name, or a uuid on vSAN).
    let folderKnown = false;
    const vm = await adoptOnFailure(CreateVM_Task,
      () => runTask(session, CreateVM_Task, {
        _this: vmFolder,
        config: createVmSpec({
          name: input.name, datastoreName: ds.name, folderName, cpus: input.cpus, memoryMB: input.memoryMB,
          nics, extraConfig: initialConfig, alternateGuestName: input.alternateGuestName,
        }),
        pool, host: input.host,
      }, { signal: input.signal }),
      () => childNamed(session, pool, 'vm', input.name),
      (ref) => journal.record(`appliance VM "${input.name}"`, async () => {
        await runTask(session, PowerOffVM_Task, { _this: ref }).catch(() => undefined);
        await destroy(ref)();
        // vSphere removes the files it knows with the VM; anything else in its folder (the ISOs) goes here.
        if (folderKnown) await files.remove(folderName).catch((e: unknown) => { if (!(e instanceof VimFault && e.faultName === 'FileNotFound')) throw e; });
      }));
    const vmProps = await retrieveOne<{ 'config.files.vmPathName': string; 'config.hardware.device': DataObject[] }>(
      session, vm, ['config.files.vmPathName', 'config.hardware.device']);
    folderName = path.posix.dirname(vmProps['config.files.vmPathName'].replace(/^\[[^\]]*\]\s*/, '')) || input.name;
    folderKnown = true;

    // 5. Volume-store folders (only those this run creates are removed on failure). MakeDirectory makes the missing
    //    parents too: the topmost folder that did not exist is what this run made, so that is what a failure removes,
    //    and one above the store's own folder is recorded for delete (src/vic/config/created-folders.ts). Finding it
    //    costs a HEAD per missing parent, none for a store whose parent exists.
    const createdAbove: CreatedFolder[] = [];
    for (const vs of input.volumeStores) {
      phase(`creating volume store folder [${vs.datastore.name}] ${vs.path}`);
      const vf = new DatastoreFiles(session, { ...files.ref, datastoreName: vs.datastore.name, datastore: vs.datastore.ref });
      if (await vf.exists(vs.path)) continue;
      let top = vs.path;
      for (let parent = path.posix.dirname(top); parent !== '.' && parent !== '/' && parent !== ''; parent = path.posix.dirname(parent)) {
        if (await vf.exists(parent)) break;
        top = parent;
      }
      log(`Creating directory [${vs.datastore.name}] ${vs.path}`);
      await vf.mkdir(vs.path);
      journal.record(`volume store folder [${vs.datastore.name}] ${top}`, () => vf.remove(top));
      const inRecorded = createdAbove.some((c) => c.datastore === vs.datastore.name && top.startsWith(`${c.path}/`));
      if (top !== vs.path && !inRecorded) createdAbove.push({ datastore: vs.datastore.name, path: top });
    }

    // 6. ISOs, in parallel
    phase('uploading the ISO images', 'Uploading ISO images');
    await Promise.all((['appliance', 'bootstrap'] as const).map(async (kind) => {
      const local = input.isos[kind];
      log(`Uploading ${path.basename(local)} as ${isoName(kind)}`);
      await files.upload(local, `${folderName}/${isoName(kind)}`, {
        onProgress: (p) => input.onUploadProgress?.(isoName(kind), p), signal: input.signal,
      });
    }));

    // 7. Final reconfiguration: CD-ROM, and the configuration that names the VM
    phase('configuring the appliance VM');
    const ide = vmProps['config.hardware.device'].find((d) => d._type === 'VirtualIDEController');
    if (!ide) throw new Error('the appliance VM has no IDE controller for its CD-ROM');
    const finalConfig = input.encodeConfig(ctx(vm));
    await runTask(session, ReconfigVM_Task, {
      _this: vm,
      spec: finalizeVmSpec({
        ideControllerKey: ide['key'] as number,
        isoPath: ctx(vm).applianceIsoPath,
        extraConfigChanges: { ...configurationChanges(initialConfig, finalConfig), ...encodeCreatedFolders(createdAbove) },
      }),
    }, { signal: input.signal });

    // 8. The ops user's roles and permissions (--ops-grant-perms)
    if (input.opsPermissions) {
      phase('granting the ops user its permissions', `Granting ops user ${input.opsPermissions.opsUser} the VCH's roles and permissions`);
      const granted = await grantOpsUserPermissions(session, { ...input.opsPermissions, vchPool: pool }, journal);
      for (const w of granted.skipped ?? []) log(w);
      if (granted.createdRoles.length) log(`Created roles ${granted.createdRoles.join(', ')}`);
    }

    // 9. The DRS VM group named after the VCH (--affinity-vm-group); container VMs join it as they are created
    if (input.affinityVmGroup) {
      const cluster = input.affinityVmGroup.cluster;
      phase('creating the DRS VM group', `Creating DRS VM group "${input.name}"`);
      await addVmGroup(session, cluster, input.name, [vm], input.signal);
      journal.record(`DRS VM group "${input.name}"`, () => removeVmGroup(session, cluster, input.name));
    }

    // 10. Power on
    phase('powering on the appliance VM', 'Powering on the appliance VM');
    await powerOn(session, input, vm);
    // A signal that arrived while the power-on call was held still rolls back: the call itself cannot be recalled.
    input.signal?.throwIfAborted();
    return {
      vm, pool, folder, folderName, extraConfig: finalConfig, datastore: files, nics,
      rollback: (say) => journal.rollback((what, err) => say(err ? `  could not remove ${what}: ${err.message}` : `  removed ${what}`)),
      keep: () => journal.commit(),
    };
  } catch (e) {
    const cause = e as Error;
    if (journal.recorded.length) log(`Create failed while ${step}: ${cause.message}. Removing what this run created:`);
    const report = await journal.rollback((what, err) => log(err ? `  could not remove ${what}: ${err.message}` : `  removed ${what}`));
    throw new ProvisionError(step, cause, report);
  }
}

/**
 * Runs a call that creates an object and journals the object; when the call fails without an answer (its answer or
 * its task's result lost, the connection dropped after the server acted), looks the object up by name and journals it
 * all the same, so that the rollback removes it. The failure is rethrown either way.
 */
async function adoptOnFailure(method: { readonly vimMethod: string }, create: () => Promise<MoRef>, find: () => Promise<MoRef | undefined>, record: (ref: MoRef) => void): Promise<MoRef> {
  let ref: MoRef;
  try {
    ref = await create();
  } catch (e) {
    // A fault of the call itself, or its task's error, is vSphere's answer that it did not make the object
    // (DuplicateName: it is someone else's, e.g. a concurrent create's, and must not be removed); a lost answer, or a
    // failed read while following the task, leaves the outcome open.
    if (e instanceof TaskError || (e instanceof VimFault && e.method === method.vimMethod)) throw e;
    const found = await find().catch(() => undefined);
    if (found) record(found);
    throw e;
  }
  record(ref);
  return ref;
}

/** The child of `parent` (through its `prop` list) named `name`, if any (two round trips). */
async function childNamed(session: Session, parent: MoRef, prop: 'resourcePool' | 'childEntity' | 'vm', name: string, type?: string): Promise<MoRef | undefined> {
  const p = await retrieveOne<Record<string, MoRef[] | undefined>>(session, parent, [prop]);
  const refs = (p[prop] ?? []).filter((r) => !type || r.type === type);
  if (!refs.length) return undefined;
  const named = await retrieveProperties<{ name: string }>(session, refs, ['name']);
  return named.find((n) => n.props.name === name)?.ref;
}

/**
 * vCenter: Datacenter.PowerOnMultiVM_Task with fully automated placement (works whatever the cluster's DRS mode);
 * ESXi: PowerOnVM_Task. Where the task result is empty (the simulator), the VM's power state decides.
 */
async function powerOn(session: Session, input: ProvisionInput, vm: MoRef): Promise<void> {
  if (!input.isVC) {
    await runTask(session, PowerOnVM_Task, { _this: vm }, { signal: input.signal });
    return;
  }
  const res = await runTask(session, PowerOnMultiVM_Task, {
    _this: input.datacenter.ref, vm: [vm],
    option: [{ key: 'OverrideAutomationLevel', value: 'fullyAutomated' }],
  }, { signal: input.signal });
  const failed = res?.notAttempted?.[0];
  if (failed) throw new Error(`vCenter did not power on the appliance: ${failed.fault?.localizedMessage ?? 'no reason given'}`);
  if (!res?.attempted?.length) {
    const { 'runtime.powerState': state } = await retrieveOne<{ 'runtime.powerState': string }>(session, vm, ['runtime.powerState']);
    if (state !== 'poweredOn') throw new Error(`the appliance VM is ${state} after power-on`);
  }
}
