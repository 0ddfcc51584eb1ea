// delete --force and the folders create made for volume stores, through the real bin/vic-machine against the
// simulator (vic-machine 1.5.8 left them behind): a parent folder create made is removed with the stores in it; a
// folder that existed before create (the admin's) is kept, with its other contents; a folder create made that the
// admin put something into since is kept too, with what was put there.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { runVicMachine } from '../support/cli-process.js';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { vmState } from '../support/maintenance-sweep.js';
import type { Session } from '../../src/vim/session.js';
import { CREATED_FOLDERS_KEY } from '../../src/vic/config/created-folders.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-delvol-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const login = () => ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'Del-Pw-9090', '--thumbprint', sim.thumbprintSHA1];
const ds = () => sim.datastores['LocalDS_0']!;
const onDs = (p: string) => path.join(ds(), p);

async function createWith(name: string, ip: string, volumeStores: string[]): Promise<void> {
  const stop = new AbortController();
  const player = playAppliance(admin, name, ip, { requireClientCert: false, signal: stop.signal });
  player.catch(() => undefined);
  const r = await runVicMachine(cwd, ['create', ...login(), '--compute-resource', 'DC0_C0',
    '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'),
    '--name', name, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
    ...volumeStores.flatMap((v) => ['--volume-store', v]), '--no-tlsverify', '--timeout', '30s']);
  stop.abort('create ended');
  await (await player.catch(() => undefined))?.stop();
  if (r.code !== 0) console.log(r.stderr);
  expect(r.code).toBe(0);
}

async function deleteForce(name: string): Promise<string> {
  const r = await runVicMachine(cwd, ['delete', ...login(), '--name', name, '--force']);
  if (r.code !== 0) console.log(r.stderr);
  expect(r.code).toBe(0);
  return r.stderr;
}

describe('delete --force removes the volume-store folders create made, and nothing the admin made', () => {
  test('a parent folder create made (two stores in it, one two levels down) is removed', async () => {
    expect(fs.existsSync(onDs('test-volumes'))).toBe(false);
    await createWith('vchvol1', '127.0.0.141', ['LocalDS_0/test-volumes/foo:foo', 'LocalDS_0/test-volumes/deeper/bar:default']);
    expect(fs.statSync(onDs('test-volumes/foo')).isDirectory()).toBe(true);
    expect(fs.statSync(onDs('test-volumes/deeper/bar')).isDirectory()).toBe(true);
    // the record: the topmost folder this run made, once
    expect((await vmState(admin, 'vchvol1')).ec[CREATED_FOLDERS_KEY]).toBe('ds://LocalDS_0/test-volumes');
    const out = await deleteForce('vchvol1');
    expect(out).toContain('Removing folder [LocalDS_0] test-volumes/deeper, made by create for a volume store');
    expect(out).toContain('Removing folder [LocalDS_0] test-volumes, made by create for a volume store');
    expect(fs.existsSync(onDs('test-volumes'))).toBe(false);
  });

  test('a folder that existed before create (the admin\'s) is kept, with its other contents', async () => {
    fs.mkdirSync(onDs('admin-vols/team'), { recursive: true });
    fs.writeFileSync(onDs('admin-vols/keep.txt'), 'the admin\'s');
    await createWith('vchvol2', '127.0.0.142', ['LocalDS_0/admin-vols/foo:foo', 'LocalDS_0/admin-vols/team/vols:default']);
    expect(fs.statSync(onDs('admin-vols/foo')).isDirectory()).toBe(true);
    expect((await vmState(admin, 'vchvol2')).ec[CREATED_FOLDERS_KEY]).toBeUndefined(); // create made nothing above its stores
    await deleteForce('vchvol2');
    expect(fs.existsSync(onDs('admin-vols/foo'))).toBe(false);
    expect(fs.existsSync(onDs('admin-vols/team/vols'))).toBe(false);
    expect(fs.readFileSync(onDs('admin-vols/keep.txt'), 'utf8')).toBe('the admin\'s');
    expect(fs.statSync(onDs('admin-vols/team')).isDirectory()).toBe(true);
  });

  test('a folder create made that the admin put something into since is kept, with it; without --force nothing goes', async () => {
    await createWith('vchvol3', '127.0.0.143', ['LocalDS_0/shared-vols/mine:default']);
    fs.writeFileSync(onDs('shared-vols/notes.txt'), 'added later');
    const kept = await runVicMachine(cwd, ['delete', ...login(), '--name', 'vchvol3']);
    expect(kept.code).toBe(0);
    expect(fs.statSync(onDs('shared-vols/mine')).isDirectory()).toBe(true);
    // deleted without --force: the VCH is gone, its volume store and the folder above it stay
    expect(fs.existsSync(onDs('shared-vols/notes.txt'))).toBe(true);
  });

  test('…and with --force the store goes, the folder with the admin\'s file stays', async () => {
    await createWith('vchvol4', '127.0.0.144', ['LocalDS_0/more-vols/mine:default']);
    fs.writeFileSync(onDs('more-vols/notes.txt'), 'added later');
    const out = await deleteForce('vchvol4');
    expect(out).toContain('Folder [LocalDS_0] more-vols, made by create for a volume store, is not empty and will not be removed');
    expect(fs.existsSync(onDs('more-vols/mine'))).toBe(false);
    expect(fs.readFileSync(onDs('more-vols/notes.txt'), 'utf8')).toBe('added later');
  });

  test('configure: a new store in a folder it makes is recorded too, an existing store folder is taken as it is; delete --force removes only what the tools made', async () => {
    await createWith('vchvol5', '127.0.0.145', []);
    fs.mkdirSync(onDs('cfg-existing/pre'), { recursive: true });
    fs.writeFileSync(onDs('cfg-existing/keep.txt'), 'the admin\'s');
    // configure restarts the appliance: play it again once it is powered on with its guest keys cleared
    const stop = new AbortController();
    const replay = (async () => {
      for (;;) {
        stop.signal.throwIfAborted();
        const [v] = (await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'runtime.powerState', 'config.extraConfig']))
          .filter((x) => x.props['name'] === 'vchvol5');
        const ec = Object.fromEntries(((v?.props['config.extraConfig'] as { key: string; value: string }[]) ?? []).map((o) => [o.key, String(o.value)]));
        const started = ec['guestinfo.vice..init.sessions|vicadmin.started'];
        if (v?.props['runtime.powerState'] === 'poweredOn' && (!started || started === '<nil>')) {
          return playAppliance(admin, 'vchvol5', '127.0.0.146', { requireClientCert: false, signal: stop.signal });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    replay.catch(() => undefined);
    const r = await runVicMachine(cwd, ['configure', ...login(), '--name', 'vchvol5', '--timeout', '60s',
      '--volume-store', 'LocalDS_0/cfg-vols/deep/x:x', '--volume-store', 'LocalDS_0/cfg-existing/pre:pre', '--volume-store', 'LocalDS_0/cfg-existing/sub:sub']);
    stop.abort('configure ended');
    await (await replay.catch(() => undefined))?.stop();
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(fs.statSync(onDs('cfg-vols/deep/x')).isDirectory()).toBe(true);
    expect((await vmState(admin, 'vchvol5')).ec[CREATED_FOLDERS_KEY]).toBe('ds://LocalDS_0/cfg-vols');
    await deleteForce('vchvol5');
    expect(fs.existsSync(onDs('cfg-vols'))).toBe(false);
    expect(fs.readdirSync(onDs('cfg-existing'))).toEqual(['keep.txt']);
  });
});
