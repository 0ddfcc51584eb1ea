// ls and inspect at scale: 1, 10 and 100 VCHs among 1,000 VMs, at 0 and 20 ms added per request. The simulator's
// model makes the 1,000 VMs (500 in the cluster's root pool, 500 on the standalone host); VCHs are made from them
// by writing what vic-machine 1.5.8 wrote into a VCH's extraConfig (fixture basic's extraconfig.running.json, the
// VCH id rewritten to each VM's own moref), several reconfigurations in flight at once. Each command is the real
// bin/vic-machine in its own process; requests are the simulator's counts, reset before each run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim } from '../test/support/vcsim.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { ReconfigVM_Task } from '../src/vim/methods.generated.js';
import { Session } from '../src/vim/session.js';
import { retrieveFromView } from '../src/vim/property-collector.js';
import { runTask } from '../src/vim/task.js';
import type { MoRef } from '../src/vim/types.js';
import { f1, log, requestsOf, vicMachine, type Requests } from './util.js';

const FIXTURE_EC = '/work/shared/fixtures/vic-machine-1.5.8/basic/extraconfig.running.json';
export const SCALE_VCHS = [1, 10, 100] as const;
const VMS_PER_POOL = 500; // × (cluster root pool + standalone host) = 1,000 VMs

export interface ScaleSample { requests: Requests; ms: number }
export interface ScaleRow { vchs: number; command: 'ls' | 'inspect'; samples: Record<number, ScaleSample[]>; listed: number }
export interface ScaleResult { vms: number; rows: ScaleRow[]; latencies: number[]; runs: number; setupS: number }

async function inBatches<T>(items: readonly T[], width: number, f: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(f));
}

export async function benchScale(runs: number, latencies: readonly number[] = [0, 20]): Promise<ScaleResult> {
  const t0 = performance.now();
  const sim = await startVcsim({ model: { vm: VMS_PER_POOL } });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-scale-'));
  const admin = await Session.connect({ url: sim.url, user: 'admin', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
  try {
    // ls compares each VCH's version with the installer's: the ISO in the working directory says v1.5.8.
    for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    const fixture = JSON.parse(fs.readFileSync(FIXTURE_EC, 'utf8')) as Record<string, string>;
    const vms = (await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name']))
      .map((v) => ({ ref: v.ref, name: String(v.props['name']) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    log(`scale: ${vms.length} VMs in the simulator`);
    const makeVch = (ref: MoRef) => runTask(admin, ReconfigVM_Task, {
      _this: ref,
      spec: { extraConfig: Object.entries({ ...fixture, 'guestinfo.vice./init/common/id': `VirtualMachine:${ref.value}` }).map(([key, value]) => ({ key, value })) },
    });
    const target = ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];
    const setupS = (performance.now() - t0) / 1000;
    const rows: ScaleRow[] = [];
    let made = 0;
    for (const n of SCALE_VCHS) {
      await sim.setLatency(0);
      await inBatches(vms.slice(made, n), 8, (v) => makeVch(v.ref));
      made = n;
      // inspect the last VCH made, by name (the whole scope is read and searched, as for any name)
      const cases = { ls: ['ls', ...target, '--json'], inspect: ['inspect', ...target, '--name', vms[n - 1]!.name, '--json'] } as const;
      for (const command of ['ls', 'inspect'] as const) {
        const row: ScaleRow = { vchs: n, command, samples: {}, listed: 0 };
        rows.push(row);
        for (const latency of latencies) {
          await sim.setLatency(latency);
          await vicMachine(cases[command], cwd); // warm-up
          for (let i = 0; i < runs; i++) {
            await sim.resetStats();
            const r = await vicMachine(cases[command], cwd);
            if (r.code !== 0) throw new Error(`${command} with ${n} VCHs exited ${r.code}:\n${r.stderr}`);
            if (command === 'ls') {
              row.listed = (JSON.parse(r.stdout) as { vchs: unknown[] }).vchs.length;
              if (row.listed !== n) throw new Error(`ls listed ${row.listed} VCHs, not ${n}`);
            }
            (row.samples[latency] ??= []).push({ requests: requestsOf(await sim.stats()), ms: r.ms });
          }
          const s = row.samples[latency]!;
          log(`scale ${n} VCHs ${command} @${latency} ms: ${s[0]!.requests.total} requests, ${s.map((x) => f1(x.ms)).join(' ')} ms`);
        }
      }
    }
    return { vms: vms.length, rows, latencies: [...latencies], runs, setupS };
  } finally {
    await admin.logout().catch(() => undefined);
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
