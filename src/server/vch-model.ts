// A VCH as the API's `VCH` model: its specification as vSphere holds it (src/vic/vch/read-spec.ts, the same one
// `inspect config --format json` writes, through src/vic/spec/vch-model.ts), its version, and under `runtime` the
// facts `vic-machine inspect` prints (power state, upgrade status, admin portal, docker host). The list items carry
// the same runtime facts (runtimeOf), so list, inspect and the CLI agree field by field.
import { decodeVchConfigDetailed } from '../vic/config/index.js';
import { vchModelOf, type VchModel } from '../vic/spec/vch-model.js';
import { factsFromConfig } from '../vic/vch/inspect.js';
import { versionText, type ReadVchSpec } from '../vic/vch/read-spec.js';
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

export function vchModel(vch: VchRecord, read: ReadVchSpec, installer: InstallerVersion): VchModel {
  const v = read.config.executorConfig.version;
  return vchModelOf(read.spec, { ...(v?.version ? { version: versionText(v) } : {}), runtime: runtimeOf(vch, installer).runtime });
}
