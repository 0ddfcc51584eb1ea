// The specification of an existing VCH, read from vSphere: its configuration (extraConfig), its pool's allocations
// and the appliance's size (one round trip), rebuilt by vchSpecOf. Used by `inspect config` and by
// vic-machine-server's GET of a VCH (its `VCH` model) and PUT/PATCH (what the VCH is, before a change).
import type { DecodedVch } from '../config/vch.js';
import { decodeVchConfigDetailed } from '../config/index.js';
import { retrieve } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import { networkNameOf, type Scope, type VchRecord } from './find.js';
import { vchSpecOf, type InspectedVch } from './inspect-config.js';

export interface ReadVchSpec extends InspectedVch {
  config: DecodedVch['config'];
}

export async function readVchSpec(session: Session, scope: Scope, vch: VchRecord): Promise<ReadVchSpec> {
  // A VCH in a cluster's root pool (DRS off) has no pool of its own whose settings create would have made.
  const rootPool = vch.computeResource?.props?.['resourcePool'] as { value: string } | undefined;
  const ownPool = vch.resourcePool && vch.resourcePool.value !== rootPool?.value ? vch.resourcePool : undefined;
  const found = await retrieve(session, [
    { propSet: [{ type: 'VirtualMachine', pathSet: ['config.hardware.memoryMB', 'config.hardware.numCPU'] }], objectSet: [{ obj: vch.ref }] },
    ...(ownPool ? [{ propSet: [{ type: ownPool.type, pathSet: ['config.cpuAllocation', 'config.memoryAllocation'] }], objectSet: [{ obj: ownPool }] }] : []),
  ], { tolerateMissing: true });
  const vmProps = found.find((o) => o.ref.value === vch.ref.value)?.props ?? {};
  const poolProps = ownPool ? found.find((o) => o.ref.value === ownPool.value)?.props : undefined;
  const { config } = decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false });
  const inspected = vchSpecOf({
    name: vch.name, config, computeResourcePath: vch.path,
    pool: poolProps ? { cpuAllocation: poolProps['config.cpuAllocation'] as never, memoryAllocation: poolProps['config.memoryAllocation'] as never } : undefined,
    vm: { memoryMB: Number(vmProps['config.hardware.memoryMB'] ?? 0), numCPUs: Number(vmProps['config.hardware.numCPU'] ?? 0) },
    networkName: networkNameOf(scope),
  });
  return { ...inspected, config };
}

/** The VCH's version as the model's Version takes it (`v1.5.8-1-9489f63`: version, build, commit). */
export function versionText(v: { version: string; buildNumber?: string; gitCommit?: string }): string {
  return [v.version, v.buildNumber, v.gitCommit].filter(Boolean).join('-');
}
