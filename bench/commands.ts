// The admin's commands end to end: create (fixture basic's flag set, until "Installer completed successfully"), ls,
// inspect, inspect config and delete, each the real bin/vic-machine in its own process, against the simulator with
// 0 and 20 ms added per request. The requests are the simulator's own counts (per SOAP method, datastore transfers,
// other HTTP), reset before each command.
//
// The appliance cannot boot in the simulator, so test/support/appliance-player.ts plays it during create, with a
// session of its own on the same simulator: it polls the VM's extraConfig and, once create wrote the final
// configuration, starts the Docker API stand-in and publishes the guest keys. Its SOAP calls are counted by its own
// client (SoapClient.roundTrips) and subtracted from the simulator's counts, so that create's figure is create's.
// create also reports its own count (--json roundTrips); both are shown, and a mismatch is flagged.
// upgrade runs on the VCH create made (build 1) with ISOs of build 2; after its power cycle the appliance's components
// are marked started again by a small starter on the same admin session (as test/integration/upgrade.test.ts does),
// whose calls are subtracted the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim } from '../test/support/vcsim.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { playAppliance } from '../test/support/appliance-player.js';
import { ReconfigVM_Task } from '../src/vim/methods.generated.js';
import { Session } from '../src/vim/session.js';
import { retrieveFromView, retrieveOne } from '../src/vim/property-collector.js';
import { runTask } from '../src/vim/task.js';
import { callsSince, f1, log, median, requestsOf, vicMachine, type CliRun, type Requests } from './util.js';

export const ORIGINAL: Record<string, { requests: string; total: number; ms20?: number }> = {
  create: { requests: '161 + 3', total: 164, ms20: 3800 },
  ls: { requests: '59', total: 59, ms20: 1310 },
  inspect: { requests: '55', total: 55, ms20: 1220 },
  delete: { requests: '135', total: 135, ms20: 2940 },
  upgrade: { requests: '153 + 3', total: 156 },
};

export const COMMANDS = ['create', 'ls', 'inspect', 'inspect config', 'upgrade', 'delete'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandSample { requests: Requests; ms: number }

export interface CommandRow {
  command: CommandName;
  args: string;
  /** per latency: the samples of the timed runs */
  samples: Record<number, CommandSample[]>;
  /** set when the command does not work yet (e.g. "not implemented yet") */
  unavailable?: string;
}

export interface CommandsResult {
  rows: CommandRow[];
  latencies: number[];
  runs: number;
  playerSoap: number;
  /** create --json's own SOAP count (before its Logout) and the simulator's for the same run, the player's subtracted */
  crossCheck?: { self: number; simulator: number };
}

const NAME = 'vch1';
const IP = '127.0.0.61';

/**
 * Marks the appliance's components started (and its client address published) whenever a power cycle reset them, as
 * the real appliance does when it boots; one read per 100 ms until stopped.
 */
function startComponentsStarter(admin: Session, name: string, ip: string): { stop(): Promise<void> } {
  let running = true;
  const v4 = Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(ip.split('.').map(Number))]).toString('base64');
  const loop = (async () => {
    const vm = (await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name'])).find((v) => v.props['name'] === name)!.ref;
    while (running) {
      try {
        const p = await retrieveOne<Record<string, unknown>>(admin, vm, ['config.extraConfig', 'runtime.powerState']);
        const started = ((p['config.extraConfig'] as { key: string; value: unknown }[] | undefined) ?? [])
          .find((o) => o.key === 'guestinfo.vice..init.sessions|port-layer.started')?.value;
        if (p['runtime.powerState'] === 'poweredOn' && String(started) !== 'true') {
          await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [
            ...['vicadmin', 'docker-personality', 'port-layer'].map((c) => ({ key: `guestinfo.vice..init.sessions|${c}.started`, value: 'true' })),
            { key: 'guestinfo.vice..init.networks|client.assigned.IP', value: v4 },
          ] } });
        }
      } catch { /* the VM is being reconfigured; try again */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: async () => { running = false; await loop.catch(() => undefined); } };
}

export async function benchCommands(runs: number, latencies: readonly number[] = [0, 20]): Promise<CommandsResult> {
  const sim: Vcsim = await startVcsim({ firewallOpen: true });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-cmd-'));
  const admin = await Session.connect({ url: sim.url, user: 'admin', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
  try {
    for (const kind of ['appliance', 'bootstrap']) {
      await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
      await writeTestIso(path.join(cwd, 'new', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
    }
    // The fixtures' target flags, and fixture basic's create flags (its command.txt).
    const target = ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];
    const which = ['--compute-resource', 'DC0_C0', '--name', NAME];
    const argsOf: Record<CommandName, string[]> = {
      create: ['create', ...target, '--compute-resource', 'DC0_C0', '--appliance-iso', 'appliance.iso', '--bootstrap-iso', 'bootstrap.iso',
        '--name', NAME, '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network', '--no-tlsverify'],
      ls: ['ls', ...target],
      inspect: ['inspect', ...target, ...which],
      'inspect config': ['inspect', 'config', ...target, ...which],
      upgrade: ['upgrade', ...target, ...which, '--appliance-iso', 'new/appliance.iso', '--bootstrap-iso', 'new/bootstrap.iso'],
      delete: ['delete', ...target, ...which, '--force'],
    };
    const shown = (c: CommandName): string => argsOf[c].join(' ').replace(sim.host, 'HOST').replace(sim.thumbprintSHA1, 'THUMBPRINT')
      .replace('--public-network VM Network', '--public-network "VM Network"');
    const rows: CommandRow[] = COMMANDS.map((command) => ({ command, args: shown(command), samples: {} }));
    let playerSoap = 0;

    // One create → ls → inspect → inspect config → delete cycle; the VCH is gone again at its end.
    const cycle = async (timed: number | undefined): Promise<void> => {
      const stop = new AbortController();
      await sim.resetStats();
      const before = new Map(admin.client.roundTrips);
      const appliance = playAppliance(admin, NAME, IP, { requireClientCert: false, timeoutMs: 120_000, signal: stop.signal });
      appliance.catch(() => undefined);
      const created = await vicMachine([...argsOf.create, '--timeout', '60s'], cwd);
      if (created.code !== 0 || !created.stdout.includes('Installer completed successfully')) {
        stop.abort('create failed');
        throw new Error(`create exited ${created.code}:\n${created.stderr}`);
      }
      const standIn = await appliance;
      const player = callsSince(admin.client.roundTrips, before);
      playerSoap = [...player.values()].reduce((a, b) => a + b, 0);
      const record = async (command: CommandName, r: CliRun, minus?: Map<string, number>): Promise<void> => {
        const requests = requestsOf(await sim.stats(), minus);
        if (timed !== undefined) (rows.find((x) => x.command === command)!.samples[timed] ??= []).push({ requests, ms: r.ms });
        log(`commands @${timed ?? 'warm-up'} ${command}: exit ${r.code}, ${requests.total} requests, ${f1(r.ms)} ms`);
      };
      try {
        await record('create', created, player);
        for (const command of ['ls', 'inspect', 'inspect config'] as const) {
          await sim.resetStats();
          const r = await vicMachine(argsOf[command], cwd);
          const row = rows.find((x) => x.command === command)!;
          if (r.code !== 0) {
            // A command that does not work yet is reported as such, not timed; anything else is a failure.
            if (/not implemented/i.test(r.stderr)) { row.unavailable = 'not implemented yet (exits 2)'; continue; }
            throw new Error(`${command} exited ${r.code}:\n${r.stderr}`);
          }
          await record(command, r);
        }
        {
          await sim.resetStats();
          const before = new Map(admin.client.roundTrips);
          const starter = startComponentsStarter(admin, NAME, IP);
          const r = await vicMachine([...argsOf.upgrade, '--timeout', '60s'], cwd);
          await starter.stop();
          const row = rows.find((x) => x.command === 'upgrade')!;
          if (r.code !== 0) {
            if (/not implemented/i.test(r.stderr)) row.unavailable = 'not implemented yet (exits 2)';
            else throw new Error(`upgrade exited ${r.code}:\n${r.stderr}`);
          } else {
            await record('upgrade', r, callsSince(admin.client.roundTrips, before));
          }
        }
      } finally {
        await sim.resetStats();
        const d = await vicMachine(argsOf.delete, cwd);
        await standIn.stop();
        if (d.code !== 0) throw new Error(`delete exited ${d.code}:\n${d.stderr}`);
        await record('delete', d);
        fs.rmSync(path.join(cwd, NAME), { recursive: true, force: true }); // the certificates: the next create makes new ones
      }
    };

    for (const latency of latencies) {
      await sim.setLatency(latency);
      log(`commands @${latency} ms: one cycle not counted, then ${runs}`);
      await cycle(undefined);
      for (let i = 0; i < runs; i++) await cycle(latency);
    }
    // create's own count of its SOAP calls (--json roundTrips), once, at 0 ms: a cross-check of the subtraction above
    // on the same run.
    await sim.setLatency(0);
    let crossCheck: CommandsResult['crossCheck'];
    {
      const stop = new AbortController();
      await sim.resetStats();
      const before = new Map(admin.client.roundTrips);
      const appliance = playAppliance(admin, NAME, IP, { requireClientCert: false, timeoutMs: 120_000, signal: stop.signal });
      appliance.catch(() => undefined);
      const r = await vicMachine([...argsOf.create, '--timeout', '60s', '--json'], cwd);
      if (r.code !== 0) stop.abort('create failed');
      const standIn = await appliance.catch(() => undefined);
      const simCount = requestsOf(await sim.stats(), callsSince(admin.client.roundTrips, before)).soapTotal;
      const rt = r.code === 0 ? (JSON.parse(r.stdout) as { roundTrips?: Record<string, number> }).roundTrips : undefined;
      if (rt) crossCheck = { self: Object.entries(rt).filter(([k]) => !k.startsWith('HTTP')).reduce((n, [, v]) => n + v, 0), simulator: simCount };
      await vicMachine(argsOf.delete, cwd);
      await standIn?.stop();
      fs.rmSync(path.join(cwd, NAME), { recursive: true, force: true });
    }
    return { rows, latencies: [...latencies], runs, playerSoap, ...(crossCheck ? { crossCheck } : {}) };
  } finally {
    await admin.logout().catch(() => undefined);
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/** The median sample's request counts (requests do not vary between runs unless a wait polls). */
export function typical(samples: readonly CommandSample[]): CommandSample {
  const totals = samples.map((s) => s.requests.total);
  const m = median(totals);
  return samples.reduce((best, s) => (Math.abs(s.requests.total - m) < Math.abs(best.requests.total - m) ? s : best), samples[0]!);
}
