// --thumbprint through the real bin/vic-machine against the simulator: any spelling of the target certificate's
// SHA-1 or SHA-256 thumbprint connects; the VCH's configuration stores the certificate's SHA-1 in 1.5's form
// (upper case, colons) whatever was given; configure sees a respelling, or the SHA-256 of the same certificate, as
// no change; a malformed (truncated) --thumbprint connects, trusts nothing, sends no request, and prints the
// server's SHA-1 and SHA-256 thumbprints naming --thumbprint (exit 3), also with --force.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { runVicMachine, STACK_TRACE } from '../support/cli-process.js';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { vmState } from '../support/maintenance-sweep.js';
import { ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import type { Session } from '../../src/vim/session.js';
import { runTask } from '../../src/vim/task.js';
import { loadInventory } from '../../src/vim/inventory.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-thumbprint-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const KEY = 'guestinfo.vice./connect/target_thumbprint';
const login = (thumbprint: string) => ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'Tp-Pw-4411', '--thumbprint', thumbprint];
const spaced = (t: string) => t.replace(/:/g, ' ').toLowerCase();
const bare = (t: string) => t.replace(/:/g, '').toLowerCase();

describe('--thumbprint: one value, stored in 1.5\'s form', () => {
  test('create with the SHA-256 in lower case with spaces stores the certificate\'s SHA-1, upper case with colons', async () => {
    const player = playAppliance(admin, 'vchtp', '127.0.0.131', { requireClientCert: false });
    const c = await runVicMachine(cwd, ['create', ...login(spaced(sim.thumbprintSHA256)), '--compute-resource', 'DC0_C0',
      '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'),
      '--name', 'vchtp', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
      '--no-tlsverify', '--timeout', '30s']);
    await (await player).stop();
    if (c.code !== 0) console.log(c.stderr);
    expect(c.code).toBe(0);
    expect((await vmState(admin, 'vchtp')).ec[KEY]).toBe(sim.thumbprintSHA1);
    expect(sim.thumbprintSHA1).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    // inspect config gives it back in the same form
    const ic = await runVicMachine(cwd, ['inspect', 'config', ...login(bare(sim.thumbprintSHA1)), '--name', 'vchtp']);
    expect(ic.code).toBe(0);
    expect(ic.stdout).toContain(`--thumbprint=${sim.thumbprintSHA1}`);
  });

  test.each([
    ['the SHA-1 in lower case without colons', () => bare(sim.thumbprintSHA1)],
    ['the SHA-256 of the same certificate', () => sim.thumbprintSHA256],
    ['openssl\'s output pasted whole', () => `SHA1 Fingerprint=${sim.thumbprintSHA1}`],
  ])('configure with %s: no change', async (_what, tp) => {
    const r = await runVicMachine(cwd, ['configure', ...login(tp()), '--name', 'vchtp', '--json']);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false, changes: [] });
  });

  test('a VCH whose configuration holds the thumbprint in another spelling: configure with the SHA-256 is no change either', async () => {
    const before = await vmState(admin, 'vchtp');
    await runTask(admin, ReconfigVM_Task, { _this: before.ref, spec: { extraConfig: [{ key: KEY, value: bare(sim.thumbprintSHA1) }] } });
    const r = await runVicMachine(cwd, ['configure', ...login(sim.thumbprintSHA256), '--name', 'vchtp', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false });
    const d = await runVicMachine(cwd, ['delete', ...login(sim.thumbprintSHA1), '--name', 'vchtp', '--force']);
    expect(d.code).toBe(0);
  });
});

describe('a malformed --thumbprint: connect, trust nothing, show the server\'s thumbprints', () => {
  const truncated = () => sim.thumbprintSHA1.slice(0, 20); // "AB:CD:EF:01:23:45:67" — 7 bytes of a paste cut short
  test.each([
    ['ls', () => ['ls', ...login(truncated())]],
    ['delete --force (a pin that is not a thumbprint is never overridden)', () => ['delete', ...login(truncated()), '--name', 'vchtp', '--force']],
    ['create', () => ['create', ...login(truncated()), '--compute-resource', 'DC0_C0', '--appliance-iso', path.join(cwd, 'appliance.iso'),
      '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'), '--name', 'vchbadtp', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0',
      '--public-network', 'VM Network', '--no-tlsverify']],
    ['delete', () => ['delete', ...login('zz'), '--name', 'vchtp']],
  ])('%s', async (_what, args) => {
    const before = [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    await sim.resetStats();
    const r = await runVicMachine(cwd, args());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--thumbprint "[^"]+" is not a certificate thumbprint \(it has \d+ bytes|"Z" is not a hex digit/);
    expect(r.stderr).toContain(`SHA-256 ${sim.thumbprintSHA256}`);
    expect(r.stderr).toContain(`SHA-1   ${sim.thumbprintSHA1}`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    // not one request reached the target
    expect((await sim.stats()).total).toBe(0);
    expect([...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort()).toEqual(before);
  });

  test('--json: the error names --thumbprint and carries both thumbprints', async () => {
    const r = await runVicMachine(cwd, ['ls', ...login(truncated()), '--json']);
    expect(r.code).toBe(3);
    const err = (JSON.parse(r.stdout) as { error: { type: string; flag?: string; message: string } }).error;
    expect(err).toMatchObject({ type: 'tls-trust', flag: '--thumbprint' });
    expect(err.message).toContain(sim.thumbprintSHA1);
    expect(err.message).toContain(sim.thumbprintSHA256);
  });
});
