// vic-machine-server under concurrent creates and deletes (docs/benchmarks.md, section "vic-machine-server: N
// concurrent creates and deletes"): through the real server process (bin/vic-machine-server, plain HTTP on loopback)
// against the simulator, N creates one after another then N deletes one after another, and N creates at once then N
// deletes at once; the wall time of each, the server's peak memory (VmHWM) and CPU, and at the end the simulator's
// inventory without any VM and its datastores without any VCH folder.
//
//   node scripts/setup.mjs && node bench/run.mjs --main server-create-delete [--n 50] [--limit-s 1800] [--no-write]
//
// The appliances cannot boot in the simulator: one watcher reads the inventory every 250 ms and plays each VCH's
// appliance (test/support/appliance-player.ts: the Docker API stand-in on a loopback address of its own, the guest
// keys published) once create has written its final configuration, which is what create's wait needs. The VCHs are
// made with `auth.no_tls` so that the figures are the server's and vSphere's work, not node-forge's RSA key
// generation (docs/benchmarks.md §6 has that).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim } from '../test/support/vcsim.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { playIfConfigured } from '../test/support/appliance-player.js';
import type { DockerApiStandIn } from '../test/support/appliance-stand-in.js';
import { request, type Answer } from '../test/server/support/server-process.js';
import { retrieveFromView } from '../src/vim/property-collector.js';
import { Session } from '../src/vim/session.js';
import { memoryMB, startOurs } from './server-process.js';
import { f1, log, root } from './util.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const N = Number(opt('--n') ?? 50);
const LIMIT_MS = Number(opt('--limit-s') ?? 1800) * 1000;
const WRITE = !argv.includes('--no-write');
if (!Number.isInteger(N) || N < 1 || N > 250) throw new Error('--n: give a number of VCHs from 1 to 250');

const USER = 'bench';
const PASSWORD = 'bench-pass';
const AUTH = `${USER}:${PASSWORD}`;

interface Phase { name: string; ms: number; errors: string[] }

function cpuS(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12])) / 100;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-create-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(dir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
  const sim = await startVcsim({ firewallOpen: true });
  const admin = await Session.connect({ url: sim.url, user: USER, password: PASSWORD, trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
  const srv = await startOurs(dir);
  const pid = srv.child.pid!;
  const T = `/container/target/${encodeURIComponent(sim.host)}`;
  const tp = `thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;
  const load0 = os.loadavg();
  const t0 = Date.now();

  // the appliances: one loopback address per VCH name
  const ips = new Map<string, string>();
  const standIns = new Map<string, DockerApiStandIn>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      try {
        const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
        await Promise.all(vms.map(async (vm) => {
          const name = String(vm.props['name']);
          const ip = ips.get(name);
          if (!ip || standIns.has(name)) return;
          const s = await playIfConfigured(admin, vm, ip, { requireClientCert: false }).catch(() => undefined);
          if (s) standIns.set(name, s);
        }));
      } catch { /* a VM removed between the read and the play: next round */ }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  const body = (name: string) => ({ name, compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG0' } } }, auth: { no_tls: true } });
  /** follows a task until it ends; its last answer */
  async function follow(taskUri: string): Promise<Answer> {
    const task = new URL(taskUri).pathname;
    for (;;) {
      const t = await request(srv.base, 'GET', task, { auth: AUTH });
      if (t.json.state !== 'running') return t;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  async function create(name: string, i: number): Promise<string> {
    ips.set(name, `127.91.${Math.floor(i / 200)}.${(i % 200) + 1}`);
    const a = await request(srv.base, 'POST', `${T}/vch?${tp}`, { auth: AUTH, body: body(name) });
    if (a.status !== 201) throw new Error(`create ${name}: ${a.status} ${a.text.slice(0, 300)}`);
    const t = await follow(a.json.task as string);
    if (t.json.state !== 'success') throw new Error(`create ${name}: ${t.json.state}: ${JSON.stringify(t.json.error ?? t.json.log?.slice(-3))}`);
    return t.json.vch.id as string;
  }
  async function del(name: string, id: string): Promise<void> {
    const a = await request(srv.base, 'DELETE', `${T}/vch/${id}?${tp}`, { auth: AUTH, body: { containers: 'all', volume_stores: 'all' } });
    // 200 when done; 202 with the task when it took longer than the server waits before answering
    if (a.status === 202) {
      const t = await follow(a.json.task as string);
      if (t.json.state !== 'success') throw new Error(`delete ${name}: ${t.json.state}: ${JSON.stringify(t.json.error ?? t.json.log?.slice(-3))}`);
    } else if (a.status !== 200) throw new Error(`delete ${name}: ${a.status} ${a.text.slice(0, 300)}`);
    await standIns.get(name)?.stop();
    standIns.delete(name);
  }
  async function listNames(): Promise<string[]> {
    const a = await request(srv.base, 'GET', `${T}/vch?${tp}`, { auth: AUTH });
    return (a.json.vchs as { name: string }[]).map((v) => v.name).sort();
  }
  async function timed(name: string, work: () => Promise<unknown>): Promise<Phase> {
    const started = Date.now();
    const errors: string[] = [];
    await Promise.race([
      work().catch((e: unknown) => { errors.push((e as Error).message); }),
      new Promise((r) => setTimeout(r, LIMIT_MS).unref()).then(() => { errors.push(`not done in ${LIMIT_MS / 1000} s`); }),
    ]);
    const p = { name, ms: Date.now() - started, errors };
    log(`${name}: ${f1(p.ms / 1000)} s${errors.length ? `, ${errors.length} errors: ${errors[0]}` : ''} (load ${f1(os.loadavg()[0]!)}, server peak ${f1(memoryMB(pid)?.peak ?? NaN)} MB)`);
    return p;
  }
  const names = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
  const ids = new Map<string, string>();
  const settled = async (all: Promise<unknown>[]) => {
    const r = await Promise.allSettled(all);
    const bad = r.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (bad.length) throw new Error(`${bad.length} failed; first: ${(bad[0]!.reason as Error).message}`);
  };

  const phases: Phase[] = [];
  const checks: string[] = [];
  let memSeq = NaN;
  let cpuSeq = NaN;
  try {
    // one after another
    const seq = names('seq');
    phases.push(await timed(`${N} creates one after another`, async () => { for (const [i, n] of seq.entries()) ids.set(n, await create(n, i)); }));
    checks.push(`after the sequential creates the list holds ${(await listNames()).filter((n) => n.startsWith('seq-')).length} of ${N}`);
    phases.push(await timed(`${N} deletes one after another`, async () => { for (const n of seq) await del(n, ids.get(n)!); }));
    memSeq = memoryMB(pid)?.peak ?? NaN;
    cpuSeq = cpuS(pid);
    // all at once
    const par = names('par');
    phases.push(await timed(`${N} creates at once`, () => settled(par.map(async (n, i) => { ids.set(n, await create(n, N + i)); }))));
    const listed = await listNames();
    checks.push(`after the concurrent creates the list holds ${listed.filter((n) => n.startsWith('par-')).length} of ${N}`);
    phases.push(await timed(`${N} deletes at once`, () => settled(par.filter((n) => ids.has(n)).map((n) => del(n, ids.get(n)!)))));
  } finally {
    watching = false;
    await watcher;
    for (const s of standIns.values()) await s.stop();
  }
  const mem = memoryMB(pid);
  const cpu = cpuS(pid);
  const vmsLeft = (await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name'])).map((v) => String(v.props['name'])).filter((n) => /^(seq|par)-/.test(n));
  const foldersLeft = Object.entries(sim.datastores).flatMap(([ds, d]) => fs.readdirSync(d).filter((f) => /^(seq|par)-/.test(f)).map((f) => `[${ds}] ${f}`));
  const listLeft = await listNames();
  checks.push(`at the end: VMs of these VCHs in the inventory: ${vmsLeft.length}; VCH folders on the datastores: ${foldersLeft.length}; the server's list: ${listLeft.length} VCHs`);
  await srv.stop();
  await admin.logout();
  const openSessions = await sim.openSessions();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const load1 = os.loadavg();

  const [sc, sd, pc, pd] = phases;
  const row = (p: Phase | undefined) => (p ? `${f1(p.ms / 1000)} s${p.errors.length ? ` (**${p.errors.length} error(s)**: ${p.errors[0]!.replace(/\|/g, '/').slice(0, 200)})` : ''}` : 'not run');
  const sum = (a?: Phase, b?: Phase) => (a && b ? `${f1((a.ms + b.ms) / 1000)} s` : '—');
  const ok = phases.length === 4 && phases.every((p) => p.errors.length === 0) && vmsLeft.length === 0 && foldersLeft.length === 0;
  const md = [
    `## vic-machine-server: ${N} concurrent creates and deletes`,
    '',
    `Through the server process (bin/vic-machine-server, plain HTTP on 127.0.0.1) against the simulator, one user; each`,
    `create is \`POST /container/target/{target}/vch\` (the default form: 201 once the VM is made and powered on) and its`,
    `task followed until it ends; each delete is \`DELETE .../vch/{id}\` (the default form) and its task followed until it ends. The`,
    `appliances are played by test/support/appliance-player.ts (one inventory watcher for all); the VCHs have \`auth.no_tls\``,
    `(no RSA key generation in the figures).`,
    '',
    '| | one after another | all at once | speed-up |',
    '|---|---|---|---|',
    `| ${N} creates | ${row(sc)} | ${row(pc)} | ${sc && pc ? `${f1(sc.ms / pc.ms)}×` : '—'} |`,
    `| ${N} deletes | ${row(sd)} | ${row(pd)} | ${sd && pd ? `${f1(sd.ms / pd.ms)}×` : '—'} |`,
    `| both | ${sum(sc, sd)} | ${sum(pc, pd)} | ${sc && sd && pc && pd ? `${f1((sc.ms + sd.ms) / (pc.ms + pd.ms))}×` : '—'} |`,
    '',
    `- Server memory: peak RSS (VmHWM) ${f1(memSeq)} MB after the sequential half, ${f1(mem?.peak ?? NaN)} MB after the concurrent half (RSS at the end ${f1(mem?.now ?? NaN)} MB); server CPU ${f1(cpuSeq)} s for the sequential half, ${f1(cpu - cpuSeq)} s for the concurrent half.`,
    ...checks.map((c) => `- Check: ${c}.`),
    `- vSphere sessions open at the simulator after the server stopped: ${openSessions}.`,
    `- ${ok ? 'Every VCH was made and then nothing was left.' : '**Not every VCH was made and removed: see the errors above.**'}`,
    '',
    `Command: \`node scripts/setup.mjs && node bench/run.mjs --main server-create-delete --n ${N}${opt('--limit-s') ? ` --limit-s ${opt('--limit-s')}` : ''}\`; ${new Date().toISOString().slice(0, 16)}Z, Node ${process.versions.node}, ${os.cpus().length} cores; load average (1 min, \`uptime\`) ${f1(load0[0]!)} at the start, ${f1(load1[0]!)} at the end (other helpers' work on the same 2 cores); ${f1((Date.now() - t0) / 1000)} s in all.`,
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (WRITE) writeSection(md);
  if (!ok) process.exitCode = 1;
}

const START = '<!-- server-create-delete: written by bench/server-create-delete.ts -->';
const END = '<!-- /server-create-delete -->';

/** Replaces (or appends) this benchmark's section of docs/benchmarks.md. */
function writeSection(text: string): void {
  const file = path.join(root, 'docs', 'benchmarks.md');
  const old = fs.readFileSync(file, 'utf8');
  const block = `${START}\n${text.trimEnd()}\n${END}`;
  const a = old.indexOf(START);
  const b = old.indexOf(END);
  fs.writeFileSync(file, a >= 0 && b > a ? old.slice(0, a) + block + old.slice(b + END.length) : `${old.trimEnd()}\n\n${block}\n`);
  log(`wrote the server-create-delete section of ${path.relative(root, file)}`);
}

main().then(() => process.exit(process.exitCode ?? 0), (e: unknown) => { process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
