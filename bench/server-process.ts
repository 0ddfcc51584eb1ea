// Our vic-machine-server as a process of its own for the server benchmarks (server-list.ts, server-create-delete.ts):
// started from bin/ (the built dist/) on plain HTTP on loopback, waited for until /container/hello answers, and its
// peak memory read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { root } from './util.js';

/** peak and current resident memory of a process in MB (VmHWM, VmRSS), or undefined */
export function memoryMB(pid: number | undefined): { peak: number; now: number } | undefined {
  if (!pid) return undefined;
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
  } catch { return undefined; }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

export interface Started { child: ChildProcess; base: string; stderr: () => string; stop: () => Promise<void> }

/** Ours: bin/vic-machine-server (the built dist/) with the flags test/server/support/server-process.ts gives it, plain
 *  HTTP only; that helper is not used because it finds bin/ relative to its own file, which is bench/out/ here. */
export async function startOurs(dir: string): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'vic-machine-server'), '--scheme', 'http', '--host', '127.0.0.1', '--port', String(port),
    '--state-directory', path.join(dir, 'state'), '--log-directory', path.join(dir, 'logs'), '--iso-directory', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, `http://127.0.0.1:${port}`, 'ours');
}


/** Waits until a started server answers /container/hello (both have it, without credentials). */
export async function started(child: ChildProcess, base: string, name: string): Promise<Started> {
  let err = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); if (err.length > 200_000) err = err.slice(-100_000); });
  child.stdout!.on('data', (c: Buffer) => { err += c.toString(); });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vic-machine-server (${name}) exited (${child.exitCode}): ${err.slice(-2000)}`);
    const ok = await new Promise<boolean>((r) => http.get(`${base}/container/hello`, (res) => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false)));
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`vic-machine-server (${name}) did not answer /container/hello in 30 s: ${err.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, stderr: () => err, stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); await exited; } };
}
