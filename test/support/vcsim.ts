// Starts and stops the project's simulator (test/vcsim, see docs/testbed.md) for tests and benchmarks.
// Loopback only, free ports only. The harness talks to the /_testbed endpoints without certificate checks: that is
// test plumbing; the product verifies the target's certificate (thumbprintSHA1 below is what it should pin).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { BUILT_BINARY_ENV, TMP_PREFIX, buildVcsim as build } from '../vcsim/build.mjs';

export { BUILT_BINARY_ENV, TMP_PREFIX };

export type VcsimFix = 'poweron' | 'extraconfig' | 'vmx' | 'snapshots';
export const ALL_FIXES: readonly VcsimFix[] = ['poweron', 'extraconfig', 'vmx', 'snapshots'];

/** Inventory shape (vCenter model; ESX mode uses only ds and vm). Defaults: the fixtures' model. */
export interface VcsimModel {
  /** datacenters (1) */ dc?: number;
  /** clusters per datacenter (1) */ cluster?: number;
  /** hosts per cluster (3) */ host?: number;
  /** standalone hosts per datacenter (1) */ standaloneHost?: number;
  /** datastores (1) */ ds?: number;
  /** VMs per resource pool / standalone host (2) */ vm?: number;
  /** child resource pools per cluster (0) */ pool?: number;
  /** vApps per cluster (0) */ app?: number;
  /** distributed port groups per datacenter on DVS0 (2) */ pg?: number;
  /** datacenters placed in folders (0) */ folder?: number;
  /** storage pods per datacenter (0) */ pod?: number;
}

export interface VcsimOptions {
  /** standalone ESXi (ha-datacenter) instead of vCenter */
  esx?: boolean;
  /** the only credentials accepted (both or neither); by default any non-empty user name and password log in */
  username?: string;
  password?: string;
  /** vSphere behaviour where the simulator differs: true (default) = all, false = none, or a list */
  fixes?: boolean | readonly VcsimFix[];
  /** start with outbound 2377/tcp allowed (vSPC ruleset enabled) on every host */
  firewallOpen?: boolean;
  /** every host reports this vCenter address as summary.managementServerIp (an ESXi host joined to a vCenter) */
  managedBy?: string;
  model?: VcsimModel;
  /** delay added to every request */
  latencyMs?: number;
  /** per-method delays, e.g. { PowerOnVM_Task: 3000 } */
  methodDelayMs?: Record<string, number>;
  /** simulator log and SOAP trace on this process's stderr (also: env VCSIM_DEBUG=1) */
  debug?: boolean;
  /** how long to wait for the simulator to be ready (default 30 s) */
  startTimeoutMs?: number;
}

export interface TestbedStats {
  /** SOAP requests per method name */
  soap: Record<string, number>;
  /** datastore transfers (/folder) per HTTP method */
  http: Record<string, number>;
  /** bytes moved by datastore transfers (request + response bodies) per HTTP method */
  httpBytes: Record<string, number>;
  /** any other request, keyed "METHOD /path" */
  other: Record<string, number>;
  /** faults injected so far */
  faults: number;
  /** every request counted above */
  total: number;
}

export type FaultKind = 'soapfault' | 'taskfault' | 'taskhang' | 'http500' | 'drop' | 'drop-after' | 'slow';

export interface FaultRule {
  /** SOAP method ("ReconfigVM_Task"), "*" (any SOAP call), "http:PUT" (datastore transfer), "http:*" */
  method: string;
  /** soapfault: SOAP fault with `fault` in detail; taskfault: the call returns a task that fails with `fault`;
   *  http500: plain HTTP 500; drop: close the connection without an answer (request not executed);
   *  drop-after: execute, then close without an answer; slow: wait delayMs, then answer normally;
   *  taskhang: a *_Task call answers at once with a task that stays running for delayMs (default 10 min) and then
   *  fails with `fault`, the method never executed */
  kind: FaultKind;
  /** the Nth matching request from now is the first affected (default 1) */
  nth?: number;
  /** how many consecutive matching requests are affected (default 1) */
  times?: number;
  /** vim fault type, e.g. "InvalidState" (default SystemError) */
  fault?: string;
  /** faultstring / task error message */
  message?: string;
  /** for slow (default 1000) and taskhang (default 600000) */
  delayMs?: number;
}

export interface FaultRuleState extends FaultRule {
  nth: number;
  times: number;
  /** matching requests seen so far */
  seen: number;
  /** faults injected so far */
  fired: number;
}

export interface Vcsim {
  /** https://127.0.0.1:PORT/sdk */
  url: string;
  /** 127.0.0.1:PORT */
  host: string;
  /** colon-separated upper-case hex of the server certificate's SHA-1 / SHA-256 */
  thumbprintSHA1: string;
  thumbprintSHA256: string;
  pid: number;
  esx: boolean;
  fixes: VcsimFix[];
  /** credentials that log in: the fixed ones, or user/pass */
  username: string;
  password: string;
  /** datastore name → local directory behind it */
  datastores: Record<string, string>;
  stats(): Promise<TestbedStats>;
  resetStats(): Promise<void>;
  openSessions(): Promise<number>;
  setLatency(ms: number): Promise<void>;
  injectFaults(rules: FaultRule | readonly FaultRule[]): Promise<void>;
  faults(): Promise<FaultRuleState[]>;
  clearFaults(): Promise<void>;
  /** stops the simulator and removes its datastores; idempotent */
  stop(): Promise<void>;
}

let builtBinary: string | undefined;

/**
 * Builds the simulator when it is missing or its sources changed (test/vcsim/build.mjs) and returns the binary's
 * path; idempotent and cheap once built. Throws with a clear message when Go or govmomi is missing.
 */
export function buildVcsim(): string {
  if (builtBinary && fs.existsSync(builtBinary)) return builtBinary;
  const fromSetup = process.env[BUILT_BINARY_ENV];
  builtBinary = fromSetup && fs.existsSync(fromSetup) ? fromSetup : build();
  return builtBinary;
}

interface Running { child: ChildProcess; tmp: string }

// One registry and one exit hook per process, however many test files load this module. The hook is the last resort
// when a test forgets stop(); a simulator also exits by itself when its stdin closes (-stdin-watch), e.g. when the
// jest worker is killed.
const registryKey = Symbol.for('vic-machine.testbed.vcsim.running');
const processSlots = process as unknown as Record<symbol, Set<Running> | undefined>;
const running: Set<Running> = processSlots[registryKey] ??= (() => {
  const set = new Set<Running>();
  process.once('exit', () => {
    for (const r of set) {
      try { r.child.kill('SIGKILL'); } catch { /* gone */ }
      try { fs.rmSync(r.tmp, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  });
  return set;
})();

function modelArgs(m: VcsimModel): string[] {
  const flags: [keyof VcsimModel, string][] = [['dc', 'dc'], ['cluster', 'cluster'], ['host', 'host'],
    ['standaloneHost', 'standalone-host'], ['ds', 'ds'], ['vm', 'vm'], ['pool', 'pool'], ['app', 'app'], ['pg', 'pg'],
    ['folder', 'folder'], ['pod', 'pod']];
  const args: string[] = [];
  for (const [key, flag] of flags) {
    const v = m[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0) throw new Error(`model.${key} must be a non-negative integer`);
    args.push(`-${flag}=${v}`);
  }
  return args;
}

function fixArgs(fixes: VcsimOptions['fixes']): string[] {
  if (fixes === undefined || fixes === true) return ['-vsphere-fixes'];
  if (fixes === false) return [];
  return fixes.map((f) => {
    if (!ALL_FIXES.includes(f)) throw new Error(`unknown fix ${f}`);
    return `-fix-${f}`;
  });
}

/** A request to the simulator's /_testbed endpoints (self-signed certificate: not verified, test plumbing only). */
function testbedRequest(base: URL, method: string, p: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(p, base), {
      method,
      rejectUnauthorized: false,
      agent: false,
      headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
      timeout: 15000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = text; }
        if ((res.statusCode ?? 500) >= 400) {
          const msg = (json as { error?: string } | undefined)?.error ?? text;
          reject(new Error(`testbed ${method} ${p}: HTTP ${res.statusCode}: ${msg}`));
        } else {
          resolve(json);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`testbed ${method} ${p}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

interface ReadyLine {
  url: string; host: string; thumbprintSHA1: string; thumbprintSHA256: string; pid: number; esx: boolean;
  fixes: VcsimFix[]; datastores: Record<string, string>;
}

/** Starts a simulator on 127.0.0.1 at a free port and resolves when it answers. */
export async function startVcsim(opts: VcsimOptions = {}): Promise<Vcsim> {
  if ((opts.username === undefined) !== (opts.password === undefined) || opts.username === '' || opts.password === '') {
    throw new Error('startVcsim: username and password go together and must not be empty');
  }
  const bin = buildVcsim();
  const debug = opts.debug ?? !!process.env.VCSIM_DEBUG;
  const args = ['-l', '127.0.0.1:0', '-stdin-watch', ...fixArgs(opts.fixes), ...modelArgs(opts.model ?? {})];
  if (!debug) args.push('-quiet');
  else args.push('-trace');
  if (opts.esx) args.push('-esx');
  if (opts.username !== undefined) args.push('-username', opts.username, '-password', opts.password!);
  if (opts.firewallOpen) args.push('-firewall-open');
  if (opts.managedBy) args.push('-managed-by', opts.managedBy);
  if (opts.latencyMs) args.push('-latency-ms', String(opts.latencyMs));
  if (opts.methodDelayMs) {
    args.push('-method-delay', Object.entries(opts.methodDelayMs).map(([m, ms]) => `${m}:${ms}`).join(','));
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${TMP_PREFIX}${process.pid}-`));
  const child = spawn(bin, args, {
    stdio: ['pipe', 'pipe', debug ? 'inherit' : 'pipe'],
    env: { ...process.env, TMPDIR: tmp },
  });
  const entry: Running = { child, tmp };
  running.add(entry);

  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = (): void => {
    running.delete(entry);
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  let ready: ReadyLine;
  try {
    ready = await new Promise<ReadyLine>((resolve, reject) => {
      const timeoutMs = opts.startTimeoutMs ?? 30000;
      const timer = setTimeout(() => reject(new Error(`vcsim was not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      const rl = readline.createInterface({ input: child.stdout! });
      rl.once('line', (line) => {
        clearTimeout(timer);
        rl.close();
        try { resolve(JSON.parse(line) as ReadyLine); } catch { reject(new Error(`vcsim: unexpected first line ${JSON.stringify(line)}`)); }
      });
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`vcsim exited (${code ?? signal}) before it was ready: ${stderr.trim()}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw e;
  }
  const url = new URL(ready.url);
  if (!/^127\./.test(url.hostname)) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw new Error(`vcsim listens on ${url.host}, not on loopback`);
  }
  // Do not keep jest alive because of the simulator: stop() or the exit hook end it.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdout?.resume();

  const base = new URL(url.origin);
  let stopping: Promise<void> | undefined;
  return {
    url: ready.url,
    host: url.host,
    thumbprintSHA1: ready.thumbprintSHA1,
    thumbprintSHA256: ready.thumbprintSHA256,
    pid: ready.pid,
    esx: ready.esx,
    fixes: ready.fixes,
    username: opts.username ?? 'user',
    password: opts.password ?? 'pass',
    datastores: ready.datastores,
    stats: async () => (await testbedRequest(base, 'GET', '/_testbed/stats')) as TestbedStats,
    resetStats: async () => { await testbedRequest(base, 'POST', '/_testbed/stats/reset'); },
    openSessions: async () => ((await testbedRequest(base, 'GET', '/_testbed/sessions')) as { open: number }).open,
    setLatency: async (ms: number) => { await testbedRequest(base, 'POST', `/_testbed/latency?ms=${Math.max(0, Math.round(ms))}`); },
    injectFaults: async (rules) => { await testbedRequest(base, 'POST', '/_testbed/faults', Array.isArray(rules) ? rules : [rules]); },
    faults: async () => (await testbedRequest(base, 'GET', '/_testbed/faults')) as FaultRuleState[] ?? [],
    clearFaults: async () => { await testbedRequest(base, 'DELETE', '/_testbed/faults'); },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        cleanup();
      })();
      return stopping;
    },
  };
}
