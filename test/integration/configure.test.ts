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
import { Session } from '../../src/vim/session.js';
import { retrieveOne } from '../../src/vim/property-collector.js';
import { DatastoreFiles } from '../../src/vim/datastore-files.js';
import type { MoRef } from '../../src/vim/types.js';
import { locateVch } from '../../src/vic/vch/locate.js';
import { decodeVchConfig } from '../../src/vic/config/index.js';
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

const locate = () => locateVch(admin, { datacenterPath: '/DC0', name: 'vch-rich', extraPaths: CONFIGURE_INVENTORY_PATHS });
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
    expect(steps.map((s) => s.name)).toEqual(['update the resource pool', 'create volume store folder [LocalDS_0] vol3', 'power off the appliance', 'write the configuration', 'power on the appliance']);
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

/** Plays the appliance once it has been restarted with the new configuration (power on, components' started cleared). */
async function playAfterRestart(name: string, ip: string, signal: AbortSignal) {
  for (;;) {
    signal.throwIfAborted();
    const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'runtime.powerState', 'config.extraConfig']);
    const v = vms.find((x) => x.props['name'] === name);
    const ec = Object.fromEntries(((v?.props['config.extraConfig'] as { key: string; value: string }[]) ?? []).map((o) => [o.key, String(o.value)]));
    const started = ec['guestinfo.vice..init.sessions|vicadmin.started'];
    if (v?.props['runtime.powerState'] === 'poweredOn' && (!started || started === '<nil>')) return playAppliance(admin, name, ip, { requireClientCert: false, signal });
    await new Promise((r) => setTimeout(r, 50));
  }
}

(haveFixtures ? test : test.skip)('after the power-on the steps wait for the appliance and its Docker API with the VCH\'s certificate, as create does', async () => {
  const located = await locate();
  const p = prepareConfigure(located, input({ request: { debug: 2 } }));
  const stop = new AbortController();
  const appliance = playAfterRestart('vch-rich', '127.0.0.83', stop.signal);
  const lines: string[] = [];
  try {
    const steps = configureSteps(admin, located, p, { docker: dockerEndpointAfter(p), waitTimeoutMs: 30_000, log: (l) => lines.push(l) });
    expect(steps.map((s) => s.name)).toEqual(['power off the appliance', 'write the configuration', 'power on the appliance', 'wait for the appliance']);
    for (const s of steps) await s.run();
    expect(lines).toEqual(expect.arrayContaining(['Obtained IP address for client interface: "127.0.0.83"', 'Checking the Docker API at 127.0.0.83:2376']));
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

  test('several problems are all listed, each with its flag; a per-network flag for a port group no --container-network gives is refused before connecting', async () => {
    const r = await configure(['--volume-store', 'LocalDS_0/x:x', '--http-proxy', 'ftp://nope', '--dns-server', '1.2.3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: all existing volume stores must also be specified');
    expect(r.stderr).toContain('Error: Could not parse HTTP(S) proxy');
    expect(r.stderr).toContain('Error: Invalid DNS server specified: 1.2.3');
    expect(r.stderr).toMatch(/vic-machine configure: 3 problems with the configuration/);
    await sim.resetStats();
    const early = await configure(['--container-network-gateway', 'DC0_DVPG1:10.0.0.1/16']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('names port group "DC0_DVPG1", which no --container-network gives');
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

test('what configure cannot do yet is refused before connecting, saying nothing was changed', async () => {
  await sim.resetStats();
  for (const [flag, args] of [['--reset-progress', ['--reset-progress']], ['--rollback', ['--rollback']], ['--affinity-vm-group', ['--affinity-vm-group']]] as const) {
    const r = await runCli(['configure', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1, '--name', 'vch-rich', ...args, '--json'], os.tmpdir());
    expect(r.code).toBe(2);
    const err = (JSON.parse(r.stdout) as { error: { type: string; flag: string; message: string } }).error;
    expect(err).toMatchObject({ type: 'not-implemented', flag });
    expect(err.message).toContain('nothing was changed');
  }
  expect((await sim.stats()).total).toBe(0);
});
