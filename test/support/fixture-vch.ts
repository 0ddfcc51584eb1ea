// Recreates, in the simulator, a VCH the way vic-machine 1.5.8 left it (../shared/fixtures/vic-machine-1.5.8/<name>):
// its resource pool, its VM folder, the appliance VM with the recorded extraConfig (the VCH id rewritten to the new
// VM's moref), its datastore files; and reads the original's transcripts. Used by the interoperability tests.
import fs from 'node:fs';
import path from 'node:path';
import { CreateFolder, CreateResourcePool, CreateVM_Task, PowerOnVM_Task, ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import type { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';
import { runTask } from '../../src/vim/task.js';
import { DatastoreFiles } from '../../src/vim/datastore-files.js';
import type { DataObject, MoRef } from '../../src/vim/types.js';
import type { ResourceAllocationInfo } from '../../src/vim/types.generated.js';
import { retrieveOne } from '../../src/vim/property-collector.js';

export const FIXTURES = '/work/shared/fixtures/vic-machine-1.5.8';
export const haveFixtures = fs.existsSync(path.join(FIXTURES, 'basic', 'extraconfig.running.json'));

export interface Dc0 { ref: MoRef; vmFolder: MoRef; datastore: MoRef; clusterPool: MoRef; host: MoRef }

/** The default simulator model's datacenter DC0, its cluster's root pool and first host, and LocalDS_0. */
export async function dc0(admin: Session): Promise<Dc0> {
  const inv = await loadInventory(admin, { extraPaths: { Datacenter: ['vmFolder'], ClusterComputeResource: ['resourcePool', 'host'] } });
  const dc = inv.byInventoryPath('/DC0')!;
  const cluster = inv.byInventoryPath('/DC0/host/DC0_C0')!;
  return {
    ref: dc.ref, vmFolder: dc.props!['vmFolder'] as MoRef, datastore: inv.byInventoryPath('/DC0/datastore/LocalDS_0')!.ref,
    clusterPool: cluster.props!['resourcePool'] as MoRef, host: (cluster.props!['host'] as MoRef[])[0]!,
  };
}

/** What `govc find` listed in the fixtures: VM, pool and folder paths under /DC0/vm and /DC0/host. */
export async function inventoryPaths(admin: Session): Promise<string[]> {
  const inv = await loadInventory(admin, { includeVMs: true });
  return [...inv.objects].filter((o) => ['VirtualMachine', 'ResourcePool', 'Folder'].includes(o.ref.type))
    .map((o) => o.path).filter((p) => p.startsWith('/DC0/vm/') || p.startsWith('/DC0/host/')).sort();
}

/** What a fixture's pool.txt and create flags say about the pool and the appliance VM (defaults otherwise). */
const FIXTURE_SIZES: Record<string, { cpu: ResourceAllocationInfo; memory: ResourceAllocationInfo; numCPUs: number; memoryMB: number }> = {
  rich: {
    cpu: { reservation: 512, expandableReservation: true, limit: 10000, shares: { shares: 8000, level: 'high' } },
    memory: { reservation: 512, expandableReservation: true, limit: 8000, shares: { shares: 6000, level: 'custom' } },
    numCPUs: 2, memoryMB: 4096,
  },
};
const DEFAULT_SIZES = {
  cpu: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 4000, level: 'normal' } },
  memory: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 163840, level: 'normal' } },
  numCPUs: 1, memoryMB: 2048,
};

/** Recreates a fixture VCH the way vic-machine 1.5.8 left it. Returns the appliance VM. */
export async function recreateFixture(admin: Session, fixture: string, name: string): Promise<MoRef> {
  const dc = await dc0(admin);
  const ec = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
  const size = FIXTURE_SIZES[fixture] ?? DEFAULT_SIZES;
  const pool = await CreateResourcePool(admin, {
    _this: dc.clusterPool, name, spec: { cpuAllocation: size.cpu, memoryAllocation: size.memory },
  });
  const folder = await CreateFolder(admin, { _this: dc.vmFolder, name });
  const { ['guestinfo.vice./init/common/id']: _id, ...rest } = ec;
  const vm = await runTask(admin, CreateVM_Task, {
    _this: folder,
    config: {
      name, guestId: 'otherGuest64', files: { vmPathName: '[LocalDS_0]' }, numCPUs: size.numCPUs, memoryMB: size.memoryMB,
      extraConfig: Object.entries({ ...rest, 'guestinfo.vice./init/common/id': 'CreatingVCH' }).map(([key, value]) => ({ key, value })),
    },
    pool, host: dc.host,
  });
  await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.vice./init/common/id', value: `VirtualMachine:${vm.value}` }] } });
  const files = new DatastoreFiles(admin, { datacenterPath: 'DC0', datacenter: dc.ref, datastoreName: 'LocalDS_0', datastore: dc.datastore });
  for (const f of ['V1.5.8-1-9489F63-appliance.iso', 'V1.5.8-1-9489F63-bootstrap.iso', 'vic-machine_2026-11-22T22:08:40Z_create_23682.1.log']) {
    await files.uploadBuffer(`fixture ${f}`, `${name}/${f}`);
  }
  await runTask(admin, PowerOnVM_Task, { _this: vm });
  return vm;
}

/** The facts of a logrus transcript: the message of every info/warning line, in order, minus the simulator noise. */
export function factsOf(out: string): string[] {
  return out.split('\n').map((l) => /msg="((?:[^"\\]|\\.)*)"|msg=(\S+)/.exec(l)).filter((m): m is RegExpExecArray => !!m)
    .map((m) => (m[1] ?? m[2]!).replace(/\\"/g, '"'))
    .filter((s) => !/^Disabling .* collection/.test(s));
}

/**
 * A CD-ROM with the fixture's appliance ISO on a recreated fixture VM (the original's appliance boots from one; the
 * recreated VM has none), as upgrade expects of a VCH.
 */
export async function attachFixtureIso(admin: Session, vm: MoRef, name: string): Promise<void> {
  const { 'config.hardware.device': devices } = await retrieveOne<{ 'config.hardware.device': DataObject[] }>(admin, vm, ['config.hardware.device']);
  const ide = devices.find((d) => d._type === 'VirtualIDEController')!;
  await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { deviceChange: [{ operation: 'add', device: {
    _type: 'VirtualCdrom', key: -1, controllerKey: ide['key'] as number, unitNumber: 0,
    backing: { _type: 'VirtualCdromIsoBackingInfo', fileName: `[LocalDS_0] ${name}/V1.5.8-1-9489F63-appliance.iso` },
  } }] } });
}
