// `vic-machine create` end to end against the simulator. The appliance cannot boot there, so the test plays it
// (test/support/appliance-player.ts) on its own 127.0.0.x; the real docker client must then work with exactly what
// create printed and wrote.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { playAppliance as playApplianceOf } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView, retrieveOne } from '../../src/vim/property-collector.js';
import type { MoRef } from '../../src/vim/types.js';
import { compareExtraConfig } from '../../src/vic/config/index.js';
import { loadInventory } from '../../src/vim/inventory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');
const haveDocker = (() => { try { execFileSync('docker', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-create-', isos: true }, (s) => ({ sim, admin, cwd } = s));

// Each run traces its round trips (VIC_MACHINE_TRACE=1: method, outcome, time, on stderr) and is interrupted after
// 100 s, before jest's own timeout, so that a run that stalls shows where it stalled instead of only timing out.
function vicMachine(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', VIC_MACHINE_TRACE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const stall = setTimeout(() => {
      console.log(`vic-machine ${args[0]} still running after 100 s; its output so far:\n${stderr}`);
      p.kill('SIGINT');
    }, 100_000);
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('exit', (code) => { clearTimeout(stall); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

/** Every file under the simulator's datastore directories, with its size. */
function datastoreFiles(v: Vcsim): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else out.push(`${rel}${e.name} ${fs.statSync(p).size}`);
    }
  };
  for (const [name, dir] of Object.entries(v.datastores)) walk(dir, `[${name}] `);
  return out.sort();
}

// The fixtures' target flags (their user and password), so that what create records can be compared with them.
const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

// The player stops as soon as the create it plays has ended without success (instead of waiting out its timeout).
const played = new Map<string, AbortController>();
function playing(name: string, start: (signal: AbortSignal) => ReturnType<typeof playApplianceOf>) {
  const stop = new AbortController();
  played.set(name, stop);
  return start(stop.signal);
}
async function standInFor(appliance: ReturnType<typeof playApplianceOf>, name: string, r: { code: number; stderr: string }) {
  if (r.code !== 0) {
    played.get(name)?.abort(`create exited ${r.code}`);
    await appliance.catch(() => undefined);
    throw new Error(`create exited ${r.code}:\n${r.stderr}`);
  }
  return appliance;
}
const playAppliance = (name: string, ip: string, opts: { requireClientCert: boolean }) =>
  playing(name, (signal) => playApplianceOf(admin, name, ip, { timeoutMs: 110_000, signal, ...opts }));

describe('create', () => {
  test('basic flag set (--no-tlsverify): the real docker client works with the printed DOCKER_HOST and the written files', async () => {
    const ip = '127.0.0.41';
    const appliance = playAppliance('vch1', ip, { requireClientCert: false });
    // The flags of fixture basic (command.txt plus the fixture README's target flags).
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--appliance-iso', 'appliance.iso',
      '--bootstrap-iso', 'bootstrap.iso', '--name', 'vch1', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0',
      '--public-network', 'VM Network', '--no-tlsverify', '--timeout', '20s']);
    const standIn = await standInFor(appliance, 'vch1', r);
    try {
      if (r.code !== 0) console.log(r.stderr);
      expect(r.stderr).not.toContain('pass ');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^VCH ID: vm-\d+$/m);
      expect(r.stdout).toContain(`DOCKER_HOST=${ip}:2376`);
      expect(r.stdout).toContain('Installer completed successfully');
      // vCenter's advanced option for the appliance's serial port, set as vic-machine 1.5 sets it
      const { setting } = await retrieveOne<{ setting: { key: string; value: unknown }[] }>(admin, admin.content['setting'] as MoRef, ['setting']);
      expect(setting.find((o) => o.key === 'config.vpxd.SerialPort.PersistNetworkBacking')?.value).toBe('true');
      // The run's log, redacted, next to the appliance as 1.5 puts it, and appended to ./vic-machine.log (0600).
      const vchDir = path.join(sim.datastores['LocalDS_0']!, 'vch1');
      const uploaded = fs.readdirSync(vchDir).filter((f) => /^vic-machine_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ_create_\d+\.1\.log$/.test(f));
      expect(uploaded).toHaveLength(1);
      const remoteLog = fs.readFileSync(path.join(vchDir, uploaded[0]!), 'utf8');
      expect(remoteLog).toContain('Creating resource pool "vch1"');
      expect(remoteLog).toContain('--password=<censored>');
      expect(remoteLog).not.toMatch(/\bpass\b/);
      expect(remoteLog).not.toContain('PRIVATE KEY-----\n');
      expect(r.stderr).toContain(`The log of this run is in [LocalDS_0] vch1/${uploaded[0]}`);
      const localLog = path.join(cwd, 'vic-machine.log');
      expect(fs.statSync(localLog).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(localLog, 'utf8')).toContain('Creating resource pool "vch1"');
      const certDir = path.join(cwd, 'vch1');
      expect(fs.statSync(certDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(certDir, 'server-key.pem')).mode & 0o777).toBe(0o600);
      const envFile = path.join(certDir, 'vch1.env');
      expect(fs.readFileSync(envFile, 'utf8')).toContain(`DOCKER_HOST=${ip}:2376`);
      if (haveDocker) {
        const cmd = /^docker .*$/m.exec(r.stdout)![0];
        // Asynchronously: the Docker API stand-in is served by this very process.
        const out = await new Promise<string>((resolve, reject) => execFile('sh', ['-c', cmd],
          { cwd, env: { ...process.env, DOCKER_CONFIG: cwd }, encoding: 'utf8', timeout: 30_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout))));
        expect(out).toMatch(/vSphere|VIC|Name/i);
      }
      // Parity: what we wrote against what vic-machine 1.5.8 wrote for the same flags (fixture basic), key by key.
      const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
      const ours = Object.fromEntries(((vms.find((v) => v.props['name'] === 'vch1')!.props['config.extraConfig']) as { key: string; value: string }[])
        .map((o) => [o.key, String(o.value)]).filter(([k]) => k !== 'govcsim')); // the simulator's own mark on VMs
      const fixture = JSON.parse(fs.readFileSync('/work/shared/fixtures/vic-machine-1.5.8/basic/extraconfig.running.json', 'utf8')) as Record<string, string>;
      const cmp = compareExtraConfig(fixture, ours);
      console.log(`parity with vic-machine 1.5.8 (basic): ${cmp.equal.length} keys equal, ${cmp.environmentDifferences.length} differ only in ` +
        `environment values (${cmp.environmentDifferences.map((d) => d.key.replace('guestinfo.vice.', '')).join(', ')}), ${cmp.missing.length} missing`);
      expect(cmp.differences).toEqual([]);
      expect(cmp.extra).toEqual([]);
      // Go 1.19 added two url.URL fields to the recording binary; VIC 1.5 appliances (Go 1.8) know only the older set.
      expect(cmp.missing).toEqual(['guestinfo.vice./storage/image_stores|0/OmitHost', 'guestinfo.vice./storage/image_stores|0/RawFragment']);
      // The configuration the appliance reads names the VM itself and the uploaded ISOs.
      const inv = await loadInventory(admin, { includeVMs: true });
      expect([...inv.objects].some((o) => o.path === '/DC0/host/DC0_C0/Resources/vch1')).toBe(true);
      expect([...inv.objects].some((o) => o.path === '/DC0/vm/vch1/vch1')).toBe(true);
    } finally {
      await standIn.stop();
    }
  });

  test('tlsverify (--tls-cname): docker works with the env file\'s DOCKER_CERT_PATH; a client without the client certificate is refused', async () => {
    const ip = '127.0.0.42';
    const appliance = playAppliance('vch5', ip, { requireClientCert: true });
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch5', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG1', '--tls-cname', ip, '--timeout', '60s', '--json']);
    const standIn = await standInFor(appliance, 'vch5', r);
    try {
      if (r.code !== 0) console.log(r.stderr);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { dockerEnv: Record<string, string>; envFile: string; roundTrips: Record<string, number> };
      expect(result.dockerEnv['DOCKER_TLS_VERIFY']).toBe('1');
      const certPath = result.dockerEnv['DOCKER_CERT_PATH']!;
      expect(path.isAbsolute(certPath)).toBe(true);
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) expect(fs.existsSync(path.join(certPath, f))).toBe(true);
      expect(fs.statSync(path.join(certPath, 'key.pem')).mode & 0o777).toBe(0o600);
      const soap = Object.entries(result.roundTrips).filter(([k]) => !k.startsWith('HTTP')).reduce((n, [, v]) => n + v, 0);
      console.log(`create round trips: ${soap} SOAP, ${JSON.stringify(result.roundTrips)}`);
      expect(soap).toBeLessThanOrEqual(80);
      if (haveDocker) {
        const run = (env: Record<string, string>) => new Promise<{ ok: boolean; out: string }>((resolve) => execFile('docker', ['info'],
          { cwd, env: { ...process.env, DOCKER_CONFIG: cwd, ...env }, encoding: 'utf8', timeout: 30_000 },
          (err, stdout, stderr) => resolve({ ok: !err, out: stdout + stderr })));
        const env = Object.fromEntries(fs.readFileSync(path.join(cwd, result.envFile), 'utf8').trim().split('\n').map((l) => {
          const i = l.indexOf('=');
          return [l.slice(0, i), l.slice(i + 1).replace(/^'(.*)'$/, '$1')];
        }));
        const good = await run({ ...env, DOCKER_HOST: `tcp://${env['DOCKER_HOST']}` });
        expect(good.ok).toBe(true);
        const noClientCert = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-nocert-'));
        fs.copyFileSync(path.join(certPath, 'ca.pem'), path.join(noClientCert, 'ca.pem'));
        const bad = await run({ DOCKER_HOST: `tcp://${env['DOCKER_HOST']}`, DOCKER_TLS: '1', DOCKER_CERT_PATH: noClientCert });
        expect(bad.ok).toBe(false);
        fs.rmSync(noClientCert, { recursive: true, force: true });
      }
    } finally {
      await standIn.stop();
    }
  });

  test('bad input is reported together, names the flags and what exists, and creates nothing', async () => {
    const before = await loadInventory(admin, { includeVMs: true });
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'nope', '--name', 'vch2', '--image-store', 'NoSuchDS',
      '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--timeout', '10s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--compute-resource');
    expect(r.stderr).toContain('DC0_C0');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).toContain(`The log of this run is in ${path.join(cwd, 'vic-machine.log')}`);
    const after = await loadInventory(admin, { includeVMs: true });
    expect([...after.objects].map((o) => o.path).sort()).toEqual([...before.objects].map((o) => o.path).sort());
    expect(fs.existsSync(path.join(cwd, 'vch2'))).toBe(false);
  });

  test('--dry-run validates, prints every object create would make, and creates nothing in vSphere or on disk', async () => {
    const before = await loadInventory(admin, { includeVMs: true });
    const filesBefore = datastoreFiles(sim);
    const sessionsBefore = await sim.openSessions();
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-dry', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network', '--volume-store', 'LocalDS_0/vols:default',
      '--memory', '4096', '--no-tlsverify', '--dry-run', '--json']);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { dryRun: boolean; topology: string; actions: { object: string; action: string; target: string; details?: string }[]; nics: { portGroup: string; roles: string[]; pciSlot: number }[] };
    expect(plan.dryRun).toBe(true);
    expect(plan.topology).toBe('vcenter-drs');
    const line = (a: { object: string; action: string; target: string }) => `${a.action} ${a.object} ${a.target}`;
    expect(plan.actions.map(line)).toEqual(expect.arrayContaining([
      'create resource pool /DC0/host/DC0_C0/Resources/vch-dry', 'create VM folder /DC0/vm/vch-dry', 'create virtual machine vch-dry',
      'create if missing datastore folder [LocalDS_0] vols', 'upload upload [LocalDS_0] vch-dry/v1.5.8-1-9489f63-appliance.iso',
      'power on power on vch-dry',
    ]));
    expect(plan.actions.find((a) => a.object === 'resource pool')!.details).toContain('memory limit 4096 MB');
    // public, client and management share "VM Network"; the bridge has a NIC of its own
    expect(plan.nics).toEqual([
      { portGroup: 'VM Network', roles: ['public', 'client', 'management'], pciSlot: 1184 },
      { portGroup: 'DC0_DVPG0', roles: ['bridge'], pciSlot: 1216 },
    ]);
    const after = await loadInventory(admin, { includeVMs: true });
    expect([...after.objects].map((o) => o.path).sort()).toEqual([...before.objects].map((o) => o.path).sort());
    expect(datastoreFiles(sim)).toEqual(filesBefore);
    expect(fs.existsSync(path.join(cwd, 'vch-dry'))).toBe(false);
    expect(await sim.openSessions()).toBe(sessionsBefore);

    const human = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-dry', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG0', '--tls-cname', 'vch-dry.example.com', '--dry-run']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Dry run: the configuration is valid; nothing was created.');
    expect(human.stdout).toMatch(/^ +\d+\. create virtual machine vch-dry \(1 vCPU, 2048 MB, 2 NICs/m);
  });

  test('an unverified target certificate: refused with its thumbprint; --force accepts it but always prints it; a wrong pin is never overridden', async () => {
    const base = ['create', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--compute-resource', 'DC0_C0',
      '--name', 'vch-trust', '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--dry-run'];
    const refused = await vicMachine(base);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`--thumbprint ${sim.thumbprintSHA1}`);
    const forced = await vicMachine([...base, '--force']);
    if (forced.code !== 0) console.log(forced.stderr);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`--force: accepting the certificate of ${sim.host}, which is not trusted`);
    expect(forced.stderr).toContain(`SHA-1:    ${sim.thumbprintSHA1}`);
    expect(forced.stderr).toMatch(/SHA-256: +([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const wrongPin = await vicMachine([...base, '--force', '--thumbprint', '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33']);
    expect(wrongPin.code).toBe(3);
    expect(wrongPin.stderr).toContain('does not match --thumbprint');
  });

  test('--dry-run with bad input reports the same problems as create, exit 2', async () => {
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'nope', '--name', 'vch-dry2', '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Suggested values for --compute-resource');
    expect(r.stdout).not.toContain('Dry run');
  });

  test('on a terminal, a spinner runs while the appliance boots; never in piped output', async () => {
    const haveScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;
    if (!haveScript) {
      console.warn('create.test.ts: terminal test skipped: util-linux `script` is not installed');
      return;
    }
    const args = ['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-spin', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG1', '--no-tlsverify', '--timeout', '3s'];
    const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // a terminal with a size, as a person's has (script's own pseudo-terminal reports none)
    const tty = spawnSync('script', ['-qec', `stty cols 120 rows 40; ${quoted}`, '/dev/null'], { cwd, env: { ...process.env, TERM: 'xterm', NO_COLOR: '1', VIC_MACHINE_LOG_FILE: '-' }, encoding: 'utf8', timeout: 60_000 });
    if (tty.status !== 7) console.log(tty.status, tty.signal, tty.error, tty.stdout.slice(0, 2000));
    expect(tty.status).toBe(7);
    expect(tty.stdout).toContain('waiting for the appliance');
    expect(tty.stdout).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(tty.stdout).toContain('Waiting for IP information'); // the log lines are still printed
    // piped: no spinner (the 'never reports' test below runs the same create piped)
    const piped = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-spin2', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG1', '--no-tlsverify', '--timeout', '2s']);
    expect(piped.code).toBe(7);
    expect(piped.stderr).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(piped.stderr).not.toContain('waiting for the appliance');
  });

  test('a missing ISO is found before connecting', async () => {
    await sim.resetStats();
    const r = await vicMachine(['create', ...target(), '--name', 'vch3', '--appliance-iso', 'missing.iso', '--no-tlsverify']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--appliance-iso');
    expect((await sim.stats()).total).toBe(0);
  });

  test('when the appliance never reports, create keeps the VCH, exits 7 and names the phase', async () => {
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch4', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG1', '--no-tlsverify', '--timeout', '2s']);
    if (r.code !== 7) console.log(r.stderr);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('waiting for the client IP address');
    expect(r.stderr).toMatch(/vic-machine inspect .*--id vm-\d+/);
    // each NIC's roles, port group and state, and each component's
    expect(r.stderr).toContain('public, client, management on "VM Network" (PCI slot 1184): no IP address reported yet');
    expect(r.stderr).toContain('bridge on "DC0_DVPG1" (PCI slot 1216): no IP address reported yet');
    expect(r.stderr).toMatch(/port-layer: waiting to launch/);
  });
});

describe('create on a standalone ESXi host', () => {
  let esx: Vcsim;
  let esxAdmin: Session;
  beforeAll(async () => {
    esx = await startVcsim({ esx: true, firewallOpen: true });
    esxAdmin = await Session.connect({ url: esx.url, user: 'u', password: 'p', trust: { thumbprint: esx.thumbprintSHA1 } });
  });
  afterAll(async () => {
    await esxAdmin?.logout();
    await esx?.stop();
  });

  test('--dry-run on ESXi plans the bridge vSwitch and port group and a resource pool, and creates neither', async () => {
    const r = await vicMachine(['create', '--target', esx.host, '--user', 'root', '--password', 'pw', '--thumbprint', esx.thumbprintSHA1,
      '--name', 'vch-esx-dry', '--no-tlsverify', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { topology: string; actions: { object: string; action: string; target: string }[] };
    expect(plan.topology).toBe('esxi');
    const planned = plan.actions.map((a) => `${a.action} ${a.object} ${a.target}`);
    expect(planned).toEqual(expect.arrayContaining(['create vSwitch vch-esx-dry', 'create port group vch-esx-dry']));
    expect(planned.some((p) => /^create resource pool .*\/Resources\/vch-esx-dry$/.test(p))).toBe(true);
    expect(planned.some((p) => p.startsWith('create VM folder'))).toBe(false);
    // the same by kind (what the REST API's dry run answers): the bridge port group made, no VM folder on ESXi
    const made = (JSON.parse(r.stdout) as { made: { networks: { role: string; portGroup: string; action: string }[]; vmFolder?: string; resourcePool: { action: string } } }).made;
    expect(made.networks.find((n) => n.role === 'bridge')).toEqual({ role: 'bridge', portGroup: 'vch-esx-dry', action: 'create' });
    expect(made.vmFolder).toBeUndefined();
    expect(made.resourcePool.action).toBe('create');
    const paths = [...(await loadInventory(esxAdmin, { includeVMs: true })).objects].map((o) => o.path);
    expect(paths.some((p) => p.includes('vch-esx-dry'))).toBe(false);
  });

  test('makes the bridge vSwitch and port group, puts the VCH in a resource pool, and hands over a working DOCKER_HOST', async () => {
    const ip = '127.0.0.43';
    const appliance = playing('vch-esx', (signal) => playApplianceOf(esxAdmin, 'vch-esx', ip, { requireClientCert: false, timeoutMs: 110_000, signal }));
    const r = await vicMachine(['create', '--target', esx.host, '--user', 'root', '--password', 'pw', '--thumbprint', esx.thumbprintSHA1,
      '--name', 'vch-esx', '--no-tlsverify', '--timeout', '60s']);
    const standIn = await standInFor(appliance, 'vch-esx', r);
    try {
      if (r.code !== 0) console.log(r.stderr);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('Creating vSwitch and port group "vch-esx" for the bridge network');
      expect(r.stdout).toContain(`DOCKER_HOST=${ip}:2376`);
      const paths = [...(await loadInventory(esxAdmin, { includeVMs: true })).objects].map((o) => o.path);
      expect(paths).toContain('/ha-datacenter/network/vch-esx');
      expect(paths.some((p) => p.endsWith('/Resources/vch-esx'))).toBe(true);
      expect(paths).toContain('/ha-datacenter/vm/vch-esx');
    } finally {
      await standIn.stop();
    }
  });
});
