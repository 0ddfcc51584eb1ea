// Moving a VCH's configuration to the installer's version. A table of steps keyed by the release they start from, so
// that a future release plugs its data migration in (1.5's lib/migration plugins run on the raw key/value map, then
// the result is re-encoded); within VIC Engine 1.5 the layout does not change and a step only restamps the version.
import type { IsoVersion } from '../iso/index.js';
import { PLUGIN_VERSION, type VersionBuild, type VirtualContainerHostConfigSpec } from '../config/index.js';

export interface MigrationStep {
  /** the releases this step applies to (the configuration's Version, as migrated so far) */
  from: RegExp;
  /** the release whose layout the step produces, when it changes it (the next steps match against it) */
  to?: string;
  describe: string;
  apply: (config: VirtualContainerHostConfigSpec) => void;
}

/**
 * Oldest first. A future release adds a step `{ from: /^v1\.5\./, to: 'v1.6.0', apply: … }` before its own identity
 * step; a 1.5 configuration then runs through it and every later step that matches.
 */
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
export function migrateConfig(config: VirtualContainerHostConfigSpec, to: IsoVersion, bootstrapImagePath: string, now = new Date(),
  table: readonly MigrationStep[] = MIGRATIONS): string[] {
  const from = config.executorConfig.version?.version ?? '';
  let layout = from;
  const done: string[] = [];
  let last: MigrationStep | undefined;
  for (const s of table) {
    if (!s.from.test(layout)) continue;
    s.apply(config);
    done.push(s.describe);
    last = s;
    if (s.to) layout = s.to;
  }
  if (!last) {
    throw new MigrationError(`Failed to migrate Virtual Container Host configuration: no migration from version "${from || 'unknown'}" to ${to.raw}; this installer upgrades VIC Engine 1.5 VCHs`);
  }
  if (!last.from.test(to.version)) {
    // the chain must end in the installer's own layout (not so for a forced downgrade across layouts): the new
    // appliance would misread the configuration. Checked before anything is written.
    throw new MigrationError(`Failed to migrate Virtual Container Host configuration: the configuration of version ${from} migrates to the layout of ${layout}, not to that of ${to.raw}`);
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
