// `vic-machine debug` against the simulator. The simulator has no guest operations: its GuestProcessManager exists
// but implements neither StartProgramInGuest nor ListProcessesInGuest, and its VMs never report VMware Tools as
// running. So these tests show the preconditions and errors as a real target would give them, and the exact
// StartProgramInGuest request reaching the simulator; the call sequence on a target that does run the programs is
// tested with a recording caller in test/unit/debug/guest-access.test.ts.
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { runCli } from '../support/in-process-cli.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { PowerOffVM_Task, PowerOnVM_Task } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { runTask } from '../../src/vim/task.js';
import type { MoRef } from '../../src/vim/types.js';
import { assertGuestReady, enableDebugAccess, readGuestReadiness } from '../../src/vic/debug/guest-access.js';
import { failureOf } from '../support/failure-of.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
let vm: MoRef;
const PASSWORD = 'Root-pw-never-printed-9';

simulatorSuite({ vcsim: { username: 'user', password: 'pass' }, tmpPrefix: 'vicm-debug-', isos: true }, (s) => ({ sim, admin, cwd } = s));
beforeAll(async () => {
  fs.writeFileSync(path.join(cwd, 'id.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@here\n');
  fs.writeFileSync(path.join(cwd, 'id'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  if (haveFixtures) vm = await recreateFixture(admin, 'basic', 'vch1');
});

const vicMachine = (args: string[]) => runCli(args, cwd);
const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

(haveFixtures ? describe : describe.skip)('debug on a VCH (fixture "basic", powered on)', () => {
  test('tools not running (always so in the simulator): the original\'s error, exit 6, versions shown, no guest call', async () => {
    await sim.resetStats();
    const r = await vicMachine(['debug', ...target(), '--name', 'vch1', '--authorized-key', 'id.pub', '--rootpw', PASSWORD]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('### Configuring VCH for debug ####');
    expect(r.stderr).toContain(`VCH ID: VirtualMachine:${vm.value}`);
    expect(r.stderr).toContain('Installer version: v1.5.8-1-9489f63');
    expect(r.stderr).toContain('VCH version: v1.5.8-1-9489f63');
    expect(r.stderr).toMatch(/vic-machine debug: Tools is not running in the appliance, unable to continue \(guest\.toolsRunningStatus is guestToolsNotRunning; /);
    const stats = await sim.stats();
    expect(stats.soap['StartProgramInGuest']).toBeUndefined();
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(await sim.openSessions()).toBe(1);
  });

  test('the request the appliance would get reaches the simulator, which answers MethodNotFound: a clear error, password not echoed', async () => {
    const ready = await readGuestReadiness(admin, vm);
    expect(ready).toEqual({ powerState: 'poweredOn', toolsRunningStatus: 'guestToolsNotRunning', processManager: { type: 'GuestProcessManager', value: 'guestOperationsProcessManager' } });
    await sim.resetStats();
    const e = await failureOf(enableDebugAccess(admin, vm, ready.processManager!, { authorizedKey: 'ssh-ed25519 AAAA me\n', rootPassword: PASSWORD, pollMs: 0 }));
    expect(e.message).toBe('Unable to enable SSH in appliance VM: the target does not implement guest operations (StartProgramInGuest: MethodNotFound)');
    expect(e.cliErrorType).toBe('conflict');
    expect(e.message).not.toContain(PASSWORD);
    // exactly one call: nothing is polled, passwd is not tried after enable-ssh failed
    expect((await sim.stats()).soap).toEqual({ StartProgramInGuest: 1 });
  });

  test('powered off: "VCH appliance is not powered on", exit 6', async () => {
    await runTask(admin, PowerOffVM_Task, { _this: vm });
    try {
      const r = await vicMachine(['debug', ...target(), '--id', vm.value]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('VCH appliance is not powered on, state poweredOff');
      expect(() => assertGuestReady({ powerState: 'poweredOff', toolsRunningStatus: 'x' })).toThrow('not powered on');
    } finally {
      await runTask(admin, PowerOnVM_Task, { _this: vm });
    }
  });

  test('no such VCH: exit 5 naming the VCHs that exist', async () => {
    const r = await vicMachine(['debug', ...target(), '--name', 'nope']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('Didn\'t find VCH "nope"');
    expect(r.stderr).toContain(`vch1 (--id ${vm.value})`);
  });
});

describe('--authorized-key is checked before connecting', () => {
  test('a missing file, or a private key: exit 2 naming the flag, no request made', async () => {
    await sim.resetStats();
    const missing = await vicMachine(['debug', ...target(), '--name', 'vch1', '--authorized-key', 'nope.pub', '--json']);
    expect(missing.code).toBe(2);
    const err = (JSON.parse(missing.stdout) as { error: { message: string; flag: string } }).error;
    expect(err.flag).toBe('--authorized-key');
    expect(err.message).toMatch(/^Unable to read public key from nope\.pub: ENOENT/);
    const priv = await vicMachine(['debug', ...target(), '--name', 'vch1', '--authorized-key', 'id']);
    expect(priv.code).toBe(2);
    expect(priv.stderr).toContain('id holds a private key: --authorized-key takes the public key (e.g. id.pub)');
    expect(priv.stderr).not.toContain('b3BlbnNzaC1rZXktdjE=');
    expect((await sim.stats()).total).toBe(0);
  });
});
