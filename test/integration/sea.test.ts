// The single executable (npm run build:sea → dist/sea/vic-machine), built here and run from a folder of its own, away
// from the checkout's node_modules, templates/ and package.json, so that everything it uses must be inside it: the
// version, help and completion; then against the simulator a whole create with --tls-cname (node-forge's
// certificates, the ISOs found next to the executable as vic-machine 1.5 finds them next to its binary, the summary
// template), ls, inspect and delete.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { playAppliance } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = path.join(root, 'dist', 'sea', 'vic-machine');
const pkgVersion = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

// scripts/build-sea.mjs handles Linux and macOS; this machine and CI are Linux, where it must build.
const unsupported = process.platform === 'win32' ? 'build-sea.mjs does not build Windows executables' : undefined;
if (unsupported) console.warn(`sea.test.ts skipped: ${unsupported}`);
const suite = unsupported ? describe.skip : describe;

let dir: string; // the executable's folder (with the ISOs beside it)
let cwd: string; // where it runs
let exe: string;
let buildSeconds = 0;
let sim: Vcsim | undefined;
let admin: Session | undefined;

beforeAll(async () => {
  if (unsupported) return;
  const t0 = Date.now();
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-sea.mjs')], { cwd: root, encoding: 'utf8' });
  buildSeconds = (Date.now() - t0) / 1000;
  if (b.status !== 0) throw new Error(`npm run build:sea failed:\n${b.stderr}`);
  console.log(`${b.stderr.trim()} (measured by the test: ${buildSeconds.toFixed(1)} s)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-sea-'));
  cwd = path.join(dir, 'work');
  fs.mkdirSync(cwd);
  exe = path.join(dir, 'vic-machine');
  fs.copyFileSync(built, exe);
  fs.chmodSync(exe, 0o755);
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(dir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
}, 120_000);

afterAll(async () => {
  await admin?.logout();
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number; stdout: string; stderr: string }

/** Runs the executable with no Node-related environment, so that nothing outside it can help. */
function sea(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', ...extraEnv };
    const p = spawn(exe, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

suite('the single executable', () => {
  test('is one native executable, built in under a minute', () => {
    const head = Buffer.alloc(4);
    const fd = fs.openSync(exe, 'r');
    fs.readSync(fd, head, 0, 4, 0);
    fs.closeSync(fd);
    if (process.platform === 'linux') expect(head.toString('latin1')).toBe('\x7fELF');
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
    expect(buildSeconds).toBeLessThan(60);
    console.log(`dist/sea/vic-machine: ${(fs.statSync(exe).size / 1048576).toFixed(1)} MB`);
  });

  test('version, with the package version built in, and without the experimental warning', async () => {
    const r = await sea(['version']);
    expect(r).toEqual({ code: 0, stdout: `vic-machine version ${pkgVersion}\n`, stderr: '' });
    const j = await sea(['--json', 'version']);
    expect(JSON.parse(j.stdout)).toEqual({ name: 'vic-machine', version: pkgVersion });
  });

  test('help, help <command> -x and completion work from the bundle', async () => {
    const h = await sea(['help', 'create', '-x']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--certificate-key-size');
    const c = await sea(['completion', 'bash']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('complete -F _vic_machine vic-machine');
    const bad = await sea(['creat']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("vic-machine: unknown command 'creat' (did you mean 'create'?)\n");
  });

  test('is vic-machine-server too: by that name (a symlink) and as `vic-machine server`', async () => {
    const h = await sea(['server', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage:\n {2}vic-machine-server \[OPTIONS\]/);
    const link = path.join(dir, 'vic-machine-server');
    fs.symlinkSync('vic-machine', link);
    const p = spawn(link, ['--scheme', 'http', '--host', '127.0.0.1', '--port', '0'], { cwd, env: { PATH: '/usr/bin:/bin', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 30_000);
        const seen = (c: Buffer): void => {
          stderr += c.toString();
          const m = /Serving vic-machine-server at (http:\/\/127\.0\.0\.1:\d+\/container)/.exec(stderr);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        };
        p.stderr.on('data', seen);
        p.stdout.on('data', seen);
        p.on('exit', () => { clearTimeout(timer); reject(new Error(`the server exited:\n${stderr}`)); });
      });
      const hello = await fetch(`${base}/hello`);
      expect(hello.status).toBe(200);
      // the version is that of the appliance ISO beside the executable (the symlink's target)
      expect(await (await fetch(`${base}/version`)).text()).toBe('v1.5.8-1-9489f63');
      // 1.5's spec and the console are built in
      const spec = await (await fetch(`${base}/swagger.json`)).json() as { info: Record<string, string> };
      expect(spec.info['x-vic-machine-server-version']).toBe(pkgVersion);
      const page = await fetch(base.replace(/\/container$/, '/'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      p.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  describe('against the simulator', () => {
    const ip = '127.93.0.10';
    const target = () => ['--target', `${sim!.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim!.thumbprintSHA1];

    beforeAll(async () => {
      sim = await startVcsim({ firewallOpen: true });
      admin = await Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });
    });

    test('ls on an empty inventory', async () => {
      const r = await sea(['ls', ...target(), '--json']);
      if (r.code !== 0) console.log(r.stderr);
      expect(r.code).toBe(0);
      // the installer's version is that of the appliance ISO beside the executable
      expect(JSON.parse(r.stdout)).toMatchObject({ installerVersion: 'v1.5.8-1-9489f63', vchs: [] });
    });

    test('create --tls-cname (certificates by node-forge, ISOs next to the executable), then ls, inspect, delete', async () => {
      const stop = new AbortController();
      const appliance = playAppliance(admin!, 'vch-sea', ip, { requireClientCert: true, timeoutMs: 110_000, signal: stop.signal });
      appliance.catch(() => undefined);
      const r = await sea(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-sea', '--image-store', 'LocalDS_0',
        '--bridge-network', 'DC0_DVPG1', '--tls-cname', ip, '--timeout', '60s']);
      if (r.code !== 0) {
        stop.abort('create failed');
        throw new Error(`create exited ${r.code}:\n${r.stderr}`);
      }
      const standIn = await appliance;
      try {
        expect(r.stdout).toMatch(/^VCH ID: vm-\d+$/m); // the summary template, built in
        expect(r.stdout).toContain(`DOCKER_HOST=${ip}:2376`);
        expect(r.stderr).not.toMatch(/\bpass\b/);
        for (const f of ['ca.pem', 'cert.pem', 'key.pem', 'server-cert.pem', 'server-key.pem']) {
          expect(fs.existsSync(path.join(cwd, 'vch-sea', f))).toBe(true);
        }
        expect(fs.statSync(path.join(cwd, 'vch-sea', 'key.pem')).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(path.join(cwd, 'vch-sea', 'cert.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);

        const ls = await sea(['ls', ...target(), '--json']);
        expect(ls.code).toBe(0);
        expect((JSON.parse(ls.stdout) as { vchs: { name: string }[] }).vchs.map((v) => v.name)).toEqual(['vch-sea']);
        const text = await sea(['ls', ...target()]);
        expect(text.stdout).toContain('vch-sea');
        expect(text.stdout).not.toMatch(/\u001b\[/);

        const inspect = await sea(['inspect', ...target(), '--name', 'vch-sea', '--compute-resource', 'DC0_C0']);
        if (inspect.code !== 0) console.log(inspect.stderr);
        expect(inspect.code).toBe(0);
        expect(inspect.stdout).toContain(ip);
      } finally {
        await standIn.stop();
      }
      const del = await sea(['delete', ...target(), '--name', 'vch-sea', '--compute-resource', 'DC0_C0', '--force']);
      if (del.code !== 0) console.log(del.stderr);
      expect(del.code).toBe(0);
      const after = await sea(['ls', ...target(), '--json']);
      expect(JSON.parse(after.stdout)).toMatchObject({ vchs: [] });
    });
  });
});
