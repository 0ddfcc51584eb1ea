// `ls`: the VCHs in scope with their versions and upgrade status.
import type { Session } from '../../vim/session.js';
import { decodeVchConfigDetailed, shortVersion } from '../config/index.js';
import { resolveScope, scanVms, type ScopeOptions } from './find.js';
import { upgradeStatus, type InstallerVersion, type UpgradeStatusKind } from './status.js';

export interface ListedVch {
  /** moref value, e.g. `vm-73` */
  id: string;
  /** `VirtualMachine:vm-73` */
  moref: string;
  /** the VCH pool's parent: usable as --compute-resource */
  path: string;
  name: string;
  /** `v1.5.8-1-9489f63`, or `unknown` */
  version: string;
  upgradeStatus: { kind: UpgradeStatusKind; text: string };
  powerState: string;
  /** a half-made VCH (create did not finish) */
  creating: boolean;
  datacenter: string;
}

export interface ListResult {
  installerVersion: string | null;
  vchs: ListedVch[];
  /** SOAP round trips this listing took (login and logout included) */
  roundTrips: number;
}

export async function listVchs(session: Session, scopeOptions: ScopeOptions, installer: InstallerVersion,
  log: { warn(m: string): void } = { warn: () => undefined }): Promise<Omit<ListResult, 'roundTrips'>> {
  const scope = await resolveScope(session, { ...scopeOptions, allDatacenters: true, withVms: true });
  const { vchs } = await scanVms(scope);
  const out: ListedVch[] = [];
  for (const v of vchs) {
    let version = 'unknown';
    let status: ListedVch['upgradeStatus'] = { kind: 'unknown', text: 'unknown' };
    try {
      const { config } = decodeVchConfigDetailed(v.extraConfig, { unsealSecrets: false });
      version = shortVersion(config.executorConfig.version);
      const s = upgradeStatus(installer, config.executorConfig.version, v.extraConfig);
      status = { kind: s.kind, text: s.short };
    } catch (e) {
      log.warn(`Failed to get Virtual Container Host configuration for VCH "${v.id}": ${(e as Error).message}`);
    }
    out.push({
      id: v.id, moref: `VirtualMachine:${v.id}`, path: v.path, name: v.name, version, upgradeStatus: status,
      powerState: v.powerState, creating: v.creating, datacenter: v.datacenter?.path ?? '',
    });
  }
  return { installerVersion: installer.short ?? null, vchs: out };
}
