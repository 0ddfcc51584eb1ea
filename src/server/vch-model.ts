// A VCH as the API's `VCH` model, from what vSphere holds (the VM's extraConfig): the facts `vic-machine inspect`
// prints (src/vic/vch/inspect.ts) under `runtime`, the version, name and placement. The full specification mapping
// (compute, network, storage, auth, registry, endpoint, ...) is the one VCH specification's (src/vic/spec/), used
// here as soon as it is in the tree; until then this is the part of the model the server can say.
import { decodeVchConfigDetailed } from '../vic/config/index.js';
import { factsFromConfig } from '../vic/vch/inspect.js';
import { upgradeStatus, type InstallerVersion } from '../vic/vch/status.js';
import type { VchRecord } from '../vic/vch/find.js';

export interface VchRuntime {
  power_state: string;
  upgrade_status: string;
  admin_portal?: string;
  docker_host?: string;
}

/** The addresses and states every front end says of a VCH: `runtime` of the VCH model, and the list item's fields. */
export function runtimeOf(vch: VchRecord, installer: InstallerVersion): { runtime: VchRuntime; version: string; kind: string; creating: boolean } {
  const { config } = decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false });
  const f = factsFromConfig(vch, config, installer, { cwd: '/', tlsCertPath: '', findClientCerts: false });
  const st = upgradeStatus(installer, config.executorConfig.version, vch.extraConfig);
  return {
    runtime: {
      power_state: vch.powerState, upgrade_status: st.short,
      ...(f.adminPortal ? { admin_portal: f.adminPortal } : {}),
      ...(f.hostAddress ? { docker_host: `${f.hostAddress}:${f.dockerPort}` } : {}),
    },
    version: f.vchVersion, kind: st.kind, creating: vch.creating,
  };
}

export function vchModel(vch: VchRecord, installer: InstallerVersion): Record<string, unknown> {
  const r = runtimeOf(vch, installer);
  const cr = vch.computeResource;
  return {
    version: r.version,
    name: vch.name,
    ...(cr ? { compute: { resource: { id: cr.ref.value } } } : {}),
    runtime: r.runtime,
    // extensions (marked in the served spec): identity and state as the CLI's inspect --json says them
    id: vch.id, moref: `VirtualMachine:${vch.id}`, creating: r.creating, upgrade_status_kind: r.kind,
    installer_version: installer.short ?? null,
  };
}
