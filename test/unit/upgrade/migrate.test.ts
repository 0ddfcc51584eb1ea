// The upgrade's configuration migration: the versioned step table (chained, refusing what it cannot reach), the version
// stamp in 1.5's form, the build comparison, and on the configurations vic-machine 1.5.8 wrote: after migration and
// re-encoding under a fresh key, only the keys an upgrade must change differ. And the extraConfig delta it writes.
import { describe, expect, test } from '@jest/globals';
import { configurationChanges, decodeVchConfig, decodeVchConfigDetailed, encodeVchConfig, SecretKey, type VirtualContainerHostConfigSpec } from '../../../src/vic/config/index.js';
import { parsePublisherVersion, type IsoVersion } from '../../../src/vic/iso/index.js';
import { compareBuilds, MigrationError, migrateConfig, versionBuildOf, type MigrationStep } from '../../../src/vic/upgrade/migrate.js';
import { extraConfigFixture, FIXTURE_RUNS } from '../config/fixtures.js';

const iso = (publisher: string): IsoVersion => parsePublisherVersion(publisher)!;
const B2 = iso('VMware Inc. v1.5.8-2-abcdef1');
const NOW = new Date(Date.UTC(2026, 10, 23, 3, 4, 5));

function fixtureConfig(run: (typeof FIXTURE_RUNS)[number]): { ec: Record<string, string>; config: VirtualContainerHostConfigSpec } {
  const ec = extraConfigFixture(run, 'running');
  return { ec, config: decodeVchConfig(ec, SecretKey.fromString(ec['guestinfo.ovfEnv']!)) };
}

describe('versionBuildOf / compareBuilds', () => {
  test('stamps the ISO version as 1.5 does (BuildDate yyyy/mm/dd@hh:mm:ss, UTC)', () => {
    expect(versionBuildOf(B2, NOW)).toMatchObject({ version: 'v1.5.8', buildNumber: '2', gitCommit: 'abcdef1', buildDate: '2026/11/23@03:04:05' });
  });

  test('compares build numbers only; unknown when either has none', () => {
    const vch = { version: 'v1.5.8', buildNumber: '2', gitCommit: 'x', buildDate: '', state: '', pluginVersion: 10 } as never;
    expect(compareBuilds(vch, iso('VMware Inc. v1.5.8-3-abcdef1'))).toBe('older');
    expect(compareBuilds(vch, iso('VMware Inc. v1.5.8-2-abcdef1'))).toBe('same');
    expect(compareBuilds(vch, iso('VMware Inc. v1.5.9-1-abcdef1'))).toBe('newer');
    expect(compareBuilds(undefined, B2)).toBe('unknown');
    expect(compareBuilds(vch, iso('VMware Inc. v1.5.8'))).toBe('unknown');
  });
});

describe('migrateConfig on the configurations vic-machine 1.5.8 wrote', () => {
  for (const run of FIXTURE_RUNS) {
    test(`${run}: version, bootstrap image and component states change; nothing else does after re-encoding`, () => {
      const { ec, config } = fixtureConfig(run);
      const migrated = structuredClone(config);
      const done = migrateConfig(migrated, B2, '[LocalDS_0] vch1/v1.5.8-2-abcdef1-bootstrap.iso', NOW);
      expect(done[0]).toMatch(/VIC Engine 1\.5\.x/);
      expect(migrated.executorConfig.version).toMatchObject({ version: 'v1.5.8', buildNumber: '2', gitCommit: 'abcdef1' });
      expect(migrated.container.bootstrapImagePath).toBe('[LocalDS_0] vch1/v1.5.8-2-abcdef1-bootstrap.iso');
      expect(Object.values(migrated.executorConfig.sessions).map((s) => s.started)).toEqual(Object.keys(migrated.executorConfig.sessions).map(() => ''));
      expect(config.executorConfig.version?.buildNumber).toBe('1'); // the input of structuredClone is untouched

      const key = SecretKey.generate();
      const next = encodeVchConfig(migrated, { secretKey: key });
      const delta = configurationChanges(ec, next, decodeVchConfigDetailed(ec, { unsealSecrets: false }).unknownKeys);
      const unexpected = Object.keys(delta).filter((k) => !k.includes('@secret') && k !== 'guestinfo.ovfEnv'
        && !/\/init\/version\/|bootstrap_image_path|sessions\|[a-z-]+\/started$|\.started$/.test(k)
        // the url.URL fields the recording's Go 1.19 added (VIC 1.5's Go 1.8 has none): blanked, so deleted
        && !/\/(OmitHost|RawFragment)$/.test(k));
      expect(unexpected).toEqual([]);
      expect(delta['guestinfo.ovfEnv']).toBe(key.toString());
      // what was blanked was only what the new encoding does not have
      for (const [k, v] of Object.entries(delta)) if (v === '') expect(k in next).toBe(false);
      // the secrets survive under the new key
      const back = decodeVchConfig({ ...ec, ...delta }, key);
      expect(back.certificate.hostCertificate?.key).toEqual(config.certificate.hostCertificate?.key);
      expect(back.executorConfig.version?.buildNumber).toBe('2');
    });
  }
});

describe('the step table', () => {
  const base = () => fixtureConfig('basic').config;

  test('a version no step starts from is refused, naming it', () => {
    const c = base();
    c.executorConfig.version!.version = 'v1.4.3';
    expect(() => migrateConfig(c, B2, 'x', NOW)).toThrow(MigrationError);
    expect(() => migrateConfig(c, B2, 'x', NOW)).toThrow('no migration from version "v1.4.3" to v1.5.8-2-abcdef1');
  });

  test('steps chain through the layouts, oldest first, and must end in the installer\'s own layout', () => {
    const applied: string[] = [];
    const table: MigrationStep[] = [
      { from: /^v1\.4\./, to: 'v1.5.0', describe: '1.4 → 1.5', apply: (c) => { applied.push('1.4'); c.executorConfig.common.name = `${c.executorConfig.common.name}-migrated`; } },
      { from: /^v1\.5\./, describe: '1.5 identity', apply: () => void applied.push('1.5') },
      { from: /^v1\.5\./, to: 'v1.6.0', describe: '1.5 → 1.6', apply: () => void applied.push('1.5→1.6') },
      { from: /^v1\.6\./, describe: '1.6 identity', apply: () => void applied.push('1.6') },
    ];
    const c = base();
    c.executorConfig.version!.version = 'v1.4.3';
    const name = c.executorConfig.common.name;
    expect(migrateConfig(c, iso('VMware Inc. v1.6.0-7-1234567'), 'x', NOW, table).slice(0, 4)).toEqual(['1.4 → 1.5', '1.5 identity', '1.5 → 1.6', '1.6 identity']);
    expect(applied).toEqual(['1.4', '1.5', '1.5→1.6', '1.6']);
    expect(c.executorConfig.common.name).toBe(`${name}-migrated`);

    // a 1.6 VCH "upgraded" (--force) by a 1.5 installer would end in the 1.6 layout: refused before anything is written
    const newer = base();
    newer.executorConfig.version!.version = 'v1.6.0';
    expect(() => migrateConfig(newer, B2, 'x', NOW, table)).toThrow('migrates to the layout of v1.6.0, not to that of v1.5.8-2-abcdef1');
  });
});

