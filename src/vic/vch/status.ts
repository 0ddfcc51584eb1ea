// Versions and upgrade status (reference §4.6). The installer's version is the version of the appliance ISO it
// installs (what create writes into a VCH), read from `appliance.iso` in the working directory or next to the
// installer, as create finds it.
import path from 'node:path';
import { readIsoVersion } from '../iso/version.js';
import { shortVersion, type VersionBuild } from '../config/index.js';

export interface InstallerVersion {
  /** `v1.5.8-1-9489f63`, or undefined when no appliance ISO was found */
  short?: string;
  buildNumber?: string;
  /** why it is unknown */
  problem?: string;
  /** the ISO it was read from */
  iso?: string;
}

export async function installerVersion(dirs: readonly string[]): Promise<InstallerVersion> {
  let problem = 'no appliance.iso found';
  for (const d of dirs) {
    const iso = path.resolve(d, 'appliance.iso');
    try {
      const v = await readIsoVersion(iso, 'appliance');
      const short = v.build && v.commit ? `${v.version}-${v.build}-${v.commit}` : v.raw.toLowerCase();
      return { short, ...(v.build ? { buildNumber: v.build } : {}), iso };
    } catch (e) {
      if ((e as { code?: string }).code !== 'missing') problem = (e as Error).message;
    }
  }
  return { problem: `${problem} (looked in ${dirs.join(', ')})` };
}

export type UpgradeStatusKind = 'up-to-date' | 'upgradeable' | 'in-progress' | 'newer' | 'unknown';

export interface UpgradeStatus {
  kind: UpgradeStatusKind;
  /** the `ls` column */
  short: string;
  /** the `inspect` lines */
  long: string[];
  /** for unknown */
  error?: string;
}

export const UPDATE_IN_PROGRESS_KEY = 'UpdateInProgress';

export function upgradeStatus(installer: InstallerVersion, vch: VersionBuild | undefined, extraConfig: Readonly<Record<string, string>>): UpgradeStatus {
  const noUpgrade = 'No upgrade available with this installer version';
  const unknown = (error: string): UpgradeStatus => ({ kind: 'unknown', short: `Unknown: ${error}`, long: [`Unable to determine upgrade status: ${error}`], error });
  if (String(extraConfig[UPDATE_IN_PROGRESS_KEY] ?? '').toLowerCase() === 'true') {
    // who holds the lock and since when (recorded by this tool; 1.5's locks carry no holder)
    const holder = extraConfig['UpdateInProgressInfo'];
    return { kind: 'in-progress', short: 'Upgrade in progress', long: ['Upgrade/configure in progress', ...(holder && holder !== '<nil>' ? [`Held by ${holder}`] : [])] };
  }
  if (!vch) return unknown('the VCH has no version');
  if (installer.buildNumber === undefined) return unknown(`installer version unknown: ${installer.problem ?? 'no build number'}`);
  if (installer.buildNumber === vch.buildNumber) {
    return { kind: 'up-to-date', short: 'Up to date', long: ['Installer has same version as VCH', noUpgrade] };
  }
  const a = Number.parseInt(installer.buildNumber, 10);
  const b = Number.parseInt(vch.buildNumber, 10);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return unknown(`invalid BuildNumber - comparing "${installer.buildNumber}" to "${vch.buildNumber}"`);
  if (a > b) return { kind: 'upgradeable', short: `Upgradeable to ${installer.short}`, long: ['Upgrade available'] };
  return { kind: 'newer', short: 'VCH has newer version', long: ['Installer has older version than VCH', noUpgrade] };
}

export function vchShortVersion(v: VersionBuild | undefined): string {
  return shortVersion(v);
}
