// configure against the simulator, on the VCH vic-machine 1.5.8 created as fixture "rich" (container network
// "routable" on DC0_DVPG1, volume stores "default" and "fast", an HTTP proxy, syslog, DNS 1.1.1.1). The rules run on
// what locating the VCH read; the steps are then run and their effect read back from vSphere.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { failureOf } from '../support/failure-of.js';
import { runCli } from '../support/in-process-cli.js';
import { STACK_TRACE, VIC_MACHINE_BIN } from '../support/cli-process.js';
import { spawn } from 'node:child_process';
import { ReconfigVM_Task, RetrieveAllPermissions } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { retrieveOne } from '../../src/vim/property-collector.js';
import { DatastoreFiles } from '../../src/vim/datastore-files.js';
import type { MoRef } from '../../src/vim/types.js';
import { locateVch } from '../../src/vic/vch/locate.js';
import { decodeVchConfig, ipString } from '../../src/vic/config/index.js';
import { CONFIGURE_INVENTORY_PATHS, configureSteps, dockerEndpointAfter, prepareConfigure, type PrepareInput } from '../../src/vic/configure/configure-vch.js';
import { playAppliance } from '../support/appliance-player.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import { containerNetworkSpecs } from '../../src/vic/configure/request.js';

let sim: Vcsim;
let admin: Session;
let vm: MoRef;

beforeAll(async () => {
  sim = await startVcsim({ username: 'user', password: 'pass' });
  admin = await Session.connect({ url: sim.url, user: 'user', password: 'pass', trust: { thumbprint: sim.thumbprintSHA1 } });
  if (haveFixtures) vm = await recreateFixture(admin, 'rich', 'vch-rich');
});
afterAll(async () => {
  await admin?.logout();
  await sim?.stop();
});

const locate = (name = 'vch-rich') => locateVch(admin, { datacenterPath: '/DC0', name, extraPaths: CONFIGURE_INVENTORY_PATHS });
const ROUTABLE = ['DC0_DVPG1:routable'];
const ROUTABLE_OPTS = { containerNetworkGateway: ['DC0_DVPG1:10.10.0.1/16'], containerNetworkIpRange: ['DC0_DVPG1:10.10.1.0/24'], containerNetworkDns: ['DC0_DVPG1:10.10.0.2'], containerNetworkFirewall: ['DC0_DVPG1:published'] };
const nets = (containerNetwork: string[], opts: Partial<typeof ROUTABLE_OPTS> = ROUTABLE_OPTS) => containerNetworkSpecs({
  containerNetwork, containerNetworkGateway: [], containerNetworkIpRange: [], containerNetworkDns: [], containerNetworkFirewall: [], ...opts,
});
const input = (o: Partial<PrepareInput>): PrepareInput => ({ request: {}, pool: {}, ...o });

(haveFixtures ? describe : describe.skip)('configure on fixture "rich"', () => {
  test('port groups are looked up by name: the existing network repeated is unchanged, a new one is added with its moref', async () => {
    const p = prepareConfigure(await locate(), input({ containerNetworks: nets([...ROUTABLE, 'VM Network:extra']) }));
    expect(p.plan.problems).toEqual([]);
    expect(p.plan.changes).toEqual(['container network extra added (port group VM Network)']);
    expect(p.plan.config.network.containerNetworks['extra']!.common.id).toMatch(/^Network:network-\d+$/);
  });

  test('an existing network left out, or changed: the original\'s errors with the flags to repeat, using the port group names', async () => {
    const left = prepareConfigure(await locate(), input({ containerNetworks: nets(['VM Network:extra'], {}) }));
    expect(left.plan.problems.map((p) => p.message)).toEqual(['all existing container networks must also be specified: Existing container-network DC0_DVPG1:routable not specified in configure command']);
    expect(left.plan.problems[0]!.hint).toContain('--container-network DC0_DVPG1:routable --container-network-gateway DC0_DVPG1:10.10.0.1/16');
    const changed = prepareConfigure(await locate(), input({ containerNetworks: nets(ROUTABLE, { ...ROUTABLE_OPTS, containerNetworkFirewall: ['DC0_DVPG1:open'] }) }));
    expect(changed.plan.problems.map((p) => p.message)).toEqual(['changes to existing container networks are not supported: Found changes to existing container network routable (firewall published → open)']);
  });

  test('an unknown port group: not found, with the networks that exist', async () => {
    const e = await failureOf((async () => prepareConfigure(await locate(), input({ containerNetworks: nets([...ROUTABLE, 'nope:x']) })))());
    expect(e.message).toBe('--container-network port group "nope" not found');
    expect(e.hint).toContain('"DC0_DVPG1"');
    expect(e.cliErrorType).toBe('not-found');
  });

  test('volume stores: a new one next to the repeated ones is added on the image store\'s datastore; one left out is refused', async () => {
    const ok = prepareConfigure(await locate(), input({ request: { volumeStores: ['LocalDS_0/volumes:default', 'LocalDS_0/vol2:fast', 'LocalDS_0/vol3:third'] } }));
    expect(ok.plan.problems).toEqual([]);
    expect(ok.plan.addedVolumeStores.map((v) => v.url.path)).toEqual(['[LocalDS_0] vol3']);
    const left = prepareConfigure(await locate(), input({ request: { volumeStores: ['LocalDS_0/vol3:third'] } }));
    expect(left.plan.problems[0]!.message).toBe('all existing volume stores must also be specified: Existing volume store default not specified in configure command; Existing volume store fast not specified in configure command');
  });

  test('nothing requested, or only values equal to the current ones: nothing to write', async () => {
    expect(prepareConfigure(await locate(), input({})).empty).toBe(true);
    expect(prepareConfigure(await locate(), input({ request: { containerCount: 50 }, containerNetworks: nets(ROUTABLE) })).empty).toBe(true);
  });

  test('the steps, run: pool allocation, the new volume store\'s folder, the proxy cleared and DNS replaced; the appliance powered on again', async () => {
    const located = await locate();
    const p = prepareConfigure(located, input({
      request: { httpProxy: '', dnsServers: ['9.9.9.9'], storageQuotaGB: 3, volumeStores: ['LocalDS_0/volumes:default', 'LocalDS_0/vol2:fast', 'LocalDS_0/vol3:third'] },
      pool: { memoryLimitMB: 4096, cpuShares: { level: 'high' } },
    }));
    expect(p.plan.problems).toEqual([]);
    const steps = configureSteps(admin, located, p, {
      datastoreFiles: (ds) => new DatastoreFiles(admin, { datacenterPath: 'DC0', datacenter: located.vch.datacenter!.ref, datastoreName: ds, datastore: located.scope.finder.findOne('datastore', ds, located.vch.datacenter).ref }),
    });
    expect(steps.map((s) => s.name)).toEqual(['updating the resource pool', 'creating volume store folder [LocalDS_0] vol3', 'powering off the appliance', 'writing the configuration', 'powering on the appliance']);
    const poolBefore = await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, located.vch.resourcePool!, ['config.memoryAllocation']);
    expect(poolBefore['config.memoryAllocation'].limit).not.toBe(4096);
    await sim.resetStats();
    for (const s of steps) await s.run();
    const stats = await sim.stats();
    expect(stats.soap).toMatchObject({ UpdateConfig: 1, PowerOffVM_Task: 1, ReconfigVM_Task: 1, PowerOnVM_Task: 1, MakeDirectory: 1 });

    const pool = await retrieveOne<{ 'config.memoryAllocation': { limit: number }; 'config.cpuAllocation': { shares: { level: string } } }>(admin, located.vch.resourcePool!, ['config.memoryAllocation', 'config.cpuAllocation']);
    expect(pool['config.memoryAllocation'].limit).toBe(4096);
    expect(pool['config.cpuAllocation'].shares.level).toBe('high');
    expect(fs.existsSync(path.join(sim.datastores['LocalDS_0']!, 'vol3'))).toBe(true);

    const after = await locate();
    expect(after.vch.powerState).toBe('poweredOn');
    const conf = decodeVchConfig(after.vch.extraConfig);
    expect(conf.executorConfig.sessions['docker-personality']!.cmd.env.some((e) => e.startsWith('HTTP_PROXY='))).toBe(false);
    expect(conf.storage.storageQuota).toBe(3 * 2 ** 30);
    expect(Object.keys(conf.storage.volumeLocations).sort()).toEqual(['default', 'fast', 'third']);
    expect(conf.connection.token).toBe(decodeVchConfig(located.vch.extraConfig).connection.token);
    expect(after.vch.extraConfig['guestinfo.ovfEnv']).not.toBe(located.vch.extraConfig['guestinfo.ovfEnv']);
    // the pool step can be undone (a VM snapshot does not cover it)
    await steps[0]!.undo!();
    const undone = await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, located.vch.resourcePool!, ['config.memoryAllocation']);
    expect(undone['config.memoryAllocation'].limit).toBe(poolBefore['config.memoryAllocation'].limit);
    void vm;
  });
});

/** SOAP calls the test's appliance player made (so that configure's own round trips can be told apart). */
let playerCalls = 0;

/** Plays the appliance once it has been restarted with the new configuration (power on, components' started cleared). */
async function playAfterRestart(name: string, ip: string, signal: AbortSignal) {
  const player = await Session.connect({ url: sim.url, user: 'user', password: 'pass', trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
  const call = player.call.bind(player);
  player.call = ((...a: Parameters<typeof call>) => { playerCalls++; return call(...a); }) as typeof player.call;
  try {
    return await playOn(player, name, ip, signal);
  } finally {
    await player.logout();
  }
}

async function playOn(player: Session, name: string, ip: string, signal: AbortSignal) {
  for (;;) {
    signal.throwIfAborted();
    const vms = await retrieveFromView(player, player.content.rootFolder, ['VirtualMachine'], ['name', 'runtime.powerState', 'config.extraConfig']);
    const v = vms.find((x) => x.props['name'] === name);
    const ec = Object.fromEntries(((v?.props['config.extraConfig'] as { key: string; value: string }[]) ?? []).map((o) => [o.key, String(o.value)]));
    const started = ec['guestinfo.vice..init.sessions|vicadmin.started'];
    if (v?.props['runtime.powerState'] === 'poweredOn' && (!started || started === '<nil>')) return playAppliance(player, name, ip, { requireClientCert: false, signal });
    await new Promise((r) => setTimeout(r, 50));
  }
}

(haveFixtures ? test : test.skip)('after the power-on the steps wait for the appliance and its Docker API with the VCH\'s certificate, as create does', async () => {
  const located = await locate();
  const p = prepareConfigure(located, input({ request: { debug: 2 } }));
  // "rich" verifies clients; the stand-in here does not, so the API is checked with the server certificate only
  expect(dockerEndpointAfter(p)).toBeUndefined();
  const serverOnly = { port: 2376, tls: true, serverCertPem: Buffer.from(p.plan.config.certificate.hostCertificate!.cert!).toString('utf8') };
  const stop = new AbortController();
  const appliance = playAfterRestart('vch-rich', '127.91.0.3', stop.signal);
  const lines: string[] = [];
  try {
    const steps = configureSteps(admin, located, p, { wait: true, docker: serverOnly, waitTimeoutMs: 30_000, log: (l) => lines.push(l) });
    expect(steps.map((s) => s.name)).toEqual(['powering off the appliance', 'writing the configuration', 'powering on the appliance', 'waiting for the appliance']);
    for (const s of steps) await s.run();
    expect(lines).toEqual(expect.arrayContaining(['Obtained IP address for client interface: "127.91.0.3"', 'Checking the Docker API at 127.91.0.3:2376']));
    expect(decodeVchConfig((await locate()).vch.extraConfig).executorConfig.diagnostics.debugLevel).toBe(2);
  } finally {
    stop.abort();
    await (await appliance.catch(() => undefined))?.stop();
  }
});

(haveFixtures ? describe : describe.skip)('vic-machine configure: the rules, before any change', () => {
  let cwd: string;
  beforeAll(() => { cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-configure-')); });
  afterAll(() => { fs.rmSync(cwd, { recursive: true, force: true }); });
  const configure = (args: string[]) => runCli(['configure', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass',
    '--thumbprint', sim.thumbprintSHA1, '--name', 'vch-rich', ...args], cwd);

  test('a container network left out: exit 2, the original\'s message, the flags to repeat; nothing written', async () => {
    await sim.resetStats();
    const r = await configure(['--container-network', 'VM Network:extra', '--json']);
    expect(r.code).toBe(2);
    const err = (JSON.parse(r.stdout) as { error: { message: string; flag: string; hint: string } }).error;
    expect(err).toMatchObject({ flag: '--container-network', message: 'all existing container networks must also be specified: Existing container-network DC0_DVPG1:routable not specified in configure command' });
    expect(err.hint).toContain('--container-network DC0_DVPG1:routable --container-network-gateway DC0_DVPG1:10.10.0.1/16');
    expect(r.stderr).toContain('### Configuring VCH ####');
    expect(r.stderr).toMatch(/VCH ID: VirtualMachine:vm-\d+/);
    const stats = await sim.stats();
    expect(stats.soap['ReconfigVM_Task']).toBeUndefined();
    expect(stats.soap['CreateSnapshot_Task']).toBeUndefined();
    expect(await sim.openSessions()).toBe(1);
  });

  test('several problems are all listed, each with its flag; values wrong in themselves, and a per-network flag for a port group no --container-network gives, are refused before connecting', async () => {
    const r = await configure(['--volume-store', 'LocalDS_0/x:x', '--container-network', 'VM Network:extra']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: all existing volume stores must also be specified');
    expect(r.stderr).toContain('Error: all existing container networks must also be specified');
    expect(r.stderr).toMatch(/vic-machine configure: 2 problems with the configuration/);
    await sim.resetStats();
    const values = await configure(['--volume-store', 'LocalDS_0/x:x', '--http-proxy', 'ftp://nope', '--dns-server', '1.2.3']);
    expect(values.code).toBe(2);
    expect(values.stderr).toContain('Could not parse HTTP(S) proxy');
    expect(values.stderr).toContain('Invalid DNS server specified: 1.2.3');
    expect(values.stderr).toMatch(/vic-machine configure: 2 problems with the configuration/);
    expect((await sim.stats()).total).toBe(0);
    const early = await configure(['--container-network-gateway', 'DC0_DVPG1:10.0.0.1/16']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('The following container network gateway is set, but CONTAINER-NETWORK cannot be found');
    expect(early.stderr).toContain('"DC0_DVPG1" should be a vSphere network name');
    expect((await sim.stats()).total).toBe(0);
  });

  test('values equal to the current ones: nothing to change, exit 0, no write', async () => {
    await sim.resetStats();
    const r = await configure(['--containers', '50', '--container-network', 'DC0_DVPG1:routable', '--container-network-gateway', 'DC0_DVPG1:10.10.0.1/16',
      '--container-network-ip-range', 'DC0_DVPG1:10.10.1.0-10.10.1.255', '--container-network-dns', 'DC0_DVPG1:10.10.0.2', '--container-network-firewall', 'DC0_DVPG1:published']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No certificate regeneration requested. No new certificates provided. Certificates left unchanged.');
    expect(r.stderr).toContain('nothing to change');
    expect((await sim.stats()).soap['ReconfigVM_Task']).toBeUndefined();
  });

  test('new certificates into an existing folder are refused before anything is generated', async () => {
    fs.mkdirSync(path.join(cwd, 'vch-rich'));
    try {
      const r = await configure(['--tls-cname', 'vch.example.com']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Specified or default certificate output location "vch-rich" already exists');
      expect(fs.readdirSync(path.join(cwd, 'vch-rich'))).toEqual([]);
    } finally {
      fs.rmSync(path.join(cwd, 'vch-rich'), { recursive: true });
    }
  });
});


(haveFixtures ? describe : describe.skip)('vic-machine configure: the changes, under the lock and a snapshot', () => {
  // a VCH of its own, so that what the tests above changed does not matter here
  const NAME = 'vch-rich2';
  let cwd: string;
  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-configure-w-'));
    await recreateFixture(admin, 'rich', NAME);
  });
  afterAll(() => { fs.rmSync(cwd, { recursive: true, force: true }); });
  const configure = (args: string[]) => runCli(['configure', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass',
    '--thumbprint', sim.thumbprintSHA1, '--name', NAME, '--timeout', '60s', ...args], cwd);
  const current = async () => {
    const l = await locate(NAME);
    return { ec: l.vch.extraConfig, conf: decodeVchConfig(l.vch.extraConfig), pool: l.vch.resourcePool!, vm: l.vch.ref };
  };
  const snapshots = async (ref: MoRef) => {
    const p = await retrieveOne<{ snapshot?: { rootSnapshotList?: { name: string; childSnapshotList?: unknown[] }[] } }>(admin, ref, ['snapshot']);
    return (p.snapshot?.rootSnapshotList ?? []).map((x) => x.name);
  };
  /** runs configure while playing the appliance's restart */
  const configurePlayed = async (args: string[], ip: string) => {
    const stop = new AbortController();
    const appliance = playAfterRestart(NAME, ip, stop.signal);
    try {
      return await configure(args);
    } finally {
      stop.abort();
      await (await appliance.catch(() => undefined))?.stop();
    }
  };

  test('every clearable field cleared with "": proxies, syslog, DNS; one rollback point; the lock released', async () => {
    const before = await current();
    expect(before.conf.executorConfig.diagnostics.sysLogConfig).toBeDefined();
    await sim.resetStats();
    playerCalls = 0;
    const r = await configurePlayed(['--http-proxy', '', '--no-proxy', '', '--syslog-address', '', '--dns-server', '', '--json'], '127.91.0.4');
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const stats = await sim.stats();
    // the player's own session: RetrieveServiceContent, Login, its calls, Logout
    const own = stats.total - playerCalls - 3;
    // measured: 23 SOAP calls and 1 HTTP GET (the .vmx) — lock, snapshot, power off, write, power on, the wait, unlock
    expect(own).toBeLessThanOrEqual(24);
    expect(stats.http).toEqual({ GET: 1 });
    expect(stats.soap).toMatchObject({ CreateSnapshot_Task: 1, PowerOffVM_Task: 1, PowerOnVM_Task: 1 });
    const after = await current();
    const env = (s: string) => after.conf.executorConfig.sessions[s]!.cmd.env;
    expect(env('docker-personality')).toEqual(['PATH=/sbin', 'GOTRACEBACK=all']);
    expect(env('vicadmin')).toEqual(['PATH=/sbin:/bin', 'GOTRACEBACK=all']);
    expect(after.conf.executorConfig.diagnostics.sysLogConfig).toBeUndefined();
    expect(after.ec['guestinfo.vice./init/diagnostics/syslog/RAddr']).toBeUndefined();
    for (const role of ['public', 'client', 'management']) expect(after.conf.executorConfig.networks[role]?.network.nameservers ?? []).toEqual([]);
    expect(after.ec['UpdateInProgress']).toBe('false');
    const build = before.conf.executorConfig.version!.buildNumber;
    expect(await snapshots(after.vm)).toEqual([`reconfigure for ${build}`]);
    const data = JSON.parse(r.stdout) as { changed: boolean; changes: string[]; snapshot: string };
    expect(data.changed).toBe(true);
    expect(data.changes.sort()).toEqual(['dns servers: 1.1.1.1 → (none: DHCP)', 'http-proxy: http://proxy.example.com:3128 → (none)',
      'no-proxy: localhost,.example.com → (none)', 'syslog: tcp://127.0.0.1:514 → (none)']);
    expect(r.stderr).toContain('Creating snapshot');
    expect(r.stderr).toContain('Completed successfully');
  });

  test('the fields set again, the pool changed, a volume store added; the earlier rollback point replaced by this one', async () => {
    const r = await configurePlayed(['--https-proxy', 'https://sec.example.com:8443', '--syslog-address', 'udp://logs.example.com', '--dns-server', '8.8.4.4',
      '--storage-quota', '9', '--memory', '2048', '--cpu-shares', 'low', '--volume-store', 'LocalDS_0/volumes:default', '--volume-store', 'LocalDS_0/vol2:fast',
      '--volume-store', 'LocalDS_0/vol4:fourth'], '127.91.0.5');
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const after = await current();
    expect(after.conf.executorConfig.sessions['docker-personality']!.cmd.env).toContain('HTTPS_PROXY=https://sec.example.com:8443');
    expect(after.conf.executorConfig.sessions['vicadmin']!.cmd.env).toContain('VICADMIN_HTTPS_PROXY=https://sec.example.com:8443');
    expect(after.conf.executorConfig.diagnostics.sysLogConfig).toEqual({ network: 'udp', rAddr: 'logs.example.com:514' });
    expect(after.conf.executorConfig.networks['public']!.network.nameservers.map(ipString)).toEqual(['8.8.4.4']);
    expect(after.conf.storage.storageQuota).toBe(9 * 2 ** 30);
    expect(Object.keys(after.conf.storage.volumeLocations).sort()).toEqual(['default', 'fast', 'fourth']);
    expect(fs.existsSync(path.join(sim.datastores['LocalDS_0']!, 'vol4'))).toBe(true);
    const pool = await retrieveOne<{ 'config.memoryAllocation': { limit: number }; 'config.cpuAllocation': { shares: { level: string } } }>(admin, after.pool, ['config.memoryAllocation', 'config.cpuAllocation']);
    expect(pool['config.memoryAllocation'].limit).toBe(2048);
    expect(pool['config.cpuAllocation'].shares.level).toBe('low');
    expect((await snapshots(after.vm))).toHaveLength(1);
  });

  test('a failure mid-way (power-on fails): the appliance reverted, the pool put back, the lock released, exit non-zero', async () => {
    const before = await current();
    const poolBefore = await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, before.pool, ['config.memoryAllocation']);
    await sim.injectFaults({ method: 'PowerOnVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault', message: 'no room' });
    try {
      const r = await configure(['--memory', '1024', '--containers', '7', '--json']);
      expect(r.code).toBe(1);
      const err = (JSON.parse(r.stdout.slice(r.stdout.indexOf('{"error"'))) as { error: { message: string } }).error;
      expect(err.message).toMatch(/^configure failed while powering on the appliance: .*The VCH was reverted to its state before the configure\.$/);
      expect(r.stderr).toContain('Undone: updating the resource pool');
    } finally {
      await sim.clearFaults();
    }
    const after = await current();
    expect(after.conf.container.containerCount).toBe(before.conf.container.containerCount);
    expect(after.ec['UpdateInProgress']).toBe('false');
    const poolAfter = await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, after.pool, ['config.memoryAllocation']);
    expect(poolAfter['config.memoryAllocation'].limit).toBe(poolBefore['config.memoryAllocation'].limit);
    expect(await snapshots(after.vm)).toEqual(await snapshots(before.vm));
  });

  test('SIGTERM to the built binary during configure\'s wait for the appliance: reverted, the pool put back, the lock released, exit 130', async () => {
    const before = await current();
    const poolOf = async (ref: MoRef) => (await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, ref, ['config.memoryAllocation']))['config.memoryAllocation'].limit;
    const limitBefore = await poolOf(before.pool);
    const snapshotsBefore = await snapshots(before.vm);
    const p = spawn(process.execPath, [VIC_MACHINE_BIN, 'configure', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass',
      '--thumbprint', sim.thumbprintSHA1, '--name', NAME, '--timeout', '60s', '--memory', '1536', '--containers', '9'],
    { cwd, env: { ...process.env, NO_COLOR: '1', VIC_MACHINE_LOG_FILE: '-' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.stdout.resume();
    const exited = new Promise<number>((resolve) => p.on('exit', (code) => resolve(code ?? -1)));
    // nobody plays the appliance: once the new configuration is written and the VM is on again, configure waits
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = await current();
      const power = (await retrieveOne<{ 'runtime.powerState': string }>(admin, now.vm, ['runtime.powerState']))['runtime.powerState'];
      if (now.conf.container.containerCount === 9 && power === 'poweredOn') {
        // the lock the run holds names its vSphere session, so that a later run can tell whether it is still alive
        expect(now.ec['UpdateInProgress']).toBe('true');
        expect(now.ec['UpdateInProgressSession']).toMatch(/^\S+ user$/);
        break;
      }
      if (Date.now() > deadline) { p.kill('SIGKILL'); throw new Error(`configure never reached its wait:\n${stderr}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
    p.kill('SIGTERM');
    const code = await exited;
    if (code !== 130) console.log(stderr);
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted');
    expect(stderr).not.toMatch(STACK_TRACE);
    const after = await current();
    expect(after.conf.container.containerCount).toBe(before.conf.container.containerCount);
    expect(after.ec['UpdateInProgress']).toBe('false');
    expect(await poolOf(after.pool)).toBe(limitBefore);
    expect(await snapshots(after.vm)).toEqual(snapshotsBefore);
    expect((await retrieveOne<{ 'runtime.powerState': string }>(admin, after.vm, ['runtime.powerState']))['runtime.powerState']).toBe('poweredOn');
    expect(await sim.openSessions()).toBe(1);
  }, 60_000);

  test('--rollback returns to the state before the last configure (the quota it set is gone)', async () => {
    const r = await configure(['--rollback']);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('### Rolling back VCH ####');
    const after = await current();
    expect(after.conf.storage.storageQuota).toBe(0);
    expect(after.conf.executorConfig.diagnostics.sysLogConfig).toBeUndefined();
    expect(after.ec['UpdateInProgress']).toBe('false');
  });

  test('new certificates on request (--tls-cname): written with safe modes into a new folder and given to the VCH; removed again when configure fails', async () => {
    const r = await configurePlayed(['--tls-cname', 'vch2.example.com', '--tls-cert-path', 'newcerts'], '127.91.0.6');
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    const dir = path.join(cwd, 'newcerts');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['ca-key.pem', 'server-key.pem', 'key.pem']) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    const conf = (await current()).conf;
    expect(Buffer.from(conf.certificate.hostCertificate!.cert!).toString()).toBe(fs.readFileSync(path.join(dir, 'server-cert.pem'), 'utf8'));
    expect(Buffer.from(conf.certificate.certificateAuthorities!).toString()).toBe(fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'));
    expect(r.stderr).toContain('Generating CA certificate/key pair - private key in newcerts/ca-key.pem');
    expect(r.stderr + r.stdout).not.toMatch(/PRIVATE KEY/);

    await sim.injectFaults({ method: 'PowerOffVM_Task', nth: 1, kind: 'taskfault', fault: 'InvalidState', message: 'busy' });
    try {
      const failed = await configure(['--tls-cname', 'vch3.example.com', '--tls-cert-path', 'failedcerts']);
      expect(failed.code).toBe(1);
    } finally {
      await sim.clearFaults();
    }
    expect(fs.existsSync(path.join(cwd, 'failedcerts'))).toBe(false);
    expect(Buffer.from((await current()).conf.certificate.hostCertificate!.cert!).toString()).toBe(fs.readFileSync(path.join(dir, 'server-cert.pem'), 'utf8'));
  });

  test('a held lock: refused with who holds it; --reset-progress clears it and says what it cleared', async () => {
    const { vm: ref } = await current();
    await runTaskAdmin(ref, [{ key: 'UpdateInProgress', value: 'true' }, { key: 'UpdateInProgressInfo', value: 'upgrade by someone from elsewhere (pid 1) since 2026-11-23T00:00:00Z' }]);
    const refused = await configure(['--containers', '3']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('configure failed: another upgrade/configure operation is in progress (upgrade by someone from elsewhere (pid 1) since 2026-11-23T00:00:00Z)');
    expect((await current()).conf.container.containerCount).not.toBe(3);
    const reset = await configure(['--reset-progress']);
    expect(reset.code).toBe(0);
    expect(reset.stderr).toContain('Reset UpdateInProgress flag successfully (it was held by upgrade by someone from elsewhere');
    expect((await current()).ec['UpdateInProgress']).toBe('false');
  });

  test('a lock whose holder\'s vSphere session has ended is named stale, with what to do; the lock a run takes records its session', async () => {
    const { vm: ref } = await current();
    const holder = await Session.connect({ url: sim.url, user: 'user', password: 'pass', trust: { thumbprint: sim.thumbprintSHA1 } });
    const us = holder.userSession as { key: string; userName: string };
    await runTaskAdmin(ref, [{ key: 'UpdateInProgress', value: 'true' }, { key: 'UpdateInProgressInfo', value: 'upgrade by user from jumphost (pid 9) since 2026-11-23T00:00:00Z' },
      { key: 'UpdateInProgressSession', value: `${us.key} ${us.userName}` }]);
    // the holder still there: a lock in use
    const live = await configure(['--containers', '3']);
    expect(live.code).toBe(6);
    expect(live.stderr).toContain('configure failed: another upgrade/configure operation is in progress (upgrade by user from jumphost (pid 9)');
    // the holder gone (its process killed, its session ended): stale
    await holder.logout();
    const stale = await configure(['--containers', '3', '--json']);
    expect(stale.code).toBe(6);
    const err = (JSON.parse(stale.stdout) as { error: { message: string; hint: string } }).error;
    expect(err.message).toBe('configure failed: the VCH is locked by an upgrade/configure whose vSphere session has ended (upgrade by user from jumphost (pid 9) since 2026-11-23T00:00:00Z): that run is gone and left the lock');
    expect(err.hint).toBe('use --reset-progress to clear the lock (and --rollback if that run left the VCH half-changed)');
    expect((await current()).conf.container.containerCount).not.toBe(3);
    expect((await configure(['--reset-progress'])).code).toBe(0);
    const after = (await current()).ec;
    expect(after['UpdateInProgress']).toBe('false');
    expect(after['UpdateInProgressSession'] ?? '').toBe('');
  });

  test('--affinity-vm-group creates the DRS VM group with the appliance, --ops-grant-perms grants the ops user its roles; =false removes the group', async () => {
    const am = admin.content['authorizationManager'] as MoRef;
    const groups = async () => {
      const [c] = await retrieveFromView(admin, admin.content.rootFolder, ['ClusterComputeResource'], ['configurationEx']);
      return ((c!.props['configurationEx'] as { group?: { name: string; vm?: MoRef[] }[] }).group) ?? [];
    };
    const r = await configurePlayed(['--affinity-vm-group', '--ops-user', 'opsgrant', '--ops-password', 'Ops-Secret-1', '--ops-grant-perms'], '127.91.0.61');
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Ops-Secret-1');
    const now = await current();
    expect((await groups()).find((g) => g.name === NAME)?.vm?.map((v) => v.value)).toEqual([now.vm.value]);
    expect(now.conf.container.useVMGroup).toBe(true);
    expect(now.conf.grantPermsLevel).toBe('ADD');
    const perms = ((await RetrieveAllPermissions(admin, { _this: am })) ?? [])
      .filter((p) => p.principal === 'opsgrant');
    expect(perms.map((p) => p.entity?.type).sort()).toEqual(expect.arrayContaining(['ClusterComputeResource', 'Datacenter', 'Folder', 'ResourcePool']));
    const off = await configurePlayed(['--affinity-vm-group=false'], '127.91.0.62');
    if (off.code !== 0) console.log(off.stderr);
    expect(off.code).toBe(0);
    expect((await groups()).map((g) => g.name)).not.toContain(NAME);
    expect((await current()).conf.container.useVMGroup).toBe(false);
    const bad = await configure(['--ops-grant-perms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid use of flag: --ops-grant-perms');
  });
});

async function runTaskAdmin(vmRef: MoRef, extraConfig: { key: string; value: string }[]): Promise<void> {
  const { runTask } = await import('../../src/vim/task.js');
  await runTask(admin, ReconfigVM_Task, { _this: vmRef, spec: { extraConfig } });
}
