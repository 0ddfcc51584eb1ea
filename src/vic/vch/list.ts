// `ls`: the VCHs in scope with their versions and upgrade status.
import type { Session } from '../../vim/session.js';
import { configKey, decodeVchConfigDetailed, shortVersion } from '../config/index.js';
import { resolveScope, scanVms, type ScopeOptions, type VchRecord } from './find.js';
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

/**
 * The extraConfig keys of the VCH's version (guestinfo.vice./init/version/...): all that ls decodes. Decoding the whole
 * configuration of every VCH (about 200 keys each) cost ~0.7 ms per VCH, 70 ms and more for 100 VCHs; decoding the
 * version alone costs a tenth of that.
 */
function versionKeys(extraConfig: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(extraConfig)) if (k.startsWith(prefix)) out[k] = v;
  return out;
}

export async function listVchs(session: Session, scopeOptions: ScopeOptions, installer: InstallerVersion,
  log: { warn(m: string): void } = { warn: () => undefined }): Promise<Omit<ListResult, 'roundTrips'>> {
  const { records: _records, ...res } = await listVchRecords(session, scopeOptions, installer, log);
  return res;
}

/** listVchs, with each listed VCH's record (its extraConfig) beside it, in the same order: for front ends that say more per VCH. */
export async function listVchRecords(session: Session, scopeOptions: ScopeOptions, installer: InstallerVersion,
  log: { warn(m: string): void } = { warn: () => undefined }): Promise<Omit<ListResult, 'roundTrips'> & { records: VchRecord[] }> {
  const scope = await resolveScope(session, { ...scopeOptions, allDatacenters: true, withVms: true, warn: (m) => log.warn(m) });
  const { vchs } = await scanVms(scope);
  const out: ListedVch[] = [];
  const prefix = `${configKey(['executorConfig', 'version'])}/`;
  for (const v of vchs) {
    let version = 'unknown';
    let status: ListedVch['upgradeStatus'] = { kind: 'unknown', text: 'unknown' };
    try {
      const { config } = decodeVchConfigDetailed(versionKeys(v.extraConfig, prefix), { unsealSecrets: false });
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
  return { installerVersion: installer.short ?? null, vchs: out, records: vchs };
}
