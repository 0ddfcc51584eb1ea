// Moving a VCH's configuration to the installer's version. A table of steps keyed by the release they start from, so
// that a future release plugs its data migration in (1.5's lib/migration plugins run on the raw key/value map, then
// the result is re-encoded); within VIC Engine 1.5 the layout does not change and a step only restamps the version.
import type { IsoVersion } from '../iso/index.js';
import { PLUGIN_VERSION, type VersionBuild, type VirtualContainerHostConfigSpec } from '../config/index.js';

export interface MigrationStep {
  /** the releases this step applies to (the VCH's Version) */
  from: RegExp;
  describe: string;
  apply: (config: VirtualContainerHostConfigSpec) => void;
}

export const MIGRATIONS: readonly MigrationStep[] = [
  { from: /^v1\.5\./i, describe: 'VIC Engine 1.5.x: same configuration layout, no data migration', apply: () => undefined },
];

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly cliErrorType = 'conflict';
}

/** 1.5's version stamp for an installer ISO version. */
export function versionBuildOf(iso: IsoVersion, now = new Date()): VersionBuild {
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    version: iso.version, gitCommit: iso.commit ?? '', buildNumber: iso.build ?? '',
    buildDate: `${now.getUTCFullYear()}/${p(now.getUTCMonth() + 1)}/${p(now.getUTCDate())}@${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())}`,
    state: '', pluginVersion: PLUGIN_VERSION,
  };
}

/**
 * Migrates (in place) a decoded configuration to the installer's version: the data steps for its release, then the
 * version stamp, the new bootstrap image, and every appliance component's `started` reset, so that the wait after
 * the power cycle sees the components start again. Returns what was done, for the log.
 */
export function migrateConfig(config: VirtualContainerHostConfigSpec, to: IsoVersion, bootstrapImagePath: string, now = new Date()): string[] {
  const from = config.executorConfig.version?.version ?? '';
  const steps = MIGRATIONS.filter((m) => m.from.test(from));
  if (!steps.length) {
    throw new MigrationError(`Failed to migrate Virtual Container Host configuration: no migration from version "${from || 'unknown'}" to ${to.raw}; this installer upgrades VIC Engine 1.5 VCHs`);
  }
  const done: string[] = [];
  for (const s of steps) {
    s.apply(config);
    done.push(s.describe);
  }
  config.executorConfig.version = versionBuildOf(to, now);
  config.container.bootstrapImagePath = bootstrapImagePath;
  for (const s of Object.values(config.executorConfig.sessions)) s.started = '';
  done.push(`version ${to.raw}, bootstrap image ${bootstrapImagePath}, component states reset`);
  return done;
}

/** 1.5 compares by build number only; same or older refuses the upgrade (unless --force). */
export function compareBuilds(vch: VersionBuild | undefined, installer: IsoVersion): 'older' | 'same' | 'newer' | 'unknown' {
  const a = Number.parseInt(vch?.buildNumber ?? '', 10);
  const b = Number.parseInt(installer.build ?? '', 10);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 'unknown';
  return a < b ? 'older' : a === b ? 'same' : 'newer';
}
