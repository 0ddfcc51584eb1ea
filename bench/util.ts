// What every benchmark part shares: medians and number formats, the progress log on stderr, and running the real
// bin/vic-machine as an admin runs it (a new process each time, so start-up is part of every figure).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestbedStats } from '../test/support/vcsim.js';

export const here = path.dirname(fileURLToPath(import.meta.url)); // bench/out/bench
export const root = path.resolve(here, '..', '..', '..');
export const BIN = path.join(root, 'bin', 'vic-machine');

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const f1 = (x: number): string => x.toFixed(1);
export const f0 = (x: number): string => x.toFixed(0);
export const log = (line: string): void => { process.stderr.write(`bench: ${line}\n`); };
export const yesNo = (ok: boolean): string => (ok ? '**met**' : '**missed**');

export interface CliRun { code: number; stdout: string; stderr: string; ms: number }

/** Runs bin/vic-machine (its `#!/usr/bin/env node` line) and times it from spawn to exit. */
export function vicMachine(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(BIN, [...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}

/** What one operation cost the simulator: SOAP calls per method, datastore transfers, everything else. */
export interface Requests {
  soap: Record<string, number>;
  http: Record<string, number>;
  other: Record<string, number>;
  soapTotal: number;
  httpTotal: number;
  otherTotal: number;
  total: number;
}

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** The test bed's counters, minus calls another client of the same simulator made meanwhile (per SOAP method). */
export function requestsOf(st: TestbedStats, minusSoap: ReadonlyMap<string, number> = new Map()): Requests {
  const soap: Record<string, number> = {};
  for (const [k, v] of Object.entries(st.soap)) {
    const n = v - (minusSoap.get(k) ?? 0);
    if (n > 0) soap[k] = n;
  }
  const r = { soap, http: { ...st.http }, other: { ...st.other } };
  return { ...r, soapTotal: sum(r.soap), httpTotal: sum(r.http), otherTotal: sum(r.other), total: sum(r.soap) + sum(r.http) + sum(r.other) };
}

/** `Login 1, RetrievePropertiesEx 2, …` sorted by method name; HTTP transfers as `HTTP PUT 2`. */
export function perMethod(r: Requests): string {
  return [
    ...Object.entries(r.soap).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`),
    ...Object.entries(r.http).map(([k, v]) => `HTTP ${k} ${v}`),
    ...Object.entries(r.other).map(([k, v]) => `${k} ${v}`),
  ].join(', ');
}

/** Counts per method since `before` (a copy of SoapClient.roundTrips taken earlier). */
export function callsSince(now: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of now) if (v - (before.get(k) ?? 0) > 0) out.set(k, v - (before.get(k) ?? 0));
  return out;
}

/** `a` or `a–b` for the smallest and largest of several counts. */
export function range(xs: readonly number[]): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}
