// The list benchmark of vic-machine-server, against ANY server that speaks VIC 1.5's REST API (ours, or the original
// vic-machine-server 1.5.8 built elsewhere): list latency p50/p99 and throughput with 1, 10 and 100 concurrent clients,
// the SOAP requests (and Logins) each list costs, counted at the simulator, and the server's CPU time and memory.
//
// Two ways to run it (after `node scripts/setup.mjs`; `node bench/run.mjs --main server-list ...` compiles bench/):
//   compare (writes the section "vic-machine-server vs 1.5.8" of docs/benchmarks.md):
//     node bench/run.mjs --main server-list --original /path/to/vic-machine-server-1.5.8 [--latency-ms 20]
//       [--clients 1,10,100,100u] [--seconds 20,20,40,40] [--no-write]
//     It starts the simulator, plants one VCH as 1.5.8 left it (test/support/fixture-vch.ts, fixture "basic"), adds
//     the latency to every vSphere request, starts our bin/vic-machine-server and the given 1.5.8 binary (both plain
//     HTTP on 127.0.0.1) and measures them in turn, ours first at each client count.
//   one server at a given base URL (prints JSON; nothing is started or written):
//     node bench/run.mjs --main server-list --url http://127.0.0.1:8080 --target 127.0.0.1:8989 --user U --password P
//       --thumbprint AA:BB:... [--testbed https://127.0.0.1:8989] [--pid N] [--sim-pid N] [--clients 1,10,100] [--seconds 20]
//     --testbed is the simulator's base URL (its /_testbed counters give the SOAP requests per list); --pid the
//     server's process id (its CPU time and peak memory are read from /proc), --sim-pid the simulator's (its CPU time).
// --clients takes counts, each optionally with `u` (100u: every client logs in as a user of its own, so that no two
// share a vSphere session or an in-flight read); --seconds one duration, or one per --clients entry (20,20,60).
// The 1.5.8 binary is not built here: docs/benchmarks.md says how it was built for the figures there.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type TestbedStats, type Vcsim } from '../test/support/vcsim.js';
import { recreateFixture, haveFixtures } from '../test/support/fixture-vch.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { Session } from '../src/vim/session.js';
import { f0, f1, log, root } from './util.js';
import { freePort, memoryMB, started, startOurs, type Started } from './server-process.js';

export { memoryMB };

// --- options ---------------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
/** A client count; with `u` (e.g. 100u) every client uses a user of its own, so that no two share a session or a read. */
interface Level { clients: number; distinct: boolean; seconds: number }
const LEVEL_SPECS = (opt('--clients') ?? '1,10,100').split(',');
const SECOND_SPECS = (opt('--seconds') ?? '20').split(',').map(Number);
const LEVELS: Level[] = LEVEL_SPECS.map((v, i) => {
  const m = /^(\d+)(u?)$/.exec(v.trim());
  if (!m || Number(m[1]) < 1) throw new Error(`--clients: "${v}" is not a client count; give e.g. 1,10,100 (100u: each client a user of its own)`);
  const seconds = SECOND_SPECS[Math.min(i, SECOND_SPECS.length - 1)]!;
  if (!(seconds > 0)) throw new Error('--seconds: give a positive number of seconds per measurement (e.g. 20), or one per --clients entry (e.g. 20,20,60)');
  return { clients: Number(m[1]), distinct: m[2] === 'u', seconds };
});
const levelName = (l: Level): string => `${l.clients} client${l.clients > 1 ? 's' : ''}${l.distinct ? ' (a user each)' : ''}`;
const LATENCY_MS = Number(opt('--latency-ms') ?? 20);
const WRITE = !argv.includes('--no-write');
/** sequential lists whose SOAP requests are counted (after one list not counted) */
const COUNTED_LISTS = 5;

// --- measuring one server ----------------------------------------------------------------------------------------------
export interface Counter { reset(): Promise<void>; stats(): Promise<TestbedStats>; openSessions(): Promise<number> }

export interface ListTarget {
  /** the server's base URL, e.g. http://127.0.0.1:8080 */
  base: string;
  /** the {target} path parameter: the simulator's host:port */
  target: string;
  user: string;
  password: string;
  thumbprint: string;
  /** the server's process (CPU time and peak memory from /proc), when known */
  pid?: number;
  /** the simulator's process (its CPU time per list), when known */
  simPid?: number;
  /** how many VCHs a right answer lists (any number when not given) */
  expectVchs?: number;
}

export interface LoadResult {
  clients: number;
  distinct: boolean;
  seconds: number;
  requests: number;
  errors: number;
  firstError?: string;
  wallS: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** the server's CPU time per list (ms), when its pid is known */
  cpuMsPerList?: number;
  /** the simulator's CPU time per list (ms), when its pid is known */
  simCpuMsPerList?: number;
  /** SOAP requests per list during this load, at the simulator */
  soapPerList?: number;
  loginsPerList?: number;
  load1: [number, number];
}

export interface SoapCount {
  /** the first list after the server started (a fresh login for ours) */
  first: { total: number; perMethod: Record<string, number> };
  /** the mean of COUNTED_LISTS sequential lists after it */
  steady: { total: number; logins: number; perMethod: Record<string, number> };
  sessionsOpenedPerList: number;
}

const pct = (sorted: readonly number[], p: number): number => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;

/** utime+stime of a process in ms (Linux /proc), or undefined */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch { return undefined; }
}

function listPath(t: ListTarget): string {
  // ':' stays as it is: 1.5.8's router hands the path parameter on undecoded ("127.0.0.1%3A443" is no host for it)
  return `/container/target/${encodeURIComponent(t.target).replace(/%3A/gi, ':')}/vch?thumbprint=${encodeURIComponent(t.thumbprint)}`;
}

/** One list request; resolves with its time, or rejects naming what was wrong with the answer. */
function listOnce(t: ListTarget, agent: http.Agent): Promise<number> {
  const u = new URL(listPath(t), t.base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { agent, headers: { Authorization: `Basic ${Buffer.from(`${t.user}:${t.password}`).toString('base64')}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        // an answer only counts if it is the one VCH planted: a fast error must not pass for a fast list
        let n = -1;
        try { n = (JSON.parse(text) as { vchs?: unknown[] }).vchs?.length ?? -1; } catch { /* not JSON */ }
        if (res.statusCode !== 200 || n < 0 || (t.expectVchs !== undefined && n !== t.expectVchs)) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        else resolve(ms);
      });
    });
    req.setTimeout(120_000, () => req.destroy(new Error('no answer in 120 s')));
    req.on('error', reject);
    req.end();
  });
}

/** `clients` closed-loop clients (each sends its next list when the last is answered) for `seconds`. */
export async function loadList(t: ListTarget, level: Level, counter?: Counter): Promise<LoadResult> {
  const { clients, distinct, seconds } = level;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const load0 = os.loadavg()[0]!;
  await counter?.reset();
  const cpu0 = cpuMs(t.pid);
  const simCpu0 = cpuMs(t.simPid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, i) => {
    // a user of its own: the simulator (started without -username) takes any name; 1.5.8 logs in per list anyway
    const mine = distinct ? { ...t, user: `${t.user}-${i}` } : t;
    while (performance.now() < deadline) {
      try { times.push(await listOnce(mine, agent)); } catch (e) { errors++; firstError ??= (e as Error).message; }
    }
  }));
  const wallS = (performance.now() - started) / 1000;
  const cpu1 = cpuMs(t.pid);
  const simCpu1 = cpuMs(t.simPid);
  const st = await counter?.stats();
  agent.destroy();
  const sorted = [...times].sort((a, b) => a - b);
  const done = times.length + errors;
  return {
    clients, distinct, seconds, requests: times.length, errors, ...(firstError ? { firstError } : {}), wallS, perSecond: times.length / wallS,
    p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN,
    ...(cpu0 !== undefined && cpu1 !== undefined && done ? { cpuMsPerList: (cpu1 - cpu0) / done } : {}),
    ...(simCpu0 !== undefined && simCpu1 !== undefined && done ? { simCpuMsPerList: (simCpu1 - simCpu0) / done } : {}),
    ...(st && done ? { soapPerList: soapTotal(st) / done, loginsPerList: (st.soap['Login'] ?? 0) / done } : {}),
    load1: [load0, os.loadavg()[0]!],
  };
}

const soapTotal = (st: TestbedStats): number => Object.values(st.soap).reduce((a, b) => a + b, 0);

/** SOAP requests of the first list and of COUNTED_LISTS sequential lists after it, at the simulator. */
export async function countSoap(t: ListTarget, counter: Counter): Promise<SoapCount> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await counter.reset();
  await listOnce(t, agent);
  const first = await counter.stats();
  const sessions0 = await counter.openSessions();
  await counter.reset();
  for (let i = 0; i < COUNTED_LISTS; i++) await listOnce(t, agent);
  const st = await counter.stats();
  const sessions1 = await counter.openSessions();
  agent.destroy();
  const per = (s: TestbedStats, n: number) => Object.fromEntries(Object.entries(s.soap).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v / n]));
  return {
    first: { total: soapTotal(first), perMethod: per(first, 1) },
    steady: { total: soapTotal(st) / COUNTED_LISTS, logins: (st.soap['Login'] ?? 0) / COUNTED_LISTS, perMethod: per(st, COUNTED_LISTS) },
    sessionsOpenedPerList: (sessions1 - sessions0) / COUNTED_LISTS,
  };
}

// --- the simulator's counters at a URL (standalone mode) ---------------------------------------------------------------
/** The /_testbed endpoints of a running simulator (its self-signed certificate is not verified: loopback test plumbing). */
function counterAt(base: string): Counter {
  const call = (method: string, p: string): Promise<unknown> => new Promise((resolve, reject) => {
    const req = https.request(new URL(p, base), { method, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try { resolve(text ? JSON.parse(text) : undefined); } catch { resolve(text); }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return {
    reset: async () => { await call('POST', '/_testbed/stats/reset'); },
    stats: async () => (await call('GET', '/_testbed/stats')) as TestbedStats,
    openSessions: async () => ((await call('GET', '/_testbed/sessions')) as { open: number }).open,
  };
}

// --- compare mode: ours beside 1.5.8 -----------------------------------------------------------------------------------
const USER = 'bench';
const PASSWORD = 'bench-pass';

/** The original 1.5.8 server: go-swagger's flags, plain HTTP on loopback, its log in a directory of its own. */
async function startOriginal(bin: string, dir: string): Promise<Started> {
  const [port, pprof] = [await freePort(), await freePort()];
  const child = spawn(bin, ['--scheme', 'http', '--host', '127.0.0.1', '--port', String(port), '--log-directory', path.join(dir, 'logs'),
    '--pprof-port', String(pprof)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, `http://127.0.0.1:${port}`, '1.5.8');
}

interface ServerFigures { name: string; soap: SoapCount; loads: LoadResult[]; memory?: { peak: number; now: number }; version: string }

async function versionOf(base: string): Promise<string> {
  return new Promise((resolve) => http.get(`${base}/container/version`, (res) => {
    let s = '';
    res.on('data', (c: Buffer) => { s += c.toString(); });
    res.on('end', () => resolve(s.trim().replace(/^"|"$/g, '')));
  }).on('error', () => resolve('?')));
}

async function compare(originalBin: string): Promise<void> {
  if (!haveFixtures) throw new Error('the 1.5.8 fixtures (/work/shared/fixtures/vic-machine-1.5.8) are needed to plant the VCH');
  if (!fs.existsSync(originalBin)) throw new Error(`--original: no file at ${originalBin}; give the path of a built vic-machine-server 1.5.8`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-server-'));
  fs.mkdirSync(path.join(dir, 'ours'), { recursive: true });
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(dir, 'ours', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
  // no -username: any user logs in, which the "a user each" levels need
  const sim: Vcsim = await startVcsim({});
  let ours: Started | undefined;
  let orig: Started | undefined;
  const started = Date.now();
  const load0 = os.loadavg();
  try {
    const admin = await Session.connect({ url: sim.url, user: USER, password: PASSWORD, trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
    await recreateFixture(admin, 'basic', 'vch1');
    await admin.logout();
    await sim.setLatency(LATENCY_MS);
    ours = await startOurs(path.join(dir, 'ours'));
    fs.mkdirSync(path.join(dir, 'original'), { recursive: true });
    orig = await startOriginal(originalBin, path.join(dir, 'original'));
    const target = (base: string, pid: number | undefined): ListTarget => ({ base, target: sim.host, user: USER, password: PASSWORD, thumbprint: sim.thumbprintSHA1, simPid: sim.pid, expectVchs: 1, ...(pid ? { pid } : {}) });
    const servers = [
      { name: 'ours', t: target(ours.base, ours.child.pid) },
      { name: '1.5.8', t: target(orig.base, orig.child.pid) },
    ];
    const counter: Counter = { reset: () => sim.resetStats(), stats: () => sim.stats(), openSessions: () => sim.openSessions() };
    const figures: ServerFigures[] = [];
    for (const s of servers) {
      log(`${s.name}: counting SOAP requests per list`);
      figures.push({ name: s.name, soap: await countSoap(s.t, counter), loads: [], version: await versionOf(s.t.base) });
    }
    for (const l of LEVELS) {
      for (const [i, s] of servers.entries()) {
        log(`${s.name}: ${levelName(l)} for ${l.seconds} s`);
        const r = await loadList(s.t, l, counter);
        log(`  ${r.requests} lists, ${f1(r.perSecond)}/s, p50 ${f0(r.p50)} ms, p99 ${f0(r.p99)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}, load ${r.load1.map(f1).join('→')}`);
        figures[i]!.loads.push(r);
      }
    }
    for (const [i, s] of servers.entries()) { const m = memoryMB(s.t.pid); if (m) figures[i]!.memory = m; }
    const openSessions = await sim.openSessions();
    const text = section(figures, { latencyMs: LATENCY_MS, load: [load0[0]!, os.loadavg()[0]!], wallS: (Date.now() - started) / 1000, openSessions, originalBin });
    process.stdout.write(`${text}\n`);
    if (WRITE) writeSection(text);
  } finally {
    await orig?.stop();
    await ours?.stop();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// --- docs/benchmarks.md ------------------------------------------------------------------------------------------------
export const SECTION_START = '<!-- server-list: written by bench/server-list.ts -->';
export const SECTION_END = '<!-- /server-list -->';

/** Replaces (or appends) this benchmark's section of docs/benchmarks.md; the rest of the file is left as it is. */
function writeSection(text: string): void {
  const file = path.join(root, 'docs', 'benchmarks.md');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${SECTION_START}\n${text.trimEnd()}\n${SECTION_END}`;
  const a = old.indexOf(SECTION_START);
  const b = old.indexOf(SECTION_END);
  const next = a >= 0 && b > a ? old.slice(0, a) + block + old.slice(b + SECTION_END.length) : `${old.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
  log(`wrote the server-list section of ${path.relative(root, file)}`);
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${f0(x)} ms`);
const per = (m: Record<string, number>): string => Object.entries(m).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join(', ');

/** How the 1.5.8 binary behind the figures was built (prose for the docs; the build itself is not in this repository). */
const BUILD_NOTE = [
  'How 1.5.8 was built for these figures (on this machine, outside the repository; none of its code or build script is',
  'committed): the tree of tag `v1.5.8` of vmware/vic (commit 2c978fe) from the mirror, extracted with `git archive` into',
  'a GOPATH (`GOPATH=/tmp/gopath`, `src/github.com/vmware/vic`), without `tests/` and without two files whose blobs the',
  'mirror lacks and the server does not use (`vendor/github.com/docker/docker/vendor/github.com/mattn/go-sqlite3/code/sqlite3-binding.c`,',
  '`vendor/github.com/go-swagger/go-swagger/vendor/golang.org/x/text/collate/tables.go`). Debian\'s go 1.19.8 in GOPATH mode',
  '(`GO111MODULE=off`) built the vendored go-swagger (`./vendor/github.com/go-swagger/go-swagger/cmd/swagger`), which generated',
  'the server as the Makefile does (`swagger generate server --exclude-main --target lib/apiservers/service -f',
  'lib/apiservers/service/swagger.json`), and then `go build` built `./cmd/vic-machine-server` with the Makefile\'s linker flags',
  '(`-s -w`, `pkg/version.Version=v1.5.8`, `BuildNumber=1`, `GitCommit=2c978fe`). Two changes to the 2017 go-swagger were',
  'needed under go 1.19, none to vic\'s own code: its spec validation panics (`object has no key "default"`), so the',
  'generation ran with `--skip-validation` (validation checks the spec; it does not change what is generated), and one of',
  'its templates (`schematype.gotmpl`) writes `((len .AllOf) gt 0)`, which today\'s `text/template` refuses and old ones read',
  'as `len .AllOf` (true when not 0), so the defaults are loaded with it rewritten to `(gt (len .AllOf) 0)`',
  '(`generator/template_repo.go`, `LoadDefaults`).',
].join('\n');

function section(figs: ServerFigures[], o: { latencyMs: number; load: [number, number]; wallS: number; openSessions: number; originalBin: string }): string {
  const [ours, orig] = [figs[0]!, figs[1]!];
  const md: string[] = ['## vic-machine-server vs 1.5.8: list', ''];
  md.push(`Written by \`bench/server-list.ts\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} (${os.cpus().length} CPUs, Node.js ${process.version}); `
    + `load average (1 min) ${f1(o.load[0])} at the start, ${f1(o.load[1])} at the end; whole run ${f0(o.wallS)} s; niceness`
    + ` ${os.getPriority()} (the servers, the simulator and the clients inherit it).`,
  '',
  `Both servers run at once on 127.0.0.1 over plain HTTP against one simulator (\`test/vcsim\`, default model) holding one VCH,`
    + ` planted as vic-machine 1.5.8 left it (fixture "basic", \`test/support/fixture-vch.ts\`), with ${o.latencyMs} ms added to every`
    + ` vSphere request. Ours: \`bin/vic-machine-server --scheme http\` (default session reuse). 1.5.8: \`${path.basename(o.originalBin)}\` --scheme http (its default log level, debug). Each client is a closed loop`
    + ` (next \`GET /container/target/{target}/vch\` when the last is answered, Basic auth, keep-alive) for the seconds each row names (requests sent before the end are waited for and counted; lists/s is over the whole time); an answer`
    + ` counts only if it is 200 with the one VCH. "A user each": every client logs in as a user of its own (the simulator takes any name), so that no two clients share a vSphere session or an in-flight read; otherwise all use one user. The servers take turns at each client count, ours first. SOAP requests are`
    + ` the simulator's counts (\`/_testbed/stats\`) divided by the lists answered; CPU is the server process's user+system`
    + ` time (/proc) per list.`, '');
  md.push(`Command: \`node scripts/setup.mjs && node bench/run.mjs --main server-list --original <vic-machine-server 1.5.8>`
    + ` --latency-ms ${o.latencyMs} --seconds ${SECOND_SPECS.join(',')} --clients ${LEVEL_SPECS.join(',')}\` (it starts everything itself and writes this`
    + ` section). One server at any base URL: \`node bench/run.mjs --main server-list --url http://HOST:PORT --target SIM_HOST:PORT`
    + ` --user U --password P --thumbprint SHA1 [--testbed https://SIM_HOST:PORT] [--pid SERVER_PID] [--sim-pid SIM_PID]\` prints the same figures as JSON.`, '');
  md.push('| | ours | 1.5.8 | ours / 1.5.8 | goal |', '|---|---:|---:|---:|---|');
  md.push(`| version (\`GET /container/version\`) | ${ours.version} | ${orig.version} | | |`);
  md.push(`| SOAP requests, first list | ${ours.soap.first.total} | ${orig.soap.first.total} | | |`);
  const goalSoap = ours.soap.steady.total <= 6;
  md.push(`| SOAP requests per list (mean of ${COUNTED_LISTS}, one client) | ${f1(ours.soap.steady.total)} | ${f1(orig.soap.steady.total)} | ${(ours.soap.steady.total / orig.soap.steady.total).toFixed(2)} | ≤ 6: ${goalSoap ? '**met**' : '**missed**'} |`);
  md.push(`| Logins per list | ${f1(ours.soap.steady.logins)} | ${f1(orig.soap.steady.logins)} | | |`);
  md.push(`| vSphere sessions left open per list | ${f1(ours.soap.sessionsOpenedPerList)} | ${f1(orig.soap.sessionsOpenedPerList)} | | |`);
  for (const [i, r] of ours.loads.entries()) {
    const q = orig.loads[i]!;
    const n = `${levelName(r)}, ${r.seconds} s`;
    const plain = !r.distinct;
    const goalP50 = plain && r.clients === 1 ? `≤ 0.2×: ${r.p50 <= 0.2 * q.p50 ? '**met**' : '**missed**'}` : '';
    const goalTput = plain && r.clients === 100 ? `≥ 3×: ${r.perSecond >= 3 * q.perSecond ? '**met**' : '**missed**'}` : '';
    const goalP99 = plain && r.clients === 100 ? `< 1 s: ${r.p99 < 1000 ? '**met**' : '**missed**'}` : '';
    const dec = (x: number | undefined): string => (x === undefined ? '—' : x < 1 && x > 0 ? x.toFixed(3) : f1(x));
    md.push(`| ${n}: p50 | ${ms(r.p50)} | ${ms(q.p50)} | ${(r.p50 / q.p50).toFixed(2)} | ${goalP50} |`);
    md.push(`| ${n}: p99 | ${ms(r.p99)} | ${ms(q.p99)} | ${(r.p99 / q.p99).toFixed(2)} | ${goalP99} |`);
    md.push(`| ${n}: lists/s | ${f1(r.perSecond)} | ${f1(q.perSecond)} | ${(r.perSecond / q.perSecond).toFixed(1)} | ${goalTput} |`);
    md.push(`| ${n}: lists answered (errors) | ${r.requests} (${r.errors}) | ${q.requests} (${q.errors}) | | |`);
    md.push(`| ${n}: SOAP requests (Logins) per list | ${dec(r.soapPerList)} (${dec(r.loginsPerList)}) | ${dec(q.soapPerList)} (${dec(q.loginsPerList)}) | | |`);
    md.push(`| ${n}: server CPU per list | ${r.cpuMsPerList === undefined ? '—' : `${f1(r.cpuMsPerList)} ms`} | ${q.cpuMsPerList === undefined ? '—' : `${f1(q.cpuMsPerList)} ms`} | | |`);
    const busy = (x: LoadResult): string => (x.cpuMsPerList === undefined ? '—' : `${f0(x.cpuMsPerList * x.perSecond / 10)}%`);
    md.push(`| ${n}: server CPU busy (of one core) | ${busy(r)} | ${busy(q)} | | |`);
    md.push(`| ${n}: simulator CPU per list | ${r.simCpuMsPerList === undefined ? '—' : `${f1(r.simCpuMsPerList)} ms`} | ${q.simCpuMsPerList === undefined ? '—' : `${f1(q.simCpuMsPerList)} ms`} | | |`);
    md.push(`| ${n}: load average (1 min) before → after | ${r.load1.map(f1).join(' → ')} | ${q.load1.map(f1).join(' → ')} | | |`);
  }
  if (ours.memory && orig.memory) md.push(`| server memory: peak RSS (now) | ${f0(ours.memory.peak)} MB (${f0(ours.memory.now)}) | ${f0(orig.memory.peak)} MB (${f0(orig.memory.now)}) | | |`);
  md.push('', 'Below one SOAP request per list (ours, several clients of one user): lists of one user and target asked while'
    + ' one is being read share that read (the issue allows identical reads in flight to be shared, never across'
    + ' credentials); the "a user each" rows show the server without that sharing, each user with its own session (the goals are'
    + ' judged on the rows of one user, the setting the issue measured 1.5.8 in; 1.5.8 logs in per list either way).'
    + ' Server and simulator CPU per list say where the time goes on the 2 shared cores.');
  md.push('', `SOAP requests per method, one list after the first: ours ${per(ours.soap.steady.perMethod)}; 1.5.8 ${per(orig.soap.steady.perMethod)}.`,
    `The first list: ours ${per(ours.soap.first.perMethod)}.`, `Sessions open at the simulator at the end: ${o.openSessions}.`);
  md.push('', BUILD_NOTE);
  for (const f of figs) for (const r of f.loads) if (r.firstError) md.push('', `${f.name}, ${r.clients} clients: first error: \`${r.firstError.replace(/`/g, "'")}\``);
  return md.join('\n');
}

// --- main --------------------------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const original = opt('--original') ?? process.env['VIC158_SERVER'];
  const url = opt('--url');
  if (url) {
    const need = (k: string): string => { const v = opt(k); if (!v) throw new Error(`${k} is required with --url`); return v; };
    const t: ListTarget = { base: url, target: need('--target'), user: need('--user'), password: need('--password'), thumbprint: need('--thumbprint'),
      ...(opt('--pid') ? { pid: Number(opt('--pid')) } : {}), ...(opt('--sim-pid') ? { simPid: Number(opt('--sim-pid')) } : {}) };
    const counter = opt('--testbed') ? counterAt(opt('--testbed')!) : undefined;
    const out: Record<string, unknown> = { base: url };
    if (counter) out['soap'] = await countSoap(t, counter);
    const loads: LoadResult[] = [];
    for (const l of LEVELS) { log(`${levelName(l)} for ${l.seconds} s`); loads.push(await loadList(t, l, counter)); }
    out['loads'] = loads;
    out['memory'] = memoryMB(t.pid);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  if (!original) throw new Error('give --original <path of vic-machine-server 1.5.8> (or VIC158_SERVER) to compare, or --url <base> with --target, --user, --password, --thumbprint to measure one server');
  await compare(original);
}

main().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`bench: ${(e as Error).message ?? String(e)}\n`); process.exit(1); });
