// ls, inspect and delete against the simulator, on a VCH that vic-machine 1.5.8 created: the fixture
// (../shared/fixtures/vic-machine-1.5.8/basic) is recreated through the API — its resource pool, its VM folder, the
// appliance VM with the recorded extraConfig (the VCH id rewritten to the new VM's moref), its datastore files — and
// ours must list it, inspect it with the same facts as the original's inspect.out, and delete it completely.
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { main } from '../../src/cli/main.js';
import { CreateVM_Task, MakeDirectory, PowerOffVM_Task, PowerOnVM_Task, ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView, retrieveOne } from '../../src/vim/property-collector.js';
import { runTask } from '../../src/vim/task.js';
import type { MoRef } from '../../src/vim/types.js';
import { dc0 as dc0Of, factsOf, FIXTURES, haveFixtures, inventoryPaths as inventoryPathsOf, recreateFixture as recreateFixtureOf } from '../support/fixture-vch.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

  // The installer's version is the version of its appliance ISO (the fixtures' installer: v1.5.8-1-9489f63).
simulatorSuite({ tmpPrefix: 'vicm-lsid-', isos: true }, (s) => ({ sim, admin, cwd } = s));

interface Run { code: number; stdout: string; stderr: string }

async function vicMachine(args: string[], dir = cwd): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
    env: { NO_COLOR: '1' }, cwd: dir, stdin: { isTTY: false },
  });
  return { code, stdout, stderr };
}

const dc0 = () => dc0Of(admin);
const inventoryPaths = () => inventoryPathsOf(admin);
const recreateFixture = (fixture: string, name: string) => recreateFixtureOf(admin, fixture, name);

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

function datastoreDir(): string {
  return sim.datastores['LocalDS_0']!;
}

(haveFixtures ? describe : describe.skip)('a VCH created by vic-machine 1.5.8 (fixture "basic")', () => {
  let vm: MoRef;
  let before: string[];

  beforeAll(async () => {
    before = await inventoryPaths();
    vm = await recreateFixture('basic', 'vch1');
  });

  test('ls lists it as the original did', async () => {
    await sim.resetStats();
    const r = await vicMachine(['ls', ...target()]);
    expect(r.stderr).toContain('### Listing VCHs ####');
    expect(r.code).toBe(0);
    const fixture = fs.readFileSync(path.join(FIXTURES, 'basic', 'ls.out'), 'utf8').split('\n').filter((l) => !l.startsWith('time='));
    const expected = fixture.join('\n').replace(/vm-73(\s+)/, (_m, sp: string) => `${vm.value}${sp.slice(vm.value.length - 5)}`);
    expect(r.stdout.trimEnd()).toBe(expected.trimEnd());
    const stats = await sim.stats();
    expect(stats.total).toBeLessThanOrEqual(8);

    const j = await vicMachine(['ls', ...target(), '--json']);
    expect(j.code).toBe(0);
    const data = JSON.parse(j.stdout) as { vchs: { id: string; name: string; path: string; version: string; upgradeStatus: { kind: string } }[] };
    expect(data.vchs).toEqual([expect.objectContaining({
      id: vm.value, name: 'vch1', path: '/DC0/host/DC0_C0/Resources', version: 'v1.5.8-1-9489f63', upgradeStatus: expect.objectContaining({ kind: 'up-to-date' }),
    })]);
  });

  test('inspect shows the same facts as the original (by --name and by --id), and --json', async () => {
    const fixture = fs.readFileSync(path.join(FIXTURES, 'basic', 'inspect.out'), 'utf8');
    const facts = factsOf(fixture).map((l) => l.replace('vm-73', vm.value));
    const logOnly = new Set(['### Inspecting VCH ####', 'Validating target', 'Completed successfully',
      'Unable to identify address acceptable to host certificate, using assigned client IP as host address.']);
    for (const how of [['--name', 'vch1', '--compute-resource', 'DC0_C0'], ['--id', vm.value]]) {
      const r = await vicMachine(['inspect', ...target(), ...how]);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l !== '')).toEqual(facts.filter((l) => !logOnly.has(l)));
      expect(r.stderr).toContain('Unable to identify address acceptable to host certificate, using assigned client IP as host address.');
    }
    const j = await vicMachine(['inspect', ...target(), '--name', 'vch1', '--json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({
      id: vm.value, vchVersion: 'v1.5.8-1-9489f63', installerVersion: 'v1.5.8-1-9489f63', upgradeStatus: { kind: 'up-to-date' },
      adminPortal: 'https://127.0.0.1:2378', dockerEnvironment: { DOCKER_HOST: '127.0.0.1:2376', COMPOSE_TLS_VERSION: 'TLSv1_2' },
      dockerCommand: 'docker -H 127.0.0.1:2376 --tls info', tls: 'server', publishedPortsAddress: '127.0.0.1', managementAddress: '127.0.0.1',
    });
  });

  test('inspect and ls say what is wrong', async () => {
    const nf = await vicMachine(['inspect', ...target(), '--name', 'nope']);
    expect(nf.code).toBe(5);
    expect(nf.stderr).toMatch(/Didn't find VCH "nope"/);
    expect(nf.stderr).toContain(`vch1 (--id ${vm.value})`);
    const id = await vicMachine(['delete', ...target(), '--id', 'wrong']);
    expect(id.code).toBe(5);
    expect(id.stderr).toContain('id "wrong" could not be found');
    const cr = await vicMachine(['ls', ...target(), '--compute-resource', 'fake']);
    expect(cr.code).toBe(5);
    expect(cr.stderr).toContain('Suggested values for --compute-resource:');
    expect(cr.stderr).toContain("compute resource 'fake' not found");
    const dc = await vicMachine(['ls', '--target', `${sim.host}/fakeDC`, '--user', 'u', '--password', 'p', '--thumbprint', sim.thumbprintSHA1]);
    expect(dc.code).toBe(5);
    expect(dc.stderr).toContain('Datacenter "fakeDC" in --target is not found');
  });

  test('delete refuses powered-on containers without --force, then removes everything vic-machine 1.5.8 made', async () => {
    const dc = await dc0();
    const vch = await retrieveOne<{ parent: MoRef; resourcePool: MoRef }>(admin, vm, ['parent', 'resourcePool']);
    const container = await runTask(admin, CreateVM_Task, {
      _this: vch.parent,
      config: {
        name: 'c1-0123456789ab', guestId: 'otherGuest64', files: { vmPathName: '[LocalDS_0]' }, numCPUs: 1, memoryMB: 512,
        extraConfig: [{ key: 'guestinfo.vice./common/id', value: '0123456789ab' }, { key: 'guestinfo.vice./version/Version', value: 'v1.5.8' }],
      },
      pool: vch.resourcePool, host: dc.host,
    });
    await runTask(admin, PowerOnVM_Task, { _this: container });

    const refused = await vicMachine(['delete', ...target(), '--name', 'vch1']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('VM "c1-0123456789ab" is powered on');
    expect(refused.stderr).toContain('--force');
    expect((await vicMachine(['ls', ...target(), '--json'])).stdout).toContain('"vch1"');

    await runTask(admin, PowerOffVM_Task, { _this: container });
    const r = await vicMachine(['delete', ...target(), '--name', 'vch1', '--json']);
    expect(r.stderr).toContain('VCH ID: VirtualMachine:' + vm.value);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { removed: string[]; kept: string[]; alreadyGone: string[] };
    expect(report.removed).toEqual(expect.arrayContaining([
      'container VM "c1-0123456789ab"', 'appliance VM "vch1"', 'VM folder /DC0/vm/vch1', 'resource pool "vch1"',
    ]));
    // Destroying the VM removes its folder on the simulator; on vSphere files vSphere does not know stay behind.
    expect([...report.removed, ...report.alreadyGone]).toContain('datastore folder [LocalDS_0] vch1');
    expect(report.kept).toEqual([]);
    expect(r.stderr).toContain('Completed successfully');
    // Inventory and datastore as before the VCH existed.
    expect(await inventoryPaths()).toEqual(before);
    expect(fs.existsSync(path.join(datastoreDir(), 'vch1'))).toBe(false);
    expect(fs.existsSync(path.join(datastoreDir(), 'c1-0123456789ab'))).toBe(false);
    expect(JSON.parse((await vicMachine(['ls', ...target(), '--json'])).stdout).vchs).toEqual([]);
  });
});

(haveFixtures ? describe : describe.skip)('volume stores, half-made VCHs and interrupted deletes', () => {
  async function withVolumes(name: string): Promise<MoRef> {
    const vm = await recreateFixture('rich', name);
    const dc = await dc0();
    for (const d of ['volumes', 'vol2', 'vchimages/VIC']) {
      await MakeDirectory(admin, { _this: admin.content.fileManager!, name: `[LocalDS_0] ${d}`, datacenter: dc.ref, createParentDirectories: true });
    }
    return vm;
  }

  test('a tlsverify VCH: inspect without client certificates says so; delete keeps volume stores without --force', async () => {
    const before = await inventoryPaths();
    await withVolumes('vch-rich');
    const i = await vicMachine(['inspect', ...target(), '--name', 'vch-rich']);
    expect(i.code).toBe(0);
    expect(i.stdout).toContain('DOCKER_TLS_VERIFY=1 DOCKER_HOST=127.0.0.1:2376 COMPOSE_TLS_VERSION=TLSv1_2');
    expect(i.stdout).toContain('docker -H 127.0.0.1:2376 --tlsverify info');
    expect(i.stdout).toContain('VCH Default Bridge Network Range: 172.20.0.0/14');
    expect(i.stdout).toContain('VCH Default Bridge Network Width: 20');
    expect(i.stderr).toContain('Unable to find valid client certs');

    const r = await vicMachine(['delete', ...target(), '--name', 'vch-rich']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Since --force was not specified, the following volume stores will not be removed.');
    expect(r.stderr).toContain('default: [LocalDS_0] volumes');
    expect(r.stderr).toContain('fast: [LocalDS_0] vol2');
    expect(fs.existsSync(path.join(datastoreDir(), 'volumes'))).toBe(true);
    expect(fs.existsSync(path.join(datastoreDir(), 'vol2'))).toBe(true);
    expect(fs.existsSync(path.join(datastoreDir(), 'vchimages'))).toBe(false);
    expect(await inventoryPaths()).toEqual(before);

    await withVolumes('vch-rich');
    const f = await vicMachine(['delete', ...target(), '--name', 'vch-rich', '--force']);
    expect(f.code).toBe(0);
    expect(f.stderr).toContain('Deleting volume store "default" on Datastore "LocalDS_0" at path "volumes"');
    expect(fs.existsSync(path.join(datastoreDir(), 'volumes'))).toBe(false);
    expect(fs.existsSync(path.join(datastoreDir(), 'vol2'))).toBe(false);
    expect(await inventoryPaths()).toEqual(before);
  });

  test('a half-made VCH (CreatingVCH) is listed and deleted', async () => {
    const before = await inventoryPaths();
    const vm = await recreateFixture('basic', 'vch-half');
    await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.vice./init/common/id', value: 'CreatingVCH' }] } });
    const ls = JSON.parse((await vicMachine(['ls', ...target(), '--json'])).stdout) as { vchs: { name: string; creating: boolean }[] };
    expect(ls.vchs).toEqual([expect.objectContaining({ name: 'vch-half', creating: true })]);
    const r = await vicMachine(['delete', ...target(), '--name', 'vch-half']);
    expect(r.code).toBe(0);
    expect(await inventoryPaths()).toEqual(before);
  });

  test('a delete interrupted after the appliance went is finished by running it again', async () => {
    const before = await inventoryPaths();
    await recreateFixture('basic', 'vch-int');
    // Destroy_Task: 1st the appliance VM, 2nd its VM folder — which fails.
    await sim.injectFaults({ method: 'Destroy_Task', nth: 2, kind: 'soapfault', fault: 'SystemError', message: 'injected' });
    const first = await vicMachine(['delete', ...target(), '--name', 'vch-int']);
    await sim.clearFaults();
    expect(first.code).not.toBe(0);
    expect(await inventoryPaths()).not.toEqual(before);
    const again = await vicMachine(['delete', ...target(), '--name', 'vch-int', '--json']);
    expect(again.stderr).toContain('removing what an interrupted delete left');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).removed).toEqual(['VM folder /DC0/vm/vch-int', 'resource pool "vch-int"']);
    expect(await inventoryPaths()).toEqual(before);
  });

  test('delete refuses a VCH that an upgrade or configure holds locked, naming the holder; --force deletes it anyway', async () => {
    const before = await inventoryPaths();
    const ref = await recreateFixture('basic', 'vch-locked');
    await runTask(admin, ReconfigVM_Task, { _this: ref, spec: { extraConfig: [{ key: 'UpdateInProgress', value: 'true' },
      { key: 'UpdateInProgressInfo', value: 'upgrade by ops from jumphost (pid 4) since 2026-11-23T03:00:00Z' }] } });
    const refused = await vicMachine(['delete', ...target(), '--name', 'vch-locked', '--json']);
    expect(refused.code).toBe(6);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      message: 'an upgrade/configure is in progress on VCH "vch-locked" (upgrade by ops from jumphost (pid 4) since 2026-11-23T03:00:00Z)',
      hint: 'wait for it to finish, or specify --force to delete it anyway', flag: '--force',
    });
    expect(await inventoryPaths()).not.toEqual(before);
    const forced = await vicMachine(['delete', ...target(), '--name', 'vch-locked', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('deleting it anyway (--force)');
    expect(await inventoryPaths()).toEqual(before);
  });

  test('--timeout bounds ls, inspect, inspect config and delete as a whole (1.5\'s "<Command> timed out"), naming the phase; a timed-out delete is finished by running it again', async () => {
    const before = await inventoryPaths();
    await recreateFixture('basic', 'vch-slow');
    // one slow answer, longer than the whole --timeout
    const slowly = async (method: string, args: string[]) => {
      await sim.injectFaults({ method, kind: 'slow', delayMs: 2500 });
      try {
        const t0 = Date.now();
        const r = await vicMachine([...args, '--timeout', '1s']);
        return { ...r, ms: Date.now() - t0 };
      } finally {
        await sim.clearFaults();
        await new Promise((res) => setTimeout(res, 1600)); // the slow answer is over before the next step
      }
    };
    const ls = await slowly('RetrievePropertiesEx', ['ls', ...target()]);
    expect(ls.code).toBe(7);
    expect(ls.stderr).toMatch(/vic-machine ls: List timed out after 1s \(Validating target\): use --timeout to add more time/);
    expect(ls.ms).toBeLessThan(2400);
    const inspect = await slowly('RetrievePropertiesEx', ['inspect', ...target(), '--name', 'vch-slow']);
    expect(inspect.code).toBe(7);
    expect(inspect.stderr).toMatch(/Inspect timed out after 1s \(Validating target\): use --timeout to add more time/);
    const config = await slowly('RetrievePropertiesEx', ['inspect', 'config', ...target(), '--name', 'vch-slow']);
    expect(config.code).toBe(7);
    expect(config.stderr).toContain('Inspect timed out after 1s');
    const del = await slowly('Destroy_Task', ['delete', ...target(), '--name', 'vch-slow', '--json']);
    expect(del.code).toBe(7);
    expect(JSON.parse(del.stdout).error).toMatchObject({ type: 'timeout', hint: 'run the same delete again: it removes what is left' });
    expect(JSON.parse(del.stdout).error.message).toMatch(/^Delete timed out after 1s \(.+\): use --timeout to add more time$/);
    const again = await vicMachine(['delete', ...target(), '--name', 'vch-slow']);
    expect(again.code).toBe(0);
    expect(await inventoryPaths()).toEqual(before);
  });
});

describe('ls round trips do not grow with the inventory', () => {
  test('1,000 VMs and one VCH cost what 4 VMs and one VCH cost', async () => {
    const counts: number[] = [];
    for (const vmsPerPool of [1, 500]) {
      const big = await startVcsim({ model: { vm: vmsPerPool } });
      try {
        const s = await Session.connect({ url: big.url, user: 'u', password: 'p', trust: { thumbprint: big.thumbprintSHA1 } });
        const vms = await retrieveFromView(s, s.content.rootFolder, ['VirtualMachine'], ['name']);
        await runTask(s, ReconfigVM_Task, { _this: vms[0]!.ref, spec: { extraConfig: [{ key: 'guestinfo.vice./init/common/id', value: `VirtualMachine:${vms[0]!.ref.value}` }] } });
        await s.logout();
        await big.resetStats();
        const r = await vicMachine(['ls', '--target', `${big.host}/DC0`, '--user', 'u', '--password', 'p', '--thumbprint', big.thumbprintSHA1, '--json']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout).vchs).toHaveLength(1);
        counts.push((await big.stats()).total);
      } finally {
        await big.stop();
      }
    }
    // RetrieveServiceContent, Login, RetrievePropertiesEx (the inventory tree with every VM), Logout — vic-machine
    // 1.5.8 needs 59 for one VCH, and more as the inventory grows.
    expect(counts).toEqual([4, 4]);
  });
});
