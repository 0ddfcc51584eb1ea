// A VCH's DRS VM group (--affinity-vm-group): named after the VCH, on its cluster. Create, configure and delete all
// change it through these two calls.
import { ReconfigureComputeResource_Task } from '../../vim/methods.generated.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';

export async function addVmGroup(session: Session, cluster: MoRef, name: string, vms: readonly MoRef[], signal?: AbortSignal): Promise<void> {
  await runTask(session, ReconfigureComputeResource_Task, {
    _this: cluster, modify: true,
    spec: { _type: 'ClusterConfigSpecEx', groupSpec: [{ operation: 'add', info: { _type: 'ClusterVmGroup', name, vm: [...vms] } }] },
  }, signal ? { signal } : {});
}

export async function removeVmGroup(session: Session, cluster: MoRef, name: string): Promise<void> {
  await runTask(session, ReconfigureComputeResource_Task, {
    _this: cluster, modify: true, spec: { _type: 'ClusterConfigSpecEx', groupSpec: [{ operation: 'remove', removeKey: name }] },
  });
}
