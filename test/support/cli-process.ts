// Runs the built bin/vic-machine as a separate process, as an administrator would, and collects what it printed.
// Used by the suites that need real process behaviour (exit codes, signals, sessions left by a process that ended).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIC_MACHINE_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'vic-machine');

export interface ProcessRun { code: number; stdout: string; stderr: string; ms: number }

export function runVicMachine(cwd: string, args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [VIC_MACHINE_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Every file and directory under the given datastore directories (read from the local disk: no SOAP call). */
export function datastoreEntries(datastores: Record<string, string>): string[] {
  const out: string[] = [];
  const walk = (ds: string, dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(`[${ds}] ${r}${e.isDirectory() ? '/' : ''}`);
      if (e.isDirectory()) walk(ds, path.join(dir, e.name), r);
    }
  };
  for (const [ds, dir] of Object.entries(datastores)) walk(ds, dir, '');
  return out.sort();
}

/** A stack trace line on stderr: never acceptable output for an administrator. */
export const STACK_TRACE = /^\s+at .*:\d+:\d+\)?$/m;

/**
 * The arguments of a create on the simulator's default model that would succeed but for what `change` changes
 * (`null` leaves a flag out, "" gives it without a value): the base of the bad-input rows.
 */
export function createArgs(o: { target: string[]; isoDir: string; name: string }, change: Record<string, string | null> = {}): string[] {
  const flags: Record<string, string | null> = {
    '--compute-resource': 'DC0_C0', '--appliance-iso': path.join(o.isoDir, 'appliance.iso'), '--bootstrap-iso': path.join(o.isoDir, 'bootstrap.iso'),
    '--name': o.name, '--image-store': 'LocalDS_0', '--bridge-network': 'DC0_DVPG0', '--public-network': 'VM Network',
    '--no-tlsverify': '', '--timeout': '20s', ...change,
  };
  const out = ['create', ...o.target];
  for (const [k, v] of Object.entries(flags)) {
    if (v === null) continue;
    out.push(k);
    if (v !== '') out.push(v);
  }
  return out;
}
