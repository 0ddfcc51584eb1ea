// The reliability sweep for `vic-machine upgrade`: a clean upgrade (build 1 → build 2 of v1.5.8) learns every SOAP
// method and datastore transfer it makes and how often; then, for each call point, a fresh simulator gets a VCH made
// by our create, ONE fault at that point, and upgrade runs. It must end either in success (the new version, one
// rollback point, the lock released) or in a non-zero exit with one message and no stack trace AND the VCH exactly at
// its old version: its configuration as before, the lock released, no snapshot and no uploaded ISO left, powered on,
// no session left.
//
// The appliance cannot boot in the simulator: a stand-in writes the components' `started` keys again whenever the
// upgrade's new configuration has reset them. It watches the VM's .vmx on the local disk (the test bed writes
// extraConfig there), so that it makes no SOAP call of its own but that write, and does not disturb the fault counts.
//
// CI runs every write point and a sample of the reads (the first, middle and last RetrievePropertiesEx); the full
// sweep for the docs table: UPGRADE_FAULT_SWEEP=full npm test -- test/integration/upgrade-faults.test.ts (table in
// $UPGRADE_FAULT_SWEEP_TABLE, default <tmp>/upgrade-fault-sweep.md).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type FaultRule, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { playAppliance } from '../support/appliance-player.js';
import { datastoreEntries, runVicMachine, STACK_TRACE } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import { runTask } from '../../src/vim/task.js';
import type { DataObject, MoRef } from '../../src/vim/types.js';

const NAME = 'vchu';
/** for the slow answers and stuck tasks beyond the limit (VIC_MACHINE_API_TIMEOUT) */
const API_TIMEOUT_MS = 1000;
let isoDir: string;

beforeAll(async () => {
  isoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-upfaults-iso-'));
  for (const kind of ['appliance', 'bootstrap']) {
    await writeTestIso(path.join(isoDir, 'old', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await writeTestIso(path.join(isoDir, 'new', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
  }
});
afterAll(() => {
  fs.rmSync(isoDir, { recursive: true, force: true });
});

interface VmState { ref: MoRef; ec: Record<string, string>; power: string; cdrom: string; snapshots: string[] }

async function vmState(admin: Session): Promise<VmState> {
  const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig', 'runtime.powerState', 'config.hardware.device', 'snapshot']);
  const v = vms.find((x) => x.props['name'] === NAME)!;
  const ec = Object.fromEntries((v.props['config.extraConfig'] as { key: string; value: string }[]).map((o) => [o.key, String(o.value)]));
  const cd = (v.props['config.hardware.device'] as DataObject[]).find((d) => d._type === 'VirtualCdrom') as { backing?: { fileName?: string } } | undefined;
  const names: string[] = [];
  const walk = (l?: { name: string; childSnapshotList?: unknown[] }[]): void => { for (const s of l ?? []) { names.push(s.name); walk(s.childSnapshotList as never); } };
  walk((v.props['snapshot'] as { rootSnapshotList?: { name: string }[] } | undefined)?.rootSnapshotList);
  return { ref: v.ref, ec, power: String(v.props['runtime.powerState']), cdrom: cd?.backing?.fileName ?? '', snapshots: names };
}

/** The configuration as an admin would compare it: without what the guest writes and the lock's own keys. */
function configuration(ec: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(ec).filter(([k, v]) => v !== '' && !k.startsWith('guestinfo.vice..') && !/^UpdateInProgress/.test(k)
    && !/\.started$|sessions\|[a-z-]+\/started$/.test(k)));
}

const STARTED = ['vicadmin', 'docker-personality', 'port-layer'].map((c) => `guestinfo.vice..init.sessions|${c}.started`);

/** Writes the components' started keys whenever the .vmx lacks them (after the upgrade's reconfiguration). */
function componentsStarter(sim: Vcsim, admin: Session, vm: MoRef): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const vmx = path.join(sim.datastores['LocalDS_0']!, NAME, `${NAME}.vmx`);
  const loop = (async () => {
    while (running) {
      let text = '';
      try { text = fs.readFileSync(vmx, 'utf8'); } catch { /* being rewritten */ }
      if (text && !text.includes('port-layer.started = "true"')) {
        try {
          await runTask(admin, 'ReconfigVM_Task', { _this: vm, spec: { extraConfig: STARTED.map((key) => ({ key, value: 'true' })) } });
          writes++;
        } catch { /* the fault hit the stand-in's own call, or the VM is busy: a real appliance is not disturbed; again */ }
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  return { stop: async () => { running = false; await loop; return writes; } };
}

interface Case { method: string; nth: number; kind: FaultRule['kind']; fault?: string; delayMs?: number }
interface Row extends Case { code: number; fired: boolean; outcome: string; message: string; violations: string[] }

let ipSeq = 10;

async function runUpgrade(c: Case | undefined): Promise<{ row: Row; stats: Record<string, number>; starterWrites: number }> {
  const sim = await startVcsim({ firewallOpen: true });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-upfaults-'));
  const admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
  const target = ['--target', `${sim.host}/DC0`, '--user', 'u', '--password', 'p', '--thumbprint', sim.thumbprintSHA1];
  let standIn: Awaited<ReturnType<typeof playAppliance>> | undefined;
  try {
    const player = playAppliance(admin, NAME, `127.0.2.${ipSeq++}`, { requireClientCert: false });
    const created = await runVicMachine(cwd, ['create', ...target, '--compute-resource', 'DC0_C0', '--name', NAME,
      '--appliance-iso', path.join(isoDir, 'old', 'appliance.iso'), '--bootstrap-iso', path.join(isoDir, 'old', 'bootstrap.iso'),
      '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network', '--no-tlsverify', '--timeout', '20s']);
    standIn = await player;
    if (created.code !== 0) throw new Error(`create failed: ${created.stderr}`);
    const before = await vmState(admin);
    const dsBefore = datastoreEntries(sim.datastores);

    const starter = componentsStarter(sim, admin, before.ref);
    await sim.resetStats();
    const rule: FaultRule | undefined = c && { method: c.method, nth: c.nth, kind: c.kind, ...(c.fault ? { fault: c.fault } : {}), ...(c.delayMs ? { delayMs: c.delayMs } : {}) };
    if (rule) await sim.injectFaults([rule]);
    const beyond = !!c?.delayMs && c.delayMs > API_TIMEOUT_MS;
    const r = await runVicMachine(cwd, ['upgrade', ...target, '--name', NAME, '--appliance-iso', path.join(isoDir, 'new', 'appliance.iso'),
      '--bootstrap-iso', path.join(isoDir, 'new', 'bootstrap.iso'), '--timeout', '20s'], beyond ? { VIC_MACHINE_API_TIMEOUT: `${API_TIMEOUT_MS}ms` } : {});
    // a held request or task still acts on the server after upgrade gave up on it: look once it has
    if (beyond) await new Promise((res) => setTimeout(res, c!.delayMs));
    const starterWrites = await starter.stop();
    const fired = rule ? (await sim.faults()).reduce((n, f) => n + f.fired, 0) > 0 : false;
    await sim.clearFaults();
    const s = await sim.stats();
    const stats: Record<string, number> = { ...s.soap };
    for (const [m, n] of Object.entries(s.http)) stats[`http:${m}`] = n;
    // the stand-in's own writes are not upgrade's calls
    stats['ReconfigVM_Task'] = (stats['ReconfigVM_Task'] ?? 0) - starterWrites;

    const after = await vmState(admin);
    const dsAfter = datastoreEntries(sim.datastores);
    const violations: string[] = [];
    const message = r.code === 0 ? '' : (r.stderr.split('\n').map((l) => l.trim()).find((l) => l.startsWith('vic-machine upgrade:')) ?? '').slice(0, 170);
    if (STACK_TRACE.test(r.stderr)) violations.push('stack trace');
    if (after.ec['UpdateInProgress']?.toLowerCase() === 'true') violations.push(`lock left: UpdateInProgress=${after.ec['UpdateInProgress']}`);
    if (after.power !== 'poweredOn') violations.push(`left ${after.power}`);
    if ((await sim.openSessions()) !== 1) violations.push('a session was left open');
    const build = after.ec['guestinfo.vice./init/version/BuildNumber'];
    let outcome: string;
    if (r.code === 0) {
      outcome = 'success';
      if (build !== '2') violations.push(`exit 0 at build ${build}`);
      if (after.snapshots.join() !== 'upgrade for 2') violations.push(`snapshots ${JSON.stringify(after.snapshots)} (one rollback point expected)`);
      if (after.cdrom !== `[LocalDS_0] ${NAME}/v1.5.8-2-abcdef1-appliance.iso`) violations.push(`CD-ROM ${after.cdrom}`);
    } else {
      outcome = 'failed, old version';
      if (!message) violations.push('non-zero exit without a message');
      if (build !== '1') violations.push(`exit ${r.code} at build ${build}`);
      const was = configuration(before.ec);
      const now = configuration(after.ec);
      const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((k) => was[k] !== now[k]);
      if (changed.length) violations.push(`configuration changed: ${changed.slice(0, 4).join(', ')}${changed.length > 4 ? ` (+${changed.length - 4})` : ''}`);
      if (after.cdrom !== before.cdrom) violations.push(`CD-ROM ${after.cdrom}`);
      if (after.snapshots.length) violations.push(`snapshots left: ${after.snapshots.join(', ')}`);
      const added = dsAfter.filter((p) => !dsBefore.includes(p));
      const removed = dsBefore.filter((p) => !dsAfter.includes(p));
      // the upgrade's own log upload is not a leftover; vmx/nvram/log rewrites of the VM are not either
      const left = [...added, ...removed.map((p) => `-${p}`)].filter((p) => !/vic-machine_.*\.log$|\.(vmx|nvram|log|vmsd)$/.test(p));
      if (left.length) violations.push(`datastore: ${left.join(', ')}`);
    }
    return { row: { ...(c ?? { method: '-', nth: 0, kind: 'slow' }), code: r.code, fired, outcome, message, violations }, stats, starterWrites };
  } finally {
    await standIn?.stop();
    await admin.logout().catch(() => undefined);
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

const WRITES = new Set(['CreateSnapshot_Task', 'RemoveSnapshot_Task', 'RevertToSnapshot_Task', 'PowerOffVM_Task', 'PowerOnVM_Task',
  'ReconfigVM_Task', 'DeleteDatastoreFile_Task', 'http:PUT']);

describe('upgrade under injected faults', () => {
  let calls: Record<string, number> = {};

  test('a clean upgrade: every call it makes, and how often', async () => {
    const { row, stats } = await runUpgrade(undefined);
    expect(row.violations).toEqual([]);
    expect(row.code).toBe(0);
    calls = Object.fromEntries(Object.entries(stats).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
    console.log(`upgrade calls: ${JSON.stringify(calls)}`);
    expect(calls['CreateSnapshot_Task']).toBe(1);
  }, 60_000);

  test('one fault at each call point: success, or a clear error and the VCH at its old version with the lock released', async () => {
    expect(Object.keys(calls).length).toBeGreaterThan(0);
    const full = process.env['UPGRADE_FAULT_SWEEP'] === 'full';
    const cases: Case[] = [];
    for (const [method, count] of Object.entries(calls)) {
      const http = method.startsWith('http:');
      // reads: every one in the full sweep; in CI the first, the middle and the last (each write point always)
      // (the wait's WaitForUpdatesEx: how often depends on timing, so only its first call is a fixed point)
      const points = method === 'WaitForUpdatesEx' ? [1]
        : full || WRITES.has(method) || count <= 3 ? [...Array(count).keys()].map((i) => i + 1) : [1, Math.ceil(count / 2), count];
      for (const nth of points) {
        cases.push(http ? { method, nth, kind: 'http500' }
          : { method, nth, kind: 'soapfault', fault: method.endsWith('_Task') || WRITES.has(method) ? 'InvalidState' : 'SystemError' });
      }
    }
    cases.push({ method: 'PowerOnVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' });
    cases.push({ method: 'CreateSnapshot_Task', nth: 1, kind: 'taskfault', fault: 'InvalidState' });
    cases.push({ method: 'ReconfigVM_Task', nth: 1, kind: 'drop-after' }); // the lock written, its answer lost
    cases.push({ method: 'ReconfigVM_Task', nth: 2, kind: 'drop-after' });
    cases.push({ method: 'http:PUT', nth: 1, kind: 'drop' });
    cases.push({ method: 'CreateSnapshot_Task', nth: 1, kind: 'taskhang', delayMs: 2 * API_TIMEOUT_MS });
    cases.push({ method: 'PowerOffVM_Task', nth: 1, kind: 'slow', delayMs: 2 * API_TIMEOUT_MS });

    const rows: Row[] = [];
    for (const c of cases) {
      const { row } = await runUpgrade(c);
      rows.push(row);
      if (!row.fired) row.violations.push('the fault did not fire');
      if (row.violations.length) console.log(`${c.method} #${c.nth} ${c.kind}: ${row.violations.join('; ')} (exit ${row.code}: ${row.message})`);
    }
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const table = ['| method | nth | fault | exit | outcome | message (first error line) | verdict |', '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.method} | ${r.nth} | ${r.kind}${r.fault ? ` ${r.fault}` : ''}${r.delayMs ? ` ${r.delayMs} ms` : ''} | ${r.code} | ${r.outcome} | ` +
        `${esc(r.message)} | ${r.violations.length ? esc(r.violations.join('; ')) : 'ok'} |`)].join('\n');
    const out = process.env['UPGRADE_FAULT_SWEEP_TABLE'] ?? path.join(os.tmpdir(), 'upgrade-fault-sweep.md');
    fs.writeFileSync(out, `${table}\n`);
    console.log(`upgrade fault sweep (${rows.length} cases${full ? ', full' : ', CI sample'}, written to ${out}):\n${table}`);
    expect(rows.filter((r) => r.violations.length).map((r) => `${r.method} #${r.nth} ${r.kind}: ${r.violations.join('; ')}`)).toEqual([]);
  }, 900_000);
});
