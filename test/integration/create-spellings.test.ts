// Every spelling of a value writes what its vic-machine 1.5 spelling writes (issue 13), through the real command on
// the simulator: create with the 1.5 spellings of datastore, network and size values, then with the alternative
// spellings of the same values (the vSphere Client's `[ds] path`, percent escapes, `NFS://`, `6000MB`, comma lists,
// a destination given inside its network, `10.10.1.10-20`, `--memory 4GB`...), and compare the two written
// extraConfig maps key by key (random and environment values aside). The 1.5 spellings themselves are tied to
// vic-machine 1.5.8 by create-parity.test.ts and test/unit/config/parity.test.ts.
//
// Also the rows of findings 1 and 9: the bracket form writes exactly what ds:// writes and delete --force removes
// what it made; a path with a space writes 1.5.8's RawPath.
import { describe, expect, test } from '@jest/globals';
import { simulatorSuite } from '../support/simulator-suite.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Vcsim } from '../support/vcsim.js';
import { datastoreEntries, runVicMachine } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import { compareExtraConfig } from '../../src/vic/config/index.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true, model: { pg: 3 } }, tmpPrefix: 'vicm-spellings-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const NAME = 'vch-spell';
const VS = 'guestinfo.vice./storage/VolumeLocations';
const IMG = 'guestinfo.vice./storage/image_stores|0';

const extraConfigOf = (name: string): Promise<Record<string, string>> => vmExtraConfig(admin, name);

const target = (): string[] => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

/**
 * Creates NAME with the flags (no appliance answers: create writes the whole configuration, times out waiting, exit 7,
 * and keeps the VCH), reads what it wrote and the pool's memory limit, and deletes it with --force.
 */
async function createReadDelete(flags: string[]): Promise<{ ec: Record<string, string>; memoryLimitMB: number; left: string[] }> {
  const r = await runVicMachine(cwd, ['create', ...target(), '--compute-resource', 'DC0_C0', '--appliance-iso', 'appliance.iso',
    '--bootstrap-iso', 'bootstrap.iso', '--name', NAME, '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
    '--no-tlsverify', '--timeout', '3s', ...flags]);
  if (r.code !== 7) console.log(r.stderr);
  expect(r.code).toBe(7);
  const ec = await extraConfigOf(NAME);
  const pools = await retrieveFromView(admin, admin.content.rootFolder, ['ResourcePool'], ['name', 'config.memoryAllocation']);
  const memoryLimitMB = Number((pools.find((p) => p.props['name'] === NAME)!.props['config.memoryAllocation'] as { limit?: number }).limit);
  const d = await runVicMachine(cwd, ['delete', ...target(), '--compute-resource', 'DC0_C0', '--name', NAME, '--force']);
  if (d.code !== 0) console.log(d.stderr);
  expect(d.code).toBe(0);
  return { ec, memoryLimitMB, left: datastoreEntries(sim.datastores) };
}

// The 1.5 spellings (each value once, as vic-machine 1.5 takes it) and, value by value, other spellings of it.
const SPELLINGS: Array<[flag: string, v15: string, other: string]> = [
  ['--image-store', 'LocalDS_0/deep/img store', '[LocalDS_0] deep/img store/'],
  ['--volume-store', 'LocalDS_0/vol dir:spaced', 'ds://LocalDS_0/vol%20dir:spaced'],
  ['--volume-store', 'ds://LocalDS_0/vols:default', '[LocalDS_0] vols:default'],
  ['--volume-store', 'LocalDS_0:other', '[LocalDS_0]:other'],
  ['--volume-store', 'nfs://10.0.0.5/exports/vols?uid=1000&gid=1000:shared', 'NFS://10.0.0.5/exports/vols?uid=1000&gid=1000:shared'],
  ['--base-image-size', '6GB', '6000MB'],
  ['--storage-quota', '5', '5GB'],
  ['--memory', '4096', '4GB'],
  ['--public-network-ip', '10.0.0.5/24', ' 10.0.0.5/24 '],
  ['--public-network-gateway', '10.0.0.1', ' 10.0.0.1'],
  ['--management-network', 'DC0_DVPG2', 'DC0_DVPG2'],
  ['--management-network-ip', '10.3.0.5/24', '10.3.0.5/24'],
  ['--management-network-gateway', '10.1.0.0/16,10.2.0.0/16:10.3.0.1', '10.1.7.7/16, 10.2.0.0/16 : 10.3.0.1'],
  ['--dns-server', '10.0.0.53', '10.0.0.53,10.0.0.54'],
  ['--dns-server', '10.0.0.54', ''],
  ['--bridge-network-range', '172.20.0.0/16', '172.20.9.9/16'],
  ['--container-network', 'DC0_DVPG1:routable', 'DC0_DVPG1:routable'],
  ['--container-network-gateway', 'DC0_DVPG1:10.10.0.1/16', 'DC0_DVPG1: 10.10.0.1/16'],
  ['--container-network-ip-range', 'DC0_DVPG1:10.10.1.10-10.10.1.20', 'DC0_DVPG1:10.10.1.10-20'],
  ['--container-network-ip-range', 'DC0_DVPG1:10.10.2.0/24', 'DC0_DVPG1:10.10.2.0/24'],
];
const flagsOf = (pick: 1 | 2): string[] => SPELLINGS.flatMap((s) => (s[pick] === '' ? [] : [s[0], s[pick]]));

describe('create with the alternative spellings of every datastore, network and size value', () => {
  let v15: Awaited<ReturnType<typeof createReadDelete>>;
  let other: Awaited<ReturnType<typeof createReadDelete>>;
  let before: string[];

  test('writes exactly what the 1.5 spellings write, key by key', async () => {
    before = datastoreEntries(sim.datastores);
    v15 = await createReadDelete(flagsOf(1));
    other = await createReadDelete(flagsOf(2));
    const cmp = compareExtraConfig(v15.ec, other.ec);
    console.log(`alternative spellings: ${cmp.equal.length} keys equal, ${cmp.environmentDifferences.length} differ only in environment values ` +
      `(${[...new Set(cmp.environmentDifferences.map((d) => d.kind))].join(', ')})`);
    // vic_machine_create_options records the flags as typed: its length is how many were given (a comma list is one)
    expect(cmp.differences.filter((d) => d.key !== 'guestinfo.vice./vic_machine_create_options')).toEqual([]);
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.equal.length).toBeGreaterThan(150);
    // what differs is random or of the run: keys, ciphertexts, morefs, the build time, the options as typed
    const ofTheRun = new Set(['create-options', 'moref', 'ciphertext', 'secret-key', 'nic-slot', 'timestamp', 'vm-folder', 'installer-version']);
    expect(cmp.environmentDifferences.filter((d) => !ofTheRun.has(d.kind))).toEqual([]);
    // --memory is no configuration key: the pool's limit shows it
    expect(other.memoryLimitMB).toBe(4096);
    expect(v15.memoryLimitMB).toBe(4096);
  });

  test('finding 9: a datastore path with a space keeps RawPath as vic-machine 1.5.8 writes it', () => {
    for (const ec of [v15.ec, other.ec]) {
      expect(ec[`${VS}|spaced/Host`]).toBe('LocalDS_0');
      expect(ec[`${VS}|spaced/Path`]).toBe('[LocalDS_0] vol dir');
      expect(ec[`${VS}|spaced/RawPath`]).toBe('LocalDS_0/vol dir');
      expect(ec[`${IMG}/Host`]).toBe('LocalDS_0');
      expect(ec[`${IMG}/Path`]).toBe('deep/img store');
      expect(ec[`${IMG}/RawPath`]).toBe('LocalDS_0/deep/img store');
      // no escaping needed: no RawPath
      expect(ec[`${VS}|default/RawPath`]).toBe('<nil>');
    }
  });

  test('finding 1: the [ds] path form writes host and path as ds:// does, and delete --force removes what create made', () => {
    expect(other.ec[`${VS}|default/Host`]).toBe('LocalDS_0');
    expect(other.ec[`${VS}|default/Path`]).toBe('[LocalDS_0] vols');
    expect(other.ec[`${VS}|other/Path`]).toBe('[LocalDS_0] VIC');
    expect(other.ec[`${IMG}/Host`]).toBe('LocalDS_0');
    // every volume store folder and the VCH's folder are gone (nothing was on the datastores before)
    expect(other.left.filter((e) => !before.includes(e) && !/^\[LocalDS_0\] deep\/$/.test(e))).toEqual([]);
    expect(v15.left.filter((e) => !before.includes(e) && !/^\[LocalDS_0\] deep\/$/.test(e))).toEqual([]);
  });
});

describe('malformed values are refused before connecting, naming the flag (exit 2)', () => {
  test.each([
    ['--image-store', 'LocalDS_0/what?', /--image-store "LocalDS_0\/what\?": unsupported character "\?"/],
    ['--image-store', 'nfs://h/x', /--image-store "nfs:\/\/h\/x": bad scheme "nfs" provided for datastore/],
    ['--volume-store', '[LocalDS_0] vols', /--volume-store "\[LocalDS_0\] vols": .* is not <location>:<label>/],
    ['--base-image-size', '8 GBs', /invalid size: '8 GBs': give a size such as 8GB or 8000MB \(--base-image-size\)/],
    ['--memory', '1.5MB', /invalid value "1\.5MB" for flag --memory: expected a whole number of MB/],
    ['--public-network-gateway', '10.1.0.0:10.0.0.1', /Invalid public network gateway: routing destination "10\.1\.0\.0" in "10\.1\.0\.0:10\.0\.0\.1" is not a CIDR/],
  ])('%s %j', async (flag, value, message) => {
    await sim.resetStats();
    const extra = flag === '--public-network-gateway' ? ['--public-network-ip', '10.0.0.5/24'] : [];
    const r = await runVicMachine(cwd, ['create', ...target(), '--compute-resource', 'DC0_C0', '--appliance-iso', 'appliance.iso',
      '--bootstrap-iso', 'bootstrap.iso', '--name', 'vch-bad', '--no-tlsverify', ...extra, flag, value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(flag);
    expect((await sim.stats()).total).toBe(0);
  });
});
