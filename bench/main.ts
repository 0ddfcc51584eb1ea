// The benchmarks behind docs/benchmarks.md (run with `npm run bench`, see bench/run.mjs). Not jest tests: each part
// measures, prints what it measured, and the script writes docs/benchmarks.md with the medians.
//   1. upload: a 1 GiB file to the simulator's datastore, in separate child processes (bench/upload-worker.ts)
//   2. start-up: `bin/vic-machine --help` and `bin/vic-machine version` beside `node -e 0`
//   3. round trips: the client's basic operations, counted by the simulator (per SOAP method)
// Options: --runs N (default 7; start-up uses 2N, at least 10), --only upload,startup,roundtrips, --no-write,
// --size-mib N (upload size, default 1024).
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVcsim, type Vcsim } from '../test/support/vcsim.js';
import { Session } from '../src/vim/session.js';
import { loadInventory } from '../src/vim/inventory.js';
import { Finder } from '../src/vim/finder.js';
import { retrieveFromView } from '../src/vim/property-collector.js';
import { DatastoreFiles, type DatastoreRef } from '../src/vim/datastore-files.js';
import type { UploadJob, UploadMode, UploadResult } from './upload-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // bench/out/bench
const root = path.resolve(here, '..', '..', '..');
const USER = 'bench';
const PASSWORD = 'bench-pass';

// --- options ---------------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RUNS = Math.max(1, Number(opt('--runs') ?? 7));
const STARTUP_RUNS = Math.max(10, 2 * RUNS);
const ONLY = new Set((opt('--only') ?? 'upload,startup,roundtrips').split(','));
const WRITE = !argv.includes('--no-write');
const SIZE = Math.max(1, Number(opt('--size-mib') ?? 1024)) * 1024 * 1024;

// --- helpers ---------------------------------------------------------------------------------------------------------
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f1 = (x: number): string => x.toFixed(1);
const f0 = (x: number): string => x.toFixed(0);
const mb = (bytes: number): number => bytes / 1e6;
const log = (line: string): void => { process.stderr.write(`bench: ${line}\n`); };
const yesNo = (ok: boolean): string => (ok ? '**met**' : '**missed**');

function machine(): { nproc: number; memory: string; node: string; cpu: string; kernel: string; date: string } {
  let nproc = os.availableParallelism();
  try { nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc; } catch { /* os value */ }
  return {
    nproc,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

async function connect(sim: Vcsim): Promise<Session> {
  return Session.connect({ url: sim.url, user: USER, password: PASSWORD, trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
}

// --- 1. upload -------------------------------------------------------------------------------------------------------
interface UploadSummary {
  size: number;
  runs: number;
  fileKind: string;
  rows: { mode: UploadMode; label: string; mbps: number; rssMB: number; ms: number; progressCalls: number; progressMs: number; cpuMs: number; all: UploadResult[] }[];
  ratio: number;
  ratio1m: number;
  /** median over rounds of (a)/(c) and (a)/(d) within the same round */
  paired: number;
  paired1m: number;
  progressCost: number;
  /** share of the transfer time spent inside onProgress (median over runs) */
  progressShare: number;
}

const MODE_LABEL: Record<UploadMode, string> = {
  progress: '(a) DatastoreFiles.upload with onProgress (progress line to /dev/null)',
  plain: '(b) DatastoreFiles.upload without onProgress',
  raw: '(c) raw https PUT: createReadStream().pipe(req) (64 KiB reads)',
  raw1m: '(d) raw https PUT with 1 MiB reads',
  idle: 'log in and out, no transfer (RSS floor)',
};

/** A non-sparse file: one 16 MiB block of random bytes, written again and again (random-ish, cheap to make). */
function makeFile(file: string, size: number): void {
  const block = crypto.randomBytes(Math.min(size, 16 * 1024 * 1024));
  const fd = fs.openSync(file, 'w');
  try {
    for (let done = 0; done < size;) {
      const n = Math.min(block.length, size - done);
      fs.writeSync(fd, block, 0, n);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function runWorker(job: UploadJob): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'upload-worker.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`upload worker (${job.mode}) exited with ${code}`));
      try { resolve(JSON.parse(out.trim()) as UploadResult); } catch (e) { reject(e); }
    });
  });
}

async function benchUpload(): Promise<UploadSummary> {
  const sim = await startVcsim({ username: USER, password: PASSWORD });
  const file = path.join(os.tmpdir(), `vic-bench-upload-${process.pid}.bin`);
  const session = await connect(sim);
  try {
    const f = new Finder(await loadInventory(session));
    const dc = f.datacenter();
    const ds = f.findOne('datastore', 'LocalDS_0', dc);
    const ref: DatastoreRef = { datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: ds.name, datastore: ds.ref };
    const files = new DatastoreFiles(session, ref);
    const dsDir = sim.datastores[ds.name];
    log(`writing ${SIZE / 2 ** 20} MiB to ${file}`);
    makeFile(file, SIZE);
    const target = 'bench/upload.iso';
    await files.mkdir('bench');
    const job = (mode: UploadMode): UploadJob => ({
      mode, url: sim.url, user: USER, password: PASSWORD, thumbprint: sim.thumbprintSHA1, file, target, ref,
    });
    const once = async (mode: UploadMode): Promise<UploadResult> => {
      const r = await runWorker(job(mode));
      if (mode === 'idle') return r;
      // The whole file arrived?
      if (dsDir) {
        const got = fs.statSync(path.join(dsDir, target)).size;
        if (got !== SIZE) throw new Error(`${mode}: the datastore holds ${got} of ${SIZE} bytes`);
      }
      await files.remove(target);
      return r;
    };
    const modes: UploadMode[] = ['progress', 'plain', 'raw', 'raw1m', 'idle'];
    log('upload warm-up, one of each (not counted)');
    for (const mode of modes) await once(mode);
    const results: Record<UploadMode, UploadResult[]> = { progress: [], plain: [], raw: [], raw1m: [], idle: [] };
    for (let i = 0; i < RUNS; i++) {
      // Rotate the order each round so that no mode always runs first or last.
      for (let k = 0; k < modes.length; k++) {
        const mode = modes[(i + k) % modes.length]!;
        const r = await once(mode);
        results[mode].push(r);
        log(`upload ${i + 1}/${RUNS} ${mode}: ${mode === 'idle' ? '' : `${f1(mb(r.bytes) / (r.ms / 1000))} MB/s, `}peak RSS ${f1(mb(r.maxRSS))} MB`);
      }
    }
    const rows = modes.map((mode) => {
      const all = results[mode];
      return {
        mode, label: MODE_LABEL[mode], all,
        mbps: mode === 'idle' ? NaN : median(all.map((r) => mb(r.bytes) / (r.ms / 1000))),
        rssMB: median(all.map((r) => mb(r.maxRSS))),
        ms: median(all.map((r) => r.ms)),
        progressCalls: median(all.map((r) => r.progressCalls)),
        progressMs: median(all.map((r) => r.progressMs)),
        cpuMs: median(all.map((r) => r.cpuMs)),
      };
    });
    const by = (m: UploadMode) => rows.find((r) => r.mode === m)!;
    return {
      size: SIZE, runs: RUNS, rows,
      fileKind: 'not sparse: a 16 MiB block of random bytes repeated (incompressible, in the page cache after the first read)',
      ratio: by('progress').mbps / by('raw').mbps,
      ratio1m: by('progress').mbps / by('raw1m').mbps,
      paired: median(by('progress').all.map((r, i) => by('raw').all[i]!.ms / r.ms)),
      paired1m: median(by('progress').all.map((r, i) => by('raw1m').all[i]!.ms / r.ms)),
      progressCost: by('progress').mbps / by('plain').mbps - 1,
      progressShare: median(by('progress').all.map((r) => r.progressMs / r.ms)),
    };
  } finally {
    await session.logout();
    fs.rmSync(file, { force: true });
    await sim.stop();
  }
}

// --- 2. start-up -----------------------------------------------------------------------------------------------------
interface StartupRow { label: string; median: number; min: number; max: number }

function timeOnce(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`));
      else resolve(ms);
    });
  });
}

async function benchStartup(): Promise<StartupRow[]> {
  const bin = path.join(root, 'bin', 'vic-machine');
  const cases: { label: string; cmd: string; args: string[] }[] = [
    { label: '`node -e 0` (floor)', cmd: process.execPath, args: ['-e', '0'] },
    { label: '`bin/vic-machine --help`', cmd: bin, args: ['--help'] },
    { label: '`bin/vic-machine version`', cmd: bin, args: ['version'] },
    // Where the time goes: loading the CLI's module graph alone, without running a command.
    { label: 'import of `dist/cli/main.js` only', cmd: process.execPath, args: ['--input-type=module', '-e', `await import(${JSON.stringify(path.join(root, 'dist', 'cli', 'main.js'))})`] },
  ];
  for (const c of cases) await timeOnce(c.cmd, c.args); // warm-up (page cache, compile cache)
  const times = cases.map(() => [] as number[]);
  for (let i = 0; i < STARTUP_RUNS; i++) {
    for (let k = 0; k < cases.length; k++) times[k]!.push(await timeOnce(cases[k]!.cmd, cases[k]!.args));
  }
  return cases.map((c, k) => {
    const t = times[k]!;
    log(`start-up ${c.label}: median ${f1(median(t))} ms`);
    return { label: c.label, median: median(t), min: Math.min(...t), max: Math.max(...t) };
  });
}

// --- 3. round trips --------------------------------------------------------------------------------------------------
interface RoundTripRow { op: string; perMethod: Record<string, number>; total: number; ms: Record<number, number>; stable: boolean }

const MODEL = { pool: 2, vm: 50 };

async function benchRoundTrips(): Promise<{ rows: RoundTripRow[]; vms: number; latencies: number[] }> {
  const sim = await startVcsim({ username: USER, password: PASSWORD, model: MODEL });
  const latencies = [0, 1, 20];
  let vms = 0;
  try {
    const ops: { op: string; run: (s: Session | undefined) => Promise<unknown>; needsSession: boolean }[] = [
      { op: 'Session.connect + logout', needsSession: false, run: async () => { const s = await connect(sim); await s.logout(); } },
      { op: 'loadInventory (containers)', needsSession: true, run: (s) => loadInventory(s!) },
      { op: 'loadInventory (with VMs)', needsSession: true, run: (s) => loadInventory(s!, { includeVMs: true }) },
      {
        op: 'retrieveFromView: all VMs, name + runtime.powerState', needsSession: true,
        run: async (s) => { vms = (await retrieveFromView(s!, s!.content.rootFolder, ['VirtualMachine'], ['name', 'runtime.powerState'])).length; },
      },
    ];
    const rows: RoundTripRow[] = ops.map((o) => ({ op: o.op, perMethod: {}, total: 0, ms: {}, stable: true }));
    for (const latency of latencies) {
      await sim.setLatency(latency);
      const session = await connect(sim);
      try {
        for (const [k, o] of ops.entries()) {
          const row = rows[k]!;
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            await sim.resetStats();
            const started = performance.now();
            await o.run(o.needsSession ? session : undefined);
            times.push(performance.now() - started);
            const st = await sim.stats();
            const total = Object.values(st.soap).reduce((a, b) => a + b, 0) + Object.values(st.http).reduce((a, b) => a + b, 0);
            if (latency === latencies[0] && i === 0) {
              row.perMethod = st.soap;
              row.total = total;
            } else if (total !== row.total) {
              row.stable = false;
            }
          }
          row.ms[latency] = median(times);
          log(`round trips ${o.op} @${latency} ms: ${row.total} calls, median ${f1(row.ms[latency]!)} ms`);
        }
      } finally {
        await session.logout();
      }
    }
    return { rows, vms, latencies };
  } finally {
    await sim.stop();
  }
}

// --- report ----------------------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const m = machine();
  log(`${m.nproc} CPUs, ${m.memory}, node ${m.node}; ${RUNS} runs`);
  const t0 = performance.now();
  const load0 = os.loadavg()[0]!;
  const upload = ONLY.has('upload') ? await benchUpload() : undefined;
  const startup = ONLY.has('startup') ? await benchStartup() : undefined;
  const rt = ONLY.has('roundtrips') ? await benchRoundTrips() : undefined;
  const totalS = (performance.now() - t0) / 1000;

  const md: string[] = [];
  md.push('# Benchmarks', '');
  md.push('Written by `npm run bench` (`bench/run.mjs` compiles `bench/*.ts` with `bench/tsconfig.json` into `bench/out` and runs',
    '`bench/out/bench/main.js`). Do not edit by hand; run it again. Figures are medians. The target is the project\'s own',
    'simulator (`test/vcsim`, see [testbed.md](testbed.md)) on 127.0.0.1, so the network is loopback TLS and the server is',
    'govmomi\'s simulator writing to the local disk: the figures compare the client against itself and against a raw',
    'baseline on the same path, not against a real ESXi or vCenter.', '');
  md.push('## Machine', '');
  md.push('| | |', '|---|---|');
  md.push(`| date | ${m.date} |`, `| CPUs (nproc) | ${m.nproc} × ${m.cpu} |`, `| memory | ${m.memory} |`,
    `| Node.js | ${m.node} |`, `| OS | ${m.kernel} |`,
    `| load average (1 min) | ${load0.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (other work on the machine makes the figures noisier) |`, `| runs | ${RUNS} per figure (start-up: ${STARTUP_RUNS}); whole run ${f0(totalS)} s |`, '');

  if (upload) {
    const by = (mode: UploadMode) => upload.rows.find((r) => r.mode === mode)!;
    md.push('## 1. ISO upload', '');
    md.push(`A ${upload.size / 2 ** 20} MiB file in \`os.tmpdir()\`, deleted afterwards. It is ${upload.fileKind}.`,
      'Each run is a separate Node process (`bench/upload-worker.ts`) that logs in with `Session.connect`, uploads to',
      '`[LocalDS_0] bench/upload.iso` through `/folder` (the simulator writes it to its datastore directory on the local',
      'disk), and reports the transfer time (first byte read to the server\'s answer; login and logout are not timed) and',
      'its peak RSS (`process.resourceUsage().maxRSS`). After every run the benchmark checks that all the bytes arrived',
      'and deletes the file from the datastore (`DeleteDatastoreFile_Task`). One run of each kind before the timed runs',
      'is not counted (page cache, simulator warm-up); the order of the kinds rotates each round. The raw PUT (c) is the',
      'plain `fs.createReadStream(file).pipe(req)`, which reads 64 KiB at a time; (d) is the same with the 1 MiB reads',
      '`DatastoreFiles.upload` uses, to separate the chunk size from the rest of the client. MB = 10⁶ bytes.', '');
    md.push('| upload | MB/s | peak RSS (MB) | time (s) | CPU (s, whole process) | onProgress calls (time in them) |', '|---|---:|---:|---:|---:|---:|');
    for (const r of upload.rows) {
      md.push(r.mode === 'idle' ? `| ${r.label} | — | ${f1(r.rssMB)} | — | ${(r.cpuMs / 1000).toFixed(2)} | — |`
        : `| ${r.label} | ${f0(r.mbps)} | ${f1(r.rssMB)} | ${(r.ms / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${r.mode === 'progress' ? `${f0(r.progressCalls)} (${r.progressMs.toFixed(2)} ms)` : '—'} |`);
    }
    md.push('');
    {
      const busy = (mode: UploadMode): number => (by(mode).cpuMs - by('idle').cpuMs) / by(mode).ms;
      md.push(`CPU time beyond the log-in-only floor, as a share of the transfer time: (a) ${f0(busy('progress') * 100)}%,`,
        `(b) ${f0(busy('plain') * 100)}%, (c) ${f0(busy('raw') * 100)}%, (d) ${f0(busy('raw1m') * 100)}%. Near 100% means the uploading process is`,
        'CPU-bound (TLS encryption and one write per chunk) on one core, while the simulator uses the other core to decrypt',
        'and write; smaller reads cost more CPU per byte, which is why (c) is slower than (d). The RSS above the floor is',
        'the TLS socket\'s and the stream\'s buffers, not the file: it does not grow with the file size.', '');
    }
    md.push('All runs (MB/s / peak RSS MB):', '');
    for (const r of upload.rows) {
      md.push(`- ${r.mode}: ${r.all.map((x) => (r.mode === 'idle' ? `— / ${f0(mb(x.maxRSS))}` : `${f0(mb(x.bytes) / (x.ms / 1000))} / ${f0(mb(x.maxRSS))}`)).join(', ')}`);
    }
    md.push('');
    const maxRss = Math.max(by('progress').rssMB, by('plain').rssMB);
    md.push('| target | measured | |', '|---|---|---|');
    md.push(`| throughput ≥ 90% of the raw PUT | (a)/(c) = ${f0(upload.ratio * 100)}% of medians, ${f0(upload.paired * 100)}% median of same-round pairs; against the 1 MiB-read baseline (a)/(d) = ${f0(upload.ratio1m * 100)}%, pairs ${f0(upload.paired1m * 100)}% | ${yesNo(upload.ratio >= 0.9)}${upload.ratio1m >= 0.9 ? ' (also against (d))' : ' against (c); not against (d)'} |`);
    md.push(`| peak RSS < 150 MB | ${f1(maxRss)} MB (worst median of (a), (b)); floor without a transfer ${f1(by('idle').rssMB)} MB | ${yesNo(maxRss < 150)} |`);
    md.push(`| progress rendering costs nothing measurable | ${(upload.progressShare * 100).toFixed(3)}% of the transfer time is spent in onProgress (${f0(by('progress').progressCalls)} renders, at most one per 100 ms); throughput (a) vs (b) ${upload.progressCost >= 0 ? '+' : ''}${f1(upload.progressCost * 100)}%, inside the run-to-run spread | ${yesNo(upload.progressShare < 0.01)} (< 1%) |`);
    md.push('');
  }

  if (startup) {
    const get = (p: string) => startup.find((r) => r.label.includes(p))!;
    md.push('## 2. Start-up', '');
    md.push(`Wall time from spawn to exit, ${STARTUP_RUNS} runs each after one warm-up, interleaved; output read and discarded.`,
      '`bin/vic-machine` is run directly (its `#!/usr/bin/env node` line), from the built `dist/`.', '');
    md.push('| command | median (ms) | min | max |', '|---|---:|---:|---:|');
    for (const r of startup) md.push(`| ${r.label} | ${f1(r.median)} | ${f1(r.min)} | ${f1(r.max)} |`);
    md.push('');
    const help = get('--help').median;
    const ver = get('version').median;
    md.push('| target | measured | |', '|---|---|---|');
    md.push(`| \`--help\` under 150 ms | ${f1(help)} ms (node floor ${f1(get('node -e').median)} ms) | ${yesNo(help < 150)} |`);
    md.push(`| \`version\` under 150 ms | ${f1(ver)} ms | ${yesNo(ver < 150)} |`, '');
  }

  if (rt) {
    md.push('## 3. Round trips', '');
    md.push(`Counted by the simulator (\`vcsim.stats()\`, reset before each operation): SOAP calls per method. Model: the default`,
      `inventory with ${MODEL.pool} child pools per cluster and \`-vm ${MODEL.vm}\` (${rt.vms} VMs in all).`,
      `Times are medians of ${RUNS} runs with the test bed's added latency (\`setLatency\`) at ${rt.latencies.join(', ')} ms per request.`,
      'The operations other than connect reuse one logged-in session.', '');
    md.push(`| operation | round trips | per method | ${rt.latencies.map((l) => `ms @ ${l} ms latency`).join(' | ')} |`,
      `|---|---:|---|${rt.latencies.map(() => '---:').join('|')}|`);
    for (const r of rt.rows) {
      const per = Object.entries(r.perMethod).map(([k, v]) => `${k} ${v}`).join(', ');
      md.push(`| ${r.op} | ${r.total}${r.stable ? '' : ' (varied)'} | ${per} | ${rt.latencies.map((l) => f1(r.ms[l] ?? NaN)).join(' | ')} |`);
    }
    md.push('');
  }

  const text = `${md.join('\n')}\n`;
  process.stdout.write(text);
  if (WRITE) {
    const out = path.join(root, 'docs', 'benchmarks.md');
    fs.writeFileSync(out, text);
    log(`wrote ${path.relative(root, out)}`);
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
