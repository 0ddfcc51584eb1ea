// SIGINT and SIGTERM during create, through the real bin/vic-machine: the simulator holds one provisioning call (a
// per-method delay), the signal arrives while it is pending, and create must roll back what it made, log out and exit
// 130, leaving the inventory, the datastore and its working directory (but its log) as before.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');

let sim: Vcsim;
let admin: Session;
let dir: string;

beforeAll(async () => {
  // The held calls: each long enough for the signal to land while it is pending.
  sim = await startVcsim({ firewallOpen: true, methodDelayMs: { CreateVM_Task: 2500, PowerOnMultiVM_Task: 2500 } });
  admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-signals-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(dir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
});
afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function datastoreFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      out.push(`${rel}/${e.name}`);
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}/${e.name}`);
    }
  };
  for (const [ds, d] of Object.entries(sim.datastores)) walk(d, ds);
  return out.sort();
}

/** Starts create, sends `signal` once stderr shows `when`, and resolves with the exit code and output. */
function createInterrupted(cwd: string, name: string, when: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; signalled: boolean }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, 'create', '--target', `${sim.host}/DC0`, '--user', 'u', '--password', 'p',
      '--thumbprint', sim.thumbprintSHA1, '--compute-resource', 'DC0_C0',
      '--appliance-iso', path.join(dir, 'appliance.iso'), '--bootstrap-iso', path.join(dir, 'bootstrap.iso'),
      '--name', name, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
      '--no-tlsverify', '--timeout', '60s'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let signalled = false;
    p.stdout.resume();
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!signalled && stderr.includes(when)) {
        signalled = true;
        // a moment after the line, so that the held call is in flight
        setTimeout(() => p.kill(signal), 300);
      }
    });
    p.on('exit', (code) => resolve({ code, stderr, signalled }));
  });
}

describe('signals during create', () => {
  test.each([
    ['SIGINT', 'while the appliance VM is created', 'Creating appliance VM'],
    ['SIGTERM', 'while the appliance VM is powered on', 'Powering on the appliance VM'],
    // the VCH is complete and powered on; nobody plays the appliance, so create waits for it until the signal
    ['SIGINT', 'while create waits for the appliance', 'Waiting for IP information'],
  ] as const)('%s %s: rolled back, logged out, exit 130', async (signal, _what, when) => {
    const name = `vchsig-${when.split(' ')[0]!.toLowerCase()}`;
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const invBefore = await paths();
    const dsBefore = datastoreFiles();
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    const r = await createInterrupted(cwd, name, when, signal);
    if (r.code !== 130) console.log(r.stderr);
    expect(r.signalled).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Interrupted/);
    if (when.startsWith('Waiting')) expect(r.stderr).toMatch(/Interrupted while waiting for the appliance: removing the VCH/);
    expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    // The held call may still complete on the server after create gave up on it; the rollback must win anyway.
    await new Promise((res) => setTimeout(res, 3000));
    if ((await paths()).length !== invBefore.length) console.log(r.stderr);
    expect(await paths()).toEqual(invBefore);
    expect(datastoreFiles()).toEqual(dsBefore);
    expect(fs.readdirSync(cwd)).toEqual(['vic-machine.log']);
    expect(await sim.openSessions()).toBe(1);
  });
});
