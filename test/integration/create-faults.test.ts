// The reliability sweep for `vic-machine create`: one successful create learns every SOAP method (and datastore
// upload) create calls and how often; then, for each call point, a fresh simulator gets ONE fault at that point and
// create runs again. Whatever happens, it must end either in success (exit 0, a complete VCH) or in a non-zero exit
// with one clear message and no stack trace. Before the VCH is complete (the final reconfiguration), a failure must
// leave the inventory, the datastore and the working directory exactly as they were. Faults after power-on (the wait
// for the appliance) keep the VCH and exit 7 (timeout) or 1.
//
// The outcome table is printed and written to $FAULT_SWEEP_TABLE (default: <tmp>/create-fault-sweep.md); it is
// pasted into docs/reliability.md. Reproduce: npm test -- test/integration/create-faults.test.ts
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type FaultRule, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { playAppliance } from '../support/appliance-player.js';
import type { DockerApiStandIn } from '../support/appliance-stand-in.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';
import { datastoreEntries, runVicMachine } from '../support/cli-process.js';

const NAME = 'vchf';
const TIMEOUT = '10s';

let isoDir: string;

beforeAll(async () => {
  isoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-faults-iso-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(isoDir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
});
afterAll(() => {
  fs.rmSync(isoDir, { recursive: true, force: true });
});


const createArgs = (sim: Vcsim) => ['create', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass',
  '--thumbprint', sim.thumbprintSHA1, '--compute-resource', 'DC0_C0',
  '--appliance-iso', path.join(isoDir, 'appliance.iso'), '--bootstrap-iso', path.join(isoDir, 'bootstrap.iso'),
  '--name', NAME, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
  '--no-tlsverify', '--timeout', TIMEOUT];


/**
 * Plays the appliance once create has written the final configuration, watching the VM's .vmx on the local disk
 * (the test bed writes extraConfig there), so that the player makes no SOAP call before that point and does not
 * disturb the fault counts of the provisioning phase.
 */
function lazyPlayer(sim: Vcsim, admin: Session, ip: string): { stop: () => Promise<{ played: boolean; error?: string }> } {
  let stopped = false;
  let standIn: DockerApiStandIn | undefined;
  let error: string | undefined;
  const vmx = path.join(sim.datastores['LocalDS_0']!, NAME, `${NAME}.vmx`);
  const done = (async () => {
    while (!stopped) {
      let text = '';
      try { text = fs.readFileSync(vmx, 'utf8'); } catch { /* not yet */ }
      if (/^guestinfo\.vice\.\/init\/common\/id = "VirtualMachine:/m.test(text)) {
        try {
          standIn = await playAppliance(admin, NAME, ip, { requireClientCert: false, timeoutMs: 5_000 });
          error = undefined;
          return;
        } catch (e) {
          // The injected fault may hit the player's own call rather than create's (they interleave after the final
          // configuration): a real appliance is not disturbed by it, so play again until stopped.
          error = (e as Error).message.split('\n')[0];
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      await standIn?.stop();
      return { played: !!standIn, ...(error ? { error } : {}) };
    },
  };
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  fired: number;
  player: { played: boolean; error?: string };
  invBefore: string[];
  invAfter: string[];
  dsBefore: string[];
  dsAfter: string[];
  cwdAfter: string[];
  stats: Awaited<ReturnType<Vcsim['stats']>>;
}

let ipSeq = 60;

/** One create on a fresh simulator, with the given fault rules injected just before it. */
async function runCreate(rules: FaultRule[], env: Record<string, string> = {}, settleMs = 0): Promise<RunResult> {
  const sim = await startVcsim({ firewallOpen: true });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-faults-'));
  let admin: Session | undefined;
  try {
    admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
    const paths = async () => [...(await loadInventory(admin!, { includeVMs: true })).objects].map((o) => o.path).sort();
    const invBefore = await paths();
    const dsBefore = datastoreEntries(sim.datastores);
    const player = lazyPlayer(sim, admin, `127.0.0.${ipSeq++}`);
    await sim.resetStats();
    if (rules.length) await sim.injectFaults(rules);
    const r = await runVicMachine(cwd, createArgs(sim), env);
    if (settleMs) await new Promise((res) => setTimeout(res, settleMs));
    const playerResult = await player.stop();
    const fired = rules.length ? (await sim.faults()).reduce((n, f) => n + f.fired, 0) : 0;
    await sim.clearFaults();
    const stats = await sim.stats();
    return {
      ...r, fired, player: playerResult, invBefore, invAfter: await paths(), dsBefore, dsAfter: datastoreEntries(sim.datastores),
      cwdAfter: fs.readdirSync(cwd).sort(), stats,
    };
  } finally {
    await admin?.logout().catch(() => undefined);
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

// --- the call points ---

/** Calls that change something in vSphere or on the datastore: they get InvalidState, reads SystemError. */
const WRITES = new Set(['CreateResourcePool', 'CreateFolder', 'CreateVM_Task', 'ReconfigVM_Task', 'PowerOnMultiVM_Task',
  'PowerOnVM_Task', 'MakeDirectory', 'DeleteDatastoreFile_Task', 'Destroy_Task', 'http:PUT']);
/** Calls made by the appliance player itself (measured), subtracted from the discovery counts. */
let playerCalls: Record<string, number> = {};

interface Case { method: string; nth: number; kind: FaultRule['kind']; fault?: string; delayMs?: number }

/** For the slow answers beyond the limit: how long one request may go unanswered (VIC_MACHINE_API_TIMEOUT). */
const API_TIMEOUT_MS = 1000;
interface Row extends Case {
  code: number; fired: boolean; outcome: string; message: string; left: string; ms: number; violations: string[];
}

const rows: Row[] = [];

/**
 * Product bugs this sweep found (docs/reliability.md), keyed `method #nth kind`. Their rows are marked in the table
 * and do not fail the test; any other violation does. Remove an entry when its bug is fixed (the test says so).
 */
const KNOWN: Record<string, string> = {
  // none open. Fixed: the appliance VM journaled only after reading its files (a lost task result left it), and a
  // lost answer to CreateResourcePool / CreateFolder / CreateVM_Task (the object exists, create did not know it):
  // provision.ts now journals each object as soon as it exists and looks it up by name when the answer was lost.
};

function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => l.startsWith('vic-machine create:')) ?? lines.find((l) => /^(error|Error)\b/i.test(l)) ?? lines[lines.length - 1] ?? '').slice(0, 160);
}

const hasVch = (inv: string[]) => inv.includes(`/DC0/vm/${NAME}/${NAME}`);

function judge(c: Case, r: RunResult): Row {
  const violations: string[] = [];
  const message = r.code === 0 ? '' : firstErrorLine(r.stderr);
  if (/^\s+at .*:\d+:\d+\)?$/m.test(r.stderr)) violations.push('stack trace on stderr');
  if (r.stderr.includes('pass ')) violations.push('password on stderr');
  const invAdded = r.invAfter.filter((p) => !r.invBefore.includes(p));
  const invRemoved = r.invBefore.filter((p) => !r.invAfter.includes(p));
  const dsAdded = r.dsAfter.filter((p) => !r.dsBefore.includes(p));
  const dsRemoved = r.dsBefore.filter((p) => !r.dsAfter.includes(p));
  const keptVch = hasVch(r.invAfter);
  let outcome: string;
  let left: string;
  if (r.code === 0) {
    outcome = 'success';
    left = 'complete VCH';
    if (!keptVch) violations.push('exit 0 without the VCH VM');
    if (!r.stdout.includes('Installer completed successfully')) violations.push('exit 0 without "Installer completed successfully"');
  } else if (keptVch && (r.code === 7 || r.code === 1) && !r.stderr.includes('Create failed while')) {
    // The fault hit the wait for the appliance, after power-on: the VCH is kept, as after a timeout.
    outcome = `VCH kept${/was created and is kept/.test(r.stderr) ? '' : ' (the message does not say so)'}`;
    left = `the VCH (${invAdded.length} inventory objects, ${dsAdded.length} datastore entries)`;
    if (!message) violations.push('non-zero exit without a message');
  } else {
    outcome = 'failed';
    if (!message) violations.push('non-zero exit without a message');
    const leftovers = [
      ...invAdded.map((p) => `inventory +${p}`), ...invRemoved.map((p) => `inventory -${p}`),
      ...dsAdded.map((p) => `datastore +${p}`), ...dsRemoved.map((p) => `datastore -${p}`),
      // the run's log (./vic-machine.log) stays by design: it says what happened
      ...r.cwdAfter.filter((p) => p !== 'vic-machine.log').map((p) => `cwd +${p}`),
    ];
    left = leftovers.length ? leftovers.join(', ') : 'nothing';
    violations.push(...leftovers.map((l) => `left ${l}`));
  }
  return { ...c, code: r.code, fired: r.fired > 0, outcome, message, left, ms: r.ms, violations };
}

describe('create under injected faults', () => {
  let calls: Record<string, number> = {};

  test('a clean create: every SOAP method and upload it calls, and how often', async () => {
    const r = await runCreate([]);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(r.player.played).toBe(true);
    const all: Record<string, number> = { ...r.stats.soap };
    for (const [m, n] of Object.entries(r.stats.http)) all[`http:${m}`] = n;
    // The player's own calls (one playAppliance on a finished VCH, measured on its own).
    const sim = await startVcsim({ firewallOpen: true });
    try {
      const admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-faults-'));
      const player = playAppliance(admin, NAME, '127.0.0.59', { requireClientCert: false });
      const c = await runVicMachine(cwd, createArgs(sim));
      expect(c.code).toBe(0);
      await (await player).stop();
      await sim.resetStats();
      await (await playAppliance(admin, NAME, '127.0.0.59', { requireClientCert: false })).stop();
      playerCalls = { ...(await sim.stats()).soap };
      await admin.logout();
      fs.rmSync(cwd, { recursive: true, force: true });
    } finally {
      await sim.stop();
    }
    for (const [m, n] of Object.entries(playerCalls)) if (all[m] !== undefined) all[m] = Math.max(0, all[m]! - n);
    calls = Object.fromEntries(Object.entries(all).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
    console.log(`create calls: ${JSON.stringify(calls)}; the appliance player's: ${JSON.stringify(playerCalls)}`);
    expect(calls['CreateVM_Task']).toBe(1);
    expect(calls['http:PUT']).toBe(3); // two ISOs and the run's log
  });

  test('one fault at each call point: success, or a clear error and nothing left behind', async () => {
    expect(Object.keys(calls).length).toBeGreaterThan(0);
    const cases: Case[] = [];
    for (const [method, count] of Object.entries(calls)) {
      if (method.startsWith('http:') && method !== 'http:PUT') continue;
      const http = method.startsWith('http:');
      const upTo = count; // every call point: each run takes about a second
      for (let nth = 1; nth <= upTo; nth++) {
        cases.push(http ? { method, nth, kind: 'http500' }
          : { method, nth, kind: 'soapfault', fault: method.endsWith('_Task') || WRITES.has(method) ? 'InvalidState' : 'SystemError' });
      }
    }
    // Other ways for the same points to fail: the task fails rather than the call; the connection drops.
    cases.push({ method: 'CreateVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' });
    cases.push({ method: 'ReconfigVM_Task', nth: 1, kind: 'taskfault', fault: 'InvalidState' });
    cases.push({ method: 'PowerOnMultiVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' });
    cases.push({ method: 'CreateResourcePool', nth: 1, kind: 'drop' });
    cases.push({ method: 'http:PUT', nth: 1, kind: 'drop' });
    cases.push({ method: 'RetrievePropertiesEx', nth: 2, kind: 'drop' });
    cases.push({ method: 'WaitForUpdatesEx', nth: 1, kind: 'drop' });
    // Executed, but the answer is lost: vSphere has the object, create does not know its reference.
    cases.push({ method: 'CreateResourcePool', nth: 1, kind: 'drop-after' });
    cases.push({ method: 'CreateVM_Task', nth: 1, kind: 'drop-after' });
    // Slow answers: within the request timeout a busy vSphere only makes create slower; beyond it (the timeout set to
    // 1 s here, 5 min by default) the call fails as a lost answer would, and a transfer that moves no data is a stall.
    for (const method of ['CreateVM_Task', 'http:PUT', 'WaitForUpdatesEx']) cases.push({ method, nth: 1, kind: 'slow', delayMs: 800 });
    for (const method of ['RetrievePropertiesEx', 'CreateResourcePool', 'CreateVM_Task', 'PowerOnMultiVM_Task', 'http:PUT']) {
      cases.push({ method, nth: method === 'RetrievePropertiesEx' ? 3 : 1, kind: 'slow', delayMs: 2 * API_TIMEOUT_MS });
    }
    // A task that never finishes (stuck behind a busy host): given up after the same limit, cancelled, rolled back.
    for (const method of ['CreateVM_Task', 'ReconfigVM_Task', 'PowerOnMultiVM_Task']) cases.push({ method, nth: 1, kind: 'taskhang', delayMs: 2 * API_TIMEOUT_MS });

    for (const c of cases) {
      const rule: FaultRule = { method: c.method, nth: c.nth, kind: c.kind, ...(c.fault ? { fault: c.fault } : {}), ...(c.delayMs ? { delayMs: c.delayMs } : {}) };
      // A call answered after create gave up on it still acts on the server: the inventory is read once it has.
      const r = await runCreate([rule], c.delayMs && c.delayMs > API_TIMEOUT_MS ? { VIC_MACHINE_API_TIMEOUT: `${API_TIMEOUT_MS}ms` } : {},
        c.delayMs && c.delayMs > API_TIMEOUT_MS ? c.delayMs : 0);
      const row = judge(c, r);
      // The player only matters when create got as far as the wait (after a rollback it cannot find the VM).
      if (r.player.error && row.outcome === 'success') row.violations.push(`appliance player: ${r.player.error}`);
      rows.push(row);
      if (row.violations.length) console.log(`${c.method} #${c.nth} ${c.kind}: exit ${r.code}\n${r.stderr}`);
    }

    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const table = [
      '| method | nth | fault | fired | exit | outcome | message (first error line) | left behind |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.method} | ${r.nth} | ${r.kind}${r.fault ? ` ${r.fault}` : ''}${r.delayMs ? ` ${r.delayMs} ms` : ''} | ${r.fired ? 'yes' : 'no'} | ${r.code} | ` +
        `${r.outcome}${r.violations.length && KNOWN[`${r.method} #${r.nth} ${r.kind}`] ? ` **${KNOWN[`${r.method} #${r.nth} ${r.kind}`]}**` : ''} | ` +
        `${esc(r.message)} | ${esc(r.left)} |`),
    ].join('\n');
    const out = process.env['FAULT_SWEEP_TABLE'] ?? path.join(os.tmpdir(), 'create-fault-sweep.md');
    fs.writeFileSync(out, `${table}\n`);
    console.log(`create fault sweep (${rows.length} cases, written to ${out}):\n${table}`);
    const key = (r: Row) => `${r.method} #${r.nth} ${r.kind}${r.delayMs ? ` ${r.delayMs}` : ''}`;
    const bad = rows.filter((r) => r.violations.length && !KNOWN[key(r)]).map((r) => `${key(r)}: ${r.violations.join('; ')}`);
    const fixed = rows.filter((r) => !r.violations.length && KNOWN[key(r)]).map(key);
    if (fixed.length) console.log(`known bugs no longer seen (remove them from KNOWN): ${fixed.join(', ')}`);
    expect(bad).toEqual([]);
  }, 900_000); // dozens of CLI runs: on a loaded 2-core machine this passed 120 s (as the upgrade/configure sweeps allow)
});
