// Two creates of one name at the same moment, through the real bin/vic-machine against one simulator: exactly one
// VCH results; the other exits non-zero with a message about the name and removes only what it made itself (never
// the winner's pool, folder or VM). No session stays open.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { runVicMachine, STACK_TRACE } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';


let sim: Vcsim;
let admin: Session;
let dir: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-concurrency-', isos: true }, (s) => ({ sim, admin, cwd: dir } = s));

const vicMachine = runVicMachine;

const createArgs = (name: string) => ['create', '--target', `${sim.host}/DC0`, '--user', 'u', '--password', 'p',
  '--thumbprint', sim.thumbprintSHA1, '--compute-resource', 'DC0_C0',
  '--appliance-iso', path.join(dir, 'appliance.iso'), '--bootstrap-iso', path.join(dir, 'bootstrap.iso'),
  '--name', name, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
  '--no-tlsverify', '--timeout', '30s'];

describe('two creates of one name at the same moment', () => {
  test.each([1, 2, 3])('round %i: exactly one VCH, the other fails cleanly and leaves nothing of its own', async (round) => {
    const name = `vchc${round}`;
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const cwds = [0, 1].map((i) => fs.mkdtempSync(path.join(dir, `run${round}-${i}-`)));
    const player = playAppliance(admin, name, `127.0.0.${130 + round}`, { requireClientCert: false });
    const runs = await Promise.all(cwds.map((cwd) => vicMachine(cwd, createArgs(name))));
    await (await player).stop();

    const codes = runs.map((r) => r.code).sort();
    if (codes[0] !== 0 || codes[1] === 0) console.log(runs.map((r) => `exit ${r.code}\n${r.stderr}`).join('\n---\n'));
    expect(codes[0]).toBe(0);
    expect(codes[1]).toBe(6); // conflict
    const loser = runs.find((r) => r.code !== 0)!;
    expect(loser.stderr).toMatch(new RegExp(`"?${name}"?.*(already exists|in use|choose another --name)|--name`));
    expect(loser.stderr).not.toMatch(STACK_TRACE);
    // Its certificates are gone too: only the run's log stays in its working directory.
    expect(fs.readdirSync(cwds[runs.indexOf(loser)]!)).toEqual(['vic-machine.log']);

    // Exactly the winner's VCH: its pool, folder and VM, nothing twice, nothing else.
    const added = (await paths()).filter((p) => !before.includes(p));
    expect(added.filter((p) => p.endsWith(`/${name}`)).length).toBeGreaterThanOrEqual(2);
    expect(added.filter((p) => /\/vm\//.test(p) && p.endsWith(`/${name}/${name}`))).toHaveLength(1);
    expect(added.every((p) => p.includes(name))).toBe(true);
    expect(await sim.openSessions()).toBe(1);

    // The winner's VCH is whole: inspect finds it, and delete removes it.
    const inspect = await vicMachine(cwds[0]!, ['inspect', '--target', `${sim.host}/DC0`, '--user', 'u', '--password', 'p', '--thumbprint', sim.thumbprintSHA1, '--name', name]);
    expect(inspect.code).toBe(0);
  });
});
