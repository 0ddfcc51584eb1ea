// What the upgrade and configure fault sweeps share: one run (fresh simulator, a VCH, one fault, the command, the
// judgement), the appliance VM's state as the checks read it, its configuration as an admin compares it, a stand-in
// that starts the appliance's components again after the power cycle without adding reads to the fault counts, and
// the call points and outcome table.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type FaultRule, type Vcsim } from './vcsim.js';
import { playAppliance } from './appliance-player.js';
import { datastoreEntries, runVicMachine, STACK_TRACE } from './cli-process.js';
import { ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import { Session } from '../../src/vim/session.js';
import { runTask } from '../../src/vim/task.js';
import type { DataObject, MoRef } from '../../src/vim/types.js';

export interface VmState { ref: MoRef; ec: Record<string, string>; power: string; cdrom: string; snapshots: string[]; pool: MoRef | undefined }

/** The VM named `name`: extraConfig, power state, CD-ROM backing, snapshot names (depth first), resource pool. */
export async function vmState(admin: Session, name: string): Promise<VmState> {
  const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'],
    ['name', 'config.extraConfig', 'runtime.powerState', 'config.hardware.device', 'snapshot', 'resourcePool']);
  const v = vms.find((x) => x.props['name'] === name);
  if (!v) throw new Error(`no VM named ${name}`);
  const ec = Object.fromEntries((v.props['config.extraConfig'] as { key: string; value: string }[]).map((o) => [o.key, String(o.value)]));
  const cd = (v.props['config.hardware.device'] as DataObject[]).find((d) => d._type === 'VirtualCdrom') as { backing?: { fileName?: string } } | undefined;
  const names: string[] = [];
  const walk = (l?: { name: string; childSnapshotList?: unknown[] }[]): void => { for (const s of l ?? []) { names.push(s.name); walk(s.childSnapshotList as never); } };
  walk((v.props['snapshot'] as { rootSnapshotList?: { name: string }[] } | undefined)?.rootSnapshotList);
  return { ref: v.ref, ec, power: String(v.props['runtime.powerState']), cdrom: cd?.backing?.fileName ?? '', snapshots: names, pool: v.props['resourcePool'] as MoRef | undefined };
}

/** The configuration as an admin compares it: without what the guest writes and the lock's own keys. */
export function configurationOf(ec: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(ec).filter(([k, v]) => v !== '' && !k.startsWith('guestinfo.vice..') && !/^UpdateInProgress/.test(k)
    && !/\.started$|sessions\|[a-z-]+\/started$/.test(k)));
}

/** The keys whose values differ between two configurations (at most `max` named, then a count). */
export function configurationDifference(before: Record<string, string>, after: Record<string, string>, max = 4): string | undefined {
  const was = configurationOf(before);
  const now = configurationOf(after);
  const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((k) => was[k] !== now[k]);
  if (!changed.length) return undefined;
  return `${changed.slice(0, max).join(', ')}${changed.length > max ? ` (+${changed.length - max})` : ''}`;
}

const STARTED = ['vicadmin', 'docker-personality', 'port-layer'].map((c) => `guestinfo.vice..init.sessions|${c}.started`);

/** What the appliance publishes for its client, public and management interfaces (IPv4 in 16 bytes, as the guest does). */
function addressKeys(ip: string | undefined): { key: string; value: string }[] {
  if (!ip) return [];
  const v4 = Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(ip.split('.').map(Number))]).toString('base64');
  return ['client', 'public', 'management'].map((r) => ({ key: `guestinfo.vice..init.networks|${r}.assigned.IP`, value: v4 }));
}

/**
 * Writes the components' started keys (and, given `clientIp`, the addresses the appliance publishes) whenever the VM's
 * .vmx lacks them (after an upgrade or configure reset them).
 * It watches the file on the local disk (the test bed writes extraConfig there), so its only SOAP calls are those
 * writes, counted in `stop()`'s result.
 */
export function componentsStarter(sim: Vcsim, admin: Session, name: string, vm: MoRef, clientIp?: string): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const vmx = path.join(sim.datastores['LocalDS_0']!, name, `${name}.vmx`);
  const loop = (async () => {
    while (running) {
      let text = '';
      try { text = fs.readFileSync(vmx, 'utf8'); } catch { /* being rewritten */ }
      if (text && (!text.includes('port-layer.started = "true"') || (clientIp && !text.includes('client.assigned.IP')))) {
        try {
          await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [...STARTED.map((key) => ({ key, value: 'true' })), ...addressKeys(clientIp)] } });
          writes++;
        } catch { /* the fault hit the stand-in's own call, or the VM is busy: a real appliance is not disturbed; again */ }
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  return { stop: async () => { running = false; await loop; return writes; } };
}

export interface SweepCase { method: string; nth: number; kind: FaultRule['kind']; fault?: string; delayMs?: number }
export interface SweepRow extends SweepCase { code: number; fired: boolean; outcome: string; message: string; violations: string[] }

export const faultRuleOf = (c: SweepCase): FaultRule =>
  ({ method: c.method, nth: c.nth, kind: c.kind, ...(c.fault ? { fault: c.fault } : {}), ...(c.delayMs ? { delayMs: c.delayMs } : {}) });

/**
 * One fault per call point: every occurrence of every write; of the reads every one when `full`, else the first, the
 * middle and the last. WaitForUpdatesEx only at its first call (how often the wait calls it depends on timing).
 */
export function callPoints(calls: Record<string, number>, writes: ReadonlySet<string>, full: boolean): SweepCase[] {
  const cases: SweepCase[] = [];
  for (const [method, count] of Object.entries(calls)) {
    const points = method === 'WaitForUpdatesEx' ? [1]
      : full || writes.has(method) || count <= 3 ? [...Array(count).keys()].map((i) => i + 1) : [1, Math.ceil(count / 2), count];
    for (const nth of points) {
      cases.push(method.startsWith('http:') ? { method, nth, kind: 'http500' }
        : { method, nth, kind: 'soapfault', fault: method.endsWith('_Task') || writes.has(method) ? 'InvalidState' : 'SystemError' });
    }
  }
  return cases;
}

export function sweepTable(rows: readonly SweepRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return ['| method | nth | fault | exit | outcome | message (first error line) | verdict |', '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.method} | ${r.nth} | ${r.kind}${r.fault ? ` ${r.fault}` : ''}${r.delayMs ? ` ${r.delayMs} ms` : ''} | ${r.code} | ${r.outcome} | ` +
      `${esc(r.message)} | ${r.violations.length ? esc(r.violations.join('; ')) : 'ok'} |`)].join('\n');
}

export interface SweepRunContext { sim: Vcsim; admin: Session; before: VmState; after: VmState }

export interface SweepRunOptions<T> {
  /** the VCH's name, and its client address for the appliance stand-in */
  name: string;
  ip: string;
  /** the ISOs create installs from */
  isos: { appliance: string; bootstrap: string };
  /** 'upgrade' or 'configure', and its arguments after the target and --name */
  command: 'upgrade' | 'configure';
  args: string[];
  /** VIC_MACHINE_API_TIMEOUT for the slow answers and stuck tasks beyond it */
  apiTimeoutMs: number;
  /** what else to read before the command (the pool's settings), handed to the checks */
  capture?: (admin: Session, state: VmState) => Promise<T>;
  /** violations of a run that succeeded */
  succeeded: (ctx: SweepRunContext, captured: { before: T; after: T }) => string[];
  /** violations of a run that failed, beyond the configuration, snapshots and datastore checked here */
  unchanged?: (ctx: SweepRunContext, captured: { before: T; after: T }) => string[];
}

/**
 * One run of a maintenance sweep: a fresh simulator, a VCH made by our create (its appliance played), the fault
 * injected, the command run through bin/vic-machine, and its outcome judged: success, or a failure that left the VCH
 * as it was (configuration, snapshots, datastore, power, lock), and no session open either way.
 */
export async function runSweepCase<T>(o: SweepRunOptions<T>, c: SweepCase | undefined): Promise<{ row: SweepRow; stats: Record<string, number> }> {
  const sim = await startVcsim({ firewallOpen: true });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `vicm-${o.command}-faults-`));
  const admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
  const target = ['--target', `${sim.host}/DC0`, '--user', 'u', '--password', 'p', '--thumbprint', sim.thumbprintSHA1];
  let standIn: Awaited<ReturnType<typeof playAppliance>> | undefined;
  try {
    const player = playAppliance(admin, o.name, o.ip, { requireClientCert: false });
    const created = await runVicMachine(cwd, ['create', ...target, '--compute-resource', 'DC0_C0', '--name', o.name,
      '--appliance-iso', o.isos.appliance, '--bootstrap-iso', o.isos.bootstrap,
      '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network', '--no-tlsverify', '--timeout', '20s']);
    standIn = await player;
    if (created.code !== 0) throw new Error(`create failed: ${created.stderr}`);
    const before = await vmState(admin, o.name);
    const dsBefore = datastoreEntries(sim.datastores);
    const capturedBefore = (await o.capture?.(admin, before)) as T;

    const starter = componentsStarter(sim, admin, o.name, before.ref, o.ip);
    await sim.resetStats();
    const rule = c && faultRuleOf(c);
    if (rule) await sim.injectFaults([rule]);
    const beyond = !!c?.delayMs && c.delayMs > o.apiTimeoutMs;
    const r = await runVicMachine(cwd, [o.command, ...target, '--name', o.name, ...o.args], beyond ? { VIC_MACHINE_API_TIMEOUT: `${o.apiTimeoutMs}ms` } : {});
    // a held request or task still acts on the server after the command gave up on it: look once it has
    if (beyond) await new Promise((res) => setTimeout(res, c!.delayMs));
    const starterWrites = await starter.stop();
    const fired = rule ? (await sim.faults()).reduce((n, f) => n + f.fired, 0) > 0 : false;
    await sim.clearFaults();
    const s = await sim.stats();
    const stats: Record<string, number> = { ...s.soap };
    for (const [m, n] of Object.entries(s.http)) stats[`http:${m}`] = n;
    stats['ReconfigVM_Task'] = (stats['ReconfigVM_Task'] ?? 0) - starterWrites; // the stand-in's writes are not the command's

    const after = await vmState(admin, o.name);
    const dsAfter = datastoreEntries(sim.datastores);
    const ctx: SweepRunContext = { sim, admin, before, after };
    const captured = { before: capturedBefore, after: (await o.capture?.(admin, after)) as T };
    const violations: string[] = [];
    const message = r.code === 0 ? '' : (r.stderr.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`vic-machine ${o.command}:`)) ?? '').slice(0, 170);
    if (STACK_TRACE.test(r.stderr)) violations.push('stack trace');
    if (after.ec['UpdateInProgress']?.toLowerCase() === 'true') violations.push(`lock left: UpdateInProgress=${after.ec['UpdateInProgress']}`);
    if (after.power !== 'poweredOn') violations.push(`left ${after.power}`);
    if ((await sim.openSessions()) !== 1) violations.push('a session was left open');
    let outcome: string;
    if (r.code === 0) {
      outcome = 'success';
      violations.push(...o.succeeded(ctx, captured));
    } else {
      outcome = 'failed, VCH as before';
      if (!message) violations.push('non-zero exit without a message');
      const changed = configurationDifference(before.ec, after.ec);
      if (changed) violations.push(`configuration changed: ${changed}`);
      if (after.cdrom !== before.cdrom) violations.push(`CD-ROM ${after.cdrom}`);
      if (after.snapshots.length) violations.push(`snapshots left: ${after.snapshots.join(', ')}`);
      const added = dsAfter.filter((p) => !dsBefore.includes(p));
      const removed = dsBefore.filter((p) => !dsAfter.includes(p));
      // the VM's own files rewritten (vmx, nvram, logs) and the command's log are not leftovers
      const left = [...added, ...removed.map((p) => `-${p}`)].filter((p) => !/\.(vmx|nvram|log|vmsd)$/.test(p));
      if (left.length) violations.push(`datastore: ${left.join(', ')}`);
      violations.push(...(o.unchanged?.(ctx, captured) ?? []));
    }
    return { row: { ...(c ?? { method: '-', nth: 0, kind: 'slow' }), code: r.code, fired, outcome, message, violations }, stats };
  } finally {
    await standIn?.stop();
    await admin.logout().catch(() => undefined);
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

export interface SweepSuite {
  command: 'upgrade' | 'configure';
  /** methods that change something: every occurrence is a fault point, and they get InvalidState */
  writes: ReadonlySet<string>;
  /** other ways for points to fail (task faults, lost answers, slow answers, stuck tasks) */
  extraCases: SweepCase[];
  run: (c: SweepCase | undefined) => Promise<{ row: SweepRow; stats: Record<string, number> }>;
  /** checks of the clean run's call counts */
  clean: (calls: Record<string, number>) => void;
}

/**
 * The two tests of a maintenance sweep: a clean run learns the calls; then one fault at each point. Every write point
 * and a sample of the reads in CI; all of them with <COMMAND>_FAULT_SWEEP=full, the table written to
 * $<COMMAND>_FAULT_SWEEP_TABLE (default <tmp>/<command>-fault-sweep.md) for docs/reliability.md.
 */
export function describeSweep(o: SweepSuite): void {
  const env = o.command.toUpperCase();
  describe(`${o.command} under injected faults`, () => {
    let calls: Record<string, number> = {};

    test(`a clean ${o.command}: every call it makes, and how often`, async () => {
      const { row, stats } = await o.run(undefined);
      expect(row.violations).toEqual([]);
      expect(row.code).toBe(0);
      calls = Object.fromEntries(Object.entries(stats).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
      console.log(`${o.command} calls: ${JSON.stringify(calls)}`);
      o.clean(calls);
    }, 60_000);

    test('one fault at each call point: success, or a clear error and the VCH as before with the lock released', async () => {
      expect(Object.keys(calls).length).toBeGreaterThan(0);
      const full = process.env[`${env}_FAULT_SWEEP`] === 'full';
      const rows: SweepRow[] = [];
      for (const c of [...callPoints(calls, o.writes, full), ...o.extraCases]) {
        const { row } = await o.run(c);
        if (!row.fired) row.violations.push('the fault did not fire');
        rows.push(row);
        if (row.violations.length) console.log(`${c.method} #${c.nth} ${c.kind}: ${row.violations.join('; ')} (exit ${row.code}: ${row.message})`);
      }
      const table = sweepTable(rows);
      const out = process.env[`${env}_FAULT_SWEEP_TABLE`] ?? path.join(os.tmpdir(), `${o.command}-fault-sweep.md`);
      fs.writeFileSync(out, `${table}\n`);
      console.log(`${o.command} fault sweep (${rows.length} cases${full ? ', full' : ', CI sample'}, written to ${out}):\n${table}`);
      expect(rows.filter((r) => r.violations.length).map((r) => `${r.method} #${r.nth} ${r.kind}: ${r.violations.join('; ')}`)).toEqual([]);
    }, 900_000);
  });
}
