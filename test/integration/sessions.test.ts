// No vSphere session outlives a command, whether it succeeded or failed: every command below runs through the real
// bin/vic-machine against one simulator, and the simulator's count of open sessions is the same before and after
// each (the test's own admin session, used to play the appliance, is the only one that stays).
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { runVicMachine } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';


let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true, username: 'admin', password: 'admin-pw' }, tmpPrefix: 'vicm-sessions-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runVicMachine(cwd, args);

const target = (password = 'admin-pw', thumbprint = sim.thumbprintSHA1) =>
  ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', password, '--thumbprint', thumbprint];
const createArgs = (name: string) => ['create', ...target(), '--compute-resource', 'DC0_C0',
  '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'),
  '--name', name, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
  '--no-tlsverify', '--timeout', '20s'];

describe('sessions after every command', () => {
  const seen: { what: string; code: number; before: number; after: number }[] = [];

  /** Runs one command and records the simulator's open sessions before and after it. */
  async function counted(what: string, args: string[], expectedCode: number | ((c: number) => boolean)): Promise<{ code: number; stdout: string; stderr: string }> {
    const before = await sim.openSessions();
    const r = await vicMachine(args);
    const after = await sim.openSessions();
    seen.push({ what, code: r.code, before, after });
    if (typeof expectedCode === 'number' ? r.code !== expectedCode : !expectedCode(r.code)) console.log(`${what}: exit ${r.code}\n${r.stderr}`);
    if (typeof expectedCode === 'number') expect(r.code).toBe(expectedCode);
    else expect(expectedCode(r.code)).toBe(true);
    expect({ what, open: after }).toEqual({ what, open: before });
    return r;
  }

  test('create, ls, inspect, inspect config, configure, upgrade, update firewall, debug, a failed create, a timeout, delete, and each kind of refusal: sessions as before', async () => {
    expect(await sim.openSessions()).toBe(1); // the test's own

    const player = playAppliance(admin, 'vchs', '127.0.0.120', { requireClientCert: false });
    await counted('create', createArgs('vchs'), 0);
    await (await player).stop();
    await counted('ls', ['ls', ...target()], 0);
    await counted('inspect', ['inspect', ...target(), '--name', 'vchs'], 0);
    await counted('inspect config', ['inspect', 'config', ...target(), '--name', 'vchs'], 0);
    // Failures after login: the name is taken (validation), the VCH does not exist, a create that fails mid-way.
    await counted('create of an existing name', createArgs('vchs'), (c) => c !== 0);
    await counted('inspect of a missing VCH', ['inspect', ...target(), '--name', 'nosuch'], 5);
    await sim.injectFaults({ method: 'ReconfigVM_Task', nth: 1, kind: 'soapfault', fault: 'InvalidState' });
    await counted('create failing at the reconfiguration (rolled back)', createArgs('vchs2'), 1);
    await sim.clearFaults();
    await sim.injectFaults({ method: 'RetrievePropertiesEx', nth: 1, kind: 'drop' });
    await counted('ls with a dropped connection', ['ls', ...target()], 0); // the read is retried
    await sim.clearFaults();
    // Failures at or before login: a wrong password, a wrong thumbprint.
    await counted('ls with a wrong password', ['ls', ...target('wrong-pw')], 4);
    await counted('ls with a wrong thumbprint', ['ls', ...target('admin-pw', Array(20).fill('AB').join(':'))], 3);
    // The maintenance commands and the others, each ending its own way.
    await counted('configure with nothing to change', ['configure', ...target(), '--name', 'vchs'], 0);
    await counted('upgrade to the same version (refused)', ['upgrade', ...target(), '--name', 'vchs',
      '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso')], (c) => c !== 0);
    await counted('update firewall', ['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow'], 0);
    await counted('debug (the simulator has no guest operations)', ['debug', ...target(), '--name', 'vchs', '--enable-ssh'], (c) => c !== 0 && c !== 2);
    await sim.injectFaults({ method: 'RetrievePropertiesEx', nth: 1, kind: 'slow', delayMs: 2500 });
    await counted('ls running out of --timeout while a call is out', ['ls', ...target(), '--timeout', '1s'], 7);
    await sim.clearFaults();
    await counted('delete', ['delete', ...target(), '--name', 'vchs', '--force'], 0);
    await counted('delete of a missing VCH', ['delete', ...target(), '--name', 'vchs'], 5);

    console.log(seen.map((s) => `${s.what}: exit ${s.code}, sessions ${s.before} → ${s.after}`).join('\n'));
    expect(await sim.openSessions()).toBe(1);
  });
});
