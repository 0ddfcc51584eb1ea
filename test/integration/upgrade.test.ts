// `vic-machine upgrade` against the simulator (with the test bed's snapshot fix): a VCH made by ours (v1.5.8 build 1)
// upgraded to build 2; the same version refused; an upgrade that fails mid-way (injected fault) ends at the old
// version, lock released, no snapshot or uploaded ISO left; --rollback; the lock and --reset-progress. The appliance
// cannot boot here: after the power cycle, a stand-in marks the components started again through the guest keys.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { playAppliance } from '../support/appliance-player.js';
import { startDockerApiStandIn, type DockerApiStandIn } from '../support/appliance-stand-in.js';
import { decodeVchConfig, SecretKey } from '../../src/vic/config/index.js';
import { main } from '../../src/cli/main.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView, retrieveOne } from '../../src/vim/property-collector.js';
import { runTask } from '../../src/vim/task.js';
import type { DataObject, MoRef } from '../../src/vim/types.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
let newIsos: string;
let standIn: DockerApiStandIn | undefined;
const NAME = 'vch-up';

async function vicMachine(args: string[], dir = cwd): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
    env: { NO_COLOR: '1', VIC_MACHINE_LOG_FILE: '-' }, cwd: dir, stdin: { isTTY: false },
  });
  return { code, stdout, stderr };
}

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

async function vm(name = NAME): Promise<{ ref: MoRef; ec: Record<string, string>; power: string; cdrom: string; snapshots: string[] }> {
  const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig', 'runtime.powerState', 'config.hardware.device', 'snapshot']);
  const v = vms.find((x) => x.props['name'] === name)!;
  const ec = Object.fromEntries((v.props['config.extraConfig'] as { key: string; value: string }[]).map((o) => [o.key, String(o.value)]));
  const cd = (v.props['config.hardware.device'] as DataObject[]).find((d) => d._type === 'VirtualCdrom') as { backing?: { fileName?: string } } | undefined;
  const names: string[] = [];
  const walk = (l?: { name: string; childSnapshotList?: unknown[] }[]): void => { for (const s of l ?? []) { names.push(s.name); walk(s.childSnapshotList as never); } };
  walk((v.props['snapshot'] as { rootSnapshotList?: { name: string }[] } | undefined)?.rootSnapshotList);
  return { ref: v.ref, ec, power: String(v.props['runtime.powerState']), cdrom: cd?.backing?.fileName ?? '', snapshots: names };
}

/** Marks the appliance's components started whenever a power cycle reset them, until stopped. */
function componentsStarter(name = NAME, clientIp?: string): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      try {
        const v = await vm(name);
        if (v.power === 'poweredOn' && v.ec['guestinfo.vice..init.sessions|port-layer.started'] !== 'true') {
          await runTask(admin, 'ReconfigVM_Task', {
            _this: v.ref, spec: { extraConfig: [
              ...['vicadmin', 'docker-personality', 'port-layer'].map((c) => ({ key: `guestinfo.vice..init.sessions|${c}.started`, value: 'true' })),
              // the address the appliance publishes (IPv4 in 16 bytes, as the guest writes it)
              ...(clientIp ? [{ key: 'guestinfo.vice..init.networks|client.assigned.IP', value: Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(clientIp.split('.').map(Number))]).toString('base64') }] : []),
            ] },
          });
        }
      } catch { /* the VM is being reconfigured; try again */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: () => { running = false; } };
}

beforeAll(async () => {
  sim = await startVcsim({ firewallOpen: true });
  admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-upgrade-'));
  newIsos = path.join(cwd, 'new');
  for (const kind of ['appliance', 'bootstrap']) {
    await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await writeTestIso(path.join(newIsos, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
  }
  const player = playAppliance(admin, NAME, '127.0.0.91', { requireClientCert: false, timeoutMs: 60_000 });
  const r = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', NAME, '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--timeout', '30s']);
  if (r.code !== 0) throw new Error(r.stderr);
  standIn = await player;
});
afterAll(async () => {
  await standIn?.stop();
  await admin?.logout();
  await sim?.stop();
  if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
});

const upgradeArgs = () => ['upgrade', ...target(), '--name', NAME, '--appliance-iso', path.join(newIsos, 'appliance.iso'), '--bootstrap-iso', path.join(newIsos, 'bootstrap.iso'), '--timeout', '30s'];
const buildOf = (ec: Record<string, string>) => ec['guestinfo.vice./init/version/BuildNumber'];

describe('upgrade', () => {
  test('the same version is refused without --force', async () => {
    const r = await vicMachine(['upgrade', ...target(), '--name', NAME, '--timeout', '10s']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`"${NAME}" has same or newer version v1.5.8-1-9489f63 than installer version v1.5.8-1-9489f63. No upgrade is available.`);
    expect(r.stderr).toContain('--force');
    expect((await vm()).snapshots).toEqual([]);
  });

  test('a failure mid-way (power-on fails) ends at the old version: lock released, no snapshot, uploaded ISOs removed, exit non-zero', async () => {
    const before = await vm();
    await sim.injectFaults({ method: 'PowerOnVM_Task', kind: 'taskfault', fault: 'InsufficientResourcesFault', message: 'no room to power on' });
    let r;
    try {
      r = await vicMachine(upgradeArgs());
    } finally {
      await sim.clearFaults();
    }
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('upgrade failed while powering on the appliance: no room to power on');
    expect(r.stderr).toContain('The VCH was reverted to its state before the upgrade.');
    const after = await vm();
    expect(buildOf(after.ec)).toBe('1');
    expect(after.cdrom).toBe(before.cdrom);
    expect(after.ec['UpdateInProgress']).toBe('false');
    expect(after.snapshots).toEqual([]);
    expect(after.power).toBe('poweredOn');
    const dir = path.join(sim.datastores['LocalDS_0']!, NAME);
    expect(fs.readdirSync(dir).filter((f) => f.includes('v1.5.8-2'))).toEqual([]);
  });

  test('upgrades to the installer\'s version: new ISOs, configuration re-encoded, CD-ROM switched, one rollback point, lock released', async () => {
    const before = await vm();
    const starter = componentsStarter();
    let r;
    try {
      r = await vicMachine(upgradeArgs());
    } finally {
      starter.stop();
    }
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Completed successfully');
    const after = await vm();
    expect(buildOf(after.ec)).toBe('2');
    expect(after.ec['guestinfo.vice./init/version/GitCommit']).toBe('abcdef1');
    expect(after.cdrom).toBe(`[LocalDS_0] ${NAME}/v1.5.8-2-abcdef1-appliance.iso`);
    expect(after.ec['guestinfo.vice./container/bootstrap_image_path']).toBe(`[LocalDS_0] ${NAME}/v1.5.8-2-abcdef1-bootstrap.iso`);
    expect(after.ec['guestinfo.ovfEnv']).not.toBe(before.ec['guestinfo.ovfEnv']); // a fresh secret key
    expect(after.ec['UpdateInProgress']).toBe('false');
    expect(after.snapshots).toEqual(['upgrade for 2']);
    const ls = JSON.parse((await vicMachine(['ls', ...target(), '--json'])).stdout) as { vchs: { name: string; version: string }[] };
    expect(ls.vchs.find((v) => v.name === NAME)?.version).toBe('v1.5.8-2-abcdef1');
  });

  test('--rollback returns to the version before the upgrade and drops the rollback point', async () => {
    const starter = componentsStarter();
    let r;
    try {
      r = await vicMachine(['upgrade', ...target(), '--name', NAME, '--rollback', '--timeout', '20s']);
    } finally {
      starter.stop();
    }
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const after = await vm();
    expect(buildOf(after.ec)).toBe('1');
    expect(after.cdrom).toBe(`[LocalDS_0] ${NAME}/v1.5.8-1-9489f63-appliance.iso`);
    expect(after.snapshots).toEqual([]);
    expect(after.ec['UpdateInProgress']).toBe('false');
    const again = await vicMachine(['upgrade', ...target(), '--name', NAME, '--rollback']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('could not be found');
  });

  test('a held lock refuses the upgrade, saying who holds it; --reset-progress clears it and says what it cleared', async () => {
    const v = await vm();
    await runTask(admin, 'ReconfigVM_Task', { _this: v.ref, spec: { extraConfig: [{ key: 'UpdateInProgress', value: 'true' }, { key: 'UpdateInProgressInfo', value: 'configure by ops from jumphost (pid 7) since 2026-11-23T01:00:00Z' }] } });
    const r = await vicMachine(upgradeArgs());
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('another upgrade/configure operation is in progress (configure by ops from jumphost (pid 7) since 2026-11-23T01:00:00Z)');
    expect(r.stderr).toContain('--reset-progress');
    const inspect = await vicMachine(['inspect', ...target(), '--name', NAME]);
    expect(inspect.stdout).toContain('Upgrade/configure in progress');
    const reset = await vicMachine(['upgrade', ...target(), '--name', NAME, '--reset-progress']);
    expect(reset.code).toBe(0);
    expect(reset.stderr).toContain('Reset UpdateInProgress flag successfully (it was held by configure by ops from jumphost (pid 7) since 2026-11-23T01:00:00Z)');
    expect((await vm()).ec['UpdateInProgress']).toBe('false');
    const { snapshot } = await retrieveOne<{ snapshot?: unknown }>(admin, v.ref, ['snapshot']);
    expect(snapshot).toBeUndefined();
  });

  (haveFixtures ? test : test.skip)('upgrades a VCH that vic-machine 1.5.8 created (fixture basic) and keeps its configuration', async () => {
    const ref = await recreateFixture(admin, 'basic', 'vch1');
    // the original's appliance boots from a CD-ROM with its appliance ISO (devices.txt); the recreated VM gets one too
    const { 'config.hardware.device': devices } = await retrieveOne<{ 'config.hardware.device': DataObject[] }>(admin, ref, ['config.hardware.device']);
    const ide = devices.find((d) => d._type === 'VirtualIDEController')!;
    await runTask(admin, 'ReconfigVM_Task', { _this: ref, spec: { deviceChange: [{ operation: 'add', device: {
      _type: 'VirtualCdrom', key: -1, controllerKey: ide['key'], unitNumber: 0,
      backing: { _type: 'VirtualCdromIsoBackingInfo', fileName: '[LocalDS_0] vch1/V1.5.8-1-9489F63-appliance.iso' },
    } }] } });
    const before = await vm('vch1');
    // the appliance's Docker API, with the certificate and key 1.5.8 stored (unsealed as the appliance would)
    const conf = decodeVchConfig(before.ec, SecretKey.fromString(before.ec['guestinfo.ovfEnv']!));
    const text = (b?: Uint8Array) => (b ? Buffer.from(b).toString('utf8') : undefined);
    const api = await startDockerApiStandIn({ host: '127.0.0.92', port: 2376, tls: true,
      serverCertPem: text(conf.certificate.hostCertificate?.cert), serverKeyPem: text(conf.certificate.hostCertificate?.key) });
    const starter = componentsStarter('vch1', '127.0.0.92');
    let r;
    try {
      r = await vicMachine(['upgrade', ...target(), '--name', 'vch1', '--appliance-iso', path.join(newIsos, 'appliance.iso'),
        '--bootstrap-iso', path.join(newIsos, 'bootstrap.iso'), '--timeout', '30s']);
    } finally {
      starter.stop();
      await api.stop();
    }
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const after = await vm('vch1');
    expect(buildOf(after.ec)).toBe('2');
    expect(after.cdrom).toBe('[LocalDS_0] vch1/v1.5.8-2-abcdef1-appliance.iso');
    // everything but the version stamp, the bootstrap image, the secret key and the sealed values is as 1.5.8 wrote it
    const changed = Object.keys(before.ec).filter((k) => k.startsWith('guestinfo.vice.') && before.ec[k] !== after.ec[k]
      && !k.includes('@secret') && !/\/init\/version\/|bootstrap_image_path|\.started$|sessions\|[a-z-]+\/started$|client\.assigned\.IP$/.test(k));
    // only the two url.URL fields the recording's Go 1.19 added, which VIC 1.5 appliances (Go 1.8) never read: dropped
    expect(changed).toEqual(['guestinfo.vice./storage/image_stores|0/OmitHost', 'guestinfo.vice./storage/image_stores|0/RawFragment']);
    expect(after.ec['guestinfo.vice./storage/image_stores|0/OmitHost']).toBeUndefined(); // a blank value deletes the key
    expect(after.ec['guestinfo.vice./connect/token@secret']).not.toBe(before.ec['guestinfo.vice./connect/token@secret']);
  });
});
