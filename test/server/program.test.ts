// The vic-machine-server program itself, no vSphere needed: its flags (1.5's go-swagger flags), --help, bad flags,
// the self-signed certificate made on the first start and kept (folder 0700, key 0600) with the same fingerprint
// printed at the next start, plain HTTP only when asked for, CORS only for a configured origin, SIGTERM → exit 0.
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServerArgs } from '../../src/server/options.js';
import { request, SERVER_BIN, startServer } from './support/server-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-server-program-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vic-machine-server, the program', () => {
  test('flags: 1.5\'s names, --flag value and --flag=value, --scheme repeatable, go-swagger\'s environment, durations', () => {
    const o = parseServerArgs(['--scheme', 'http', '--scheme=https', '--host', '127.0.0.2', '--port=8080', '--tls-port', '8443',
      '--graceful-timeout', '1m30s', '--log-directory', 'logs'], { TLS_HOST: '127.0.0.3' }, '/srv', '/pkg');
    expect(o).toMatchObject({ schemes: ['http', 'https'], host: '127.0.0.2', port: 8080, tlsHost: '127.0.0.3', tlsPort: 8443,
      gracefulTimeoutMs: 90_000, logDirectory: '/srv/logs', isoDirectories: ['/srv', '/pkg'], corsOrigins: [] });
    expect(parseServerArgs([], {}, '/srv', '/pkg')).toMatchObject({ schemes: ['https'], host: 'localhost', port: 0, gracefulTimeoutMs: 15_000 });
    // started in the package's own folder: the ISOs are looked for there once, not twice
    expect(parseServerArgs([], {}, '/pkg', '/pkg').isoDirectories).toEqual(['/pkg']);
    expect(parseServerArgs(['--iso-directory', 'a', '--iso-directory', './a/'], {}, '/srv', '/pkg').isoDirectories).toEqual(['/srv/a']);
    expect(() => parseServerArgs(['--scheme', 'ftp'], {}, '/', '/')).toThrow(/--scheme: expected http or https/);
    expect(() => parseServerArgs(['--port', '99999'], {}, '/', '/')).toThrow(/--port/);
    expect(() => parseServerArgs(['--tls-certificate', 'c.pem'], {}, '/', '/')).toThrow(/--tls-certificate needs --tls-key/);
    expect(() => parseServerArgs(['--graceful-timeout', 'soon'], {}, '/', '/')).toThrow(/--graceful-timeout/);
  });

  test('--help prints the flags; an unknown flag exits 2 naming it', () => {
    const help = spawnSync(process.execPath, [SERVER_BIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const f of ['--scheme', '--host', '--port', '--tls-host', '--tls-port', '--tls-certificate', '--tls-key', '--tls-ca', '--graceful-timeout', '--log-directory']) {
      expect(help.stdout).toContain(f);
    }
    const bad = spawnSync(process.execPath, [SERVER_BIN, '--listen', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown flag --listen');
  });

  test('the self-signed certificate: made once (folder 0700, key 0600), kept, the same SHA-256 printed at the next start', async () => {
    const state = path.join(dir, 'kept');
    const a = await startServer({ cwd: dir, dir: state });
    const first = /SHA-256 fingerprint: (\S+)/.exec(a.stderr())![1]!;
    expect(a.stderr()).toContain('new self-signed certificate');
    expect(await a.stop()).toBe(0);
    expect(fs.statSync(path.join(state, 'state')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(state, 'state', 'server-key.pem')).mode & 0o777).toBe(0o600);
    const b = await startServer({ cwd: dir, dir: state });
    expect(b.stderr()).toContain('kept self-signed certificate');
    expect(/SHA-256 fingerprint: (\S+)/.exec(b.stderr())![1]).toBe(first);
    const hello = await request(b.https, 'GET', '/container/hello', { ca: b.ca });
    expect(hello.text).toBe('success');
    expect(await b.stop()).toBe(0);
  });

  test('with no appliance ISO found, /container/version is the server\'s own version, as `vic-machine version` prints it', async () => {
    const state = path.join(dir, 'no-isos');
    const isos = fs.mkdtempSync(path.join(dir, 'empty-'));
    const srv = await startServer({ cwd: isos, dir: state });
    try {
      const version = await request(srv.https, 'GET', '/container/version', { ca: srv.ca });
      const cli = spawnSync(process.execPath, [path.join(path.dirname(SERVER_BIN), 'vic-machine'), 'version', '--json'], { encoding: 'utf8' });
      expect([version.status, version.text]).toEqual([200, (JSON.parse(cli.stdout) as { version: string }).version]);
      expect(version.headers['x-vic-machine-server-version']).toBe(version.text);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });

  test('plain HTTP only with --scheme http; CORS for the configured origin only', async () => {
    const state = path.join(dir, 'http');
    fs.mkdirSync(state);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [SERVER_BIN, '--scheme', 'http', '--host', '127.0.0.1', '--state-directory', path.join(state, 'state'),
      '--cors-origin', 'https://ui.example.com'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    while (!/Serving .* at http:/.test(err)) await new Promise((r) => setTimeout(r, 50));
    expect(err).not.toContain('https://');
    expect(err).toContain('plain HTTP');
    expect(fs.existsSync(path.join(state, 'state', 'server-key.pem'))).toBe(false);
    const base = /at (http:\/\/[^/\s]+)/.exec(err)![1]!;
    const allowed = await request(base, 'GET', '/container/hello', { headers: { Origin: 'https://ui.example.com' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ui.example.com');
    const pre = await request(base, 'OPTIONS', '/container/target/x/vch', { headers: { Origin: 'https://ui.example.com', 'Access-Control-Request-Method': 'GET' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('X-VMWARE-TICKET');
    const other = await request(base, 'GET', '/container/hello', { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
