// vic-machine-server as a real process for the tests and benchmarks: bin/vic-machine-server (the built dist/) on
// 127.0.0.1 with free ports, http and https, a state directory of its own (its self-signed certificate) and a log
// directory whose request log the coverage test reads.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'vic-machine-server');

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  http: string;
  /** https://127.0.0.1:<port> */
  https: string;
  /** the self-signed certificate the server made (PEM): what clients trust */
  ca: string;
  dir: string;
  logFile: string;
  stderr: () => string;
  /** SIGTERM, then the exit code */
  stop: () => Promise<number | null>;
}

/** `schemes`: the listeners (default both; with http alone there is no certificate and `https`, `ca` are empty). */
export async function startServer(o: { cwd: string; args?: string[]; env?: Record<string, string>; dir?: string; schemes?: ('http' | 'https')[] } ): Promise<ServerProcess> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-server-'));
  const schemes = (o.schemes ?? ['https', 'http']).flatMap((s) => ['--scheme', s]);
  const child = spawn(process.execPath, [SERVER_BIN, ...schemes, '--host', '127.0.0.1', '--tls-host', '127.0.0.1',
    '--state-directory', path.join(dir, 'state'), '--log-directory', path.join(dir, 'logs'), '--iso-directory', o.cwd, ...(o.args ?? [])], {
    cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!/Serving .* at http:\/\//.test(err)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`vic-machine-server did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = (scheme: string) => new RegExp(`Serving vic-machine-server at (${scheme}://[^/\\s]+)`).exec(err)?.[1] ?? '';
  return {
    child, http: url('http'), https: url('https'), dir,
    ca: fs.existsSync(path.join(dir, 'state', 'server-cert.pem')) ? fs.readFileSync(path.join(dir, 'state', 'server-cert.pem'), 'utf8') : '',
    logFile: path.join(dir, 'logs', 'vic-machine-server.log'), stderr: () => err,
    // the folder holds the server's private key: removed once the server is gone (when this helper made it)
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (!o.dir) fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
}

/** One request (no client library: what is sent is exactly what is written here). */
export function request(base: string, method: string, p: string, o: { auth?: string; headers?: Record<string, string>; body?: unknown; ca?: string; agent?: http.Agent } = {}): Promise<Answer> {
  const u = new URL(p, base);
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = { ...(o.auth ? { Authorization: `Basic ${Buffer.from(o.auth).toString('base64')}` } : {}),
    ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...o.headers };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method, headers, ...(o.ca ? { ca: o.ca } : {}), ...(o.agent ? { agent: o.agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** (method, route template) of every request the server logged, with its status. */
export function loggedRequests(logFile: string): { method: string; route: string; status: number }[] {
  return fs.readFileSync(logFile, 'utf8').split('\n').map((l) => / request (\S+) (\S+) (\d+) /.exec(l))
    .filter((m): m is RegExpExecArray => !!m).map((m) => ({ method: m[1]!, route: m[2]!, status: Number(m[3]) }));
}
