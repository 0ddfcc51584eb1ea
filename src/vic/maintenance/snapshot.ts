// The appliance VM's snapshots that upgrade and configure use as rollback points: named as vic-machine 1.5 names them
// (`upgrade for <build>`, `reconfigure for <build>`), without memory, so that a revert returns the VM, its
// configuration and its CD-ROM to the state before the change.
import { CreateSnapshot_Task, RemoveSnapshot_Task, RevertToSnapshot_Task } from '../../vim/methods.generated.js';
import { retrieveOne } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';

export const ROLLBACK_POINT = /^(upgrade|reconfigure) for /;

export interface SnapshotInfo {
  ref: MoRef;
  name: string;
  createTime?: string;
}

interface Tree { snapshot: MoRef; name: string; createTime?: string; childSnapshotList?: Tree[] }

/** Every snapshot of the VM (flattened) and the current one. */
export async function listSnapshots(session: Session, vm: MoRef): Promise<{ all: SnapshotInfo[]; current: MoRef | undefined }> {
  const p = await retrieveOne<{ snapshot?: { rootSnapshotList?: Tree[]; currentSnapshot?: MoRef } }>(session, vm, ['snapshot']);
  const all: SnapshotInfo[] = [];
  const walk = (t: Tree[] | undefined): void => {
    for (const s of t ?? []) {
      all.push({ ref: s.snapshot, name: s.name, ...(s.createTime ? { createTime: String(s.createTime) } : {}) });
      walk(s.childSnapshotList);
    }
  };
  walk(p.snapshot?.rootSnapshotList);
  return { all, current: p.snapshot?.currentSnapshot };
}

export async function createSnapshot(session: Session, vm: MoRef, name: string, signal?: AbortSignal): Promise<MoRef> {
  return runTask(session, CreateSnapshot_Task, {
    _this: vm, name, description: 'configure snapshot', memory: false, quiesce: false,
  }, signal ? { signal } : {});
}

export async function revertToSnapshot(session: Session, snapshot: MoRef): Promise<void> {
  await runTask(session, RevertToSnapshot_Task, { _this: snapshot, suppressPowerOn: true });
}

export async function removeSnapshot(session: Session, snapshot: MoRef): Promise<void> {
  await runTask(session, RemoveSnapshot_Task, { _this: snapshot, removeChildren: false });
}
