// Bad input that used to pass validation and fail only while the appliance VM was created (after the resource pool
// and folder were made), or to be silently dropped (a gateway without its address: the VCH was created and the wait
// ran out): the rows of bad-input.test.ts, continued, for the checks of src/vic/validate/preflight.ts. Each row runs
// the real bin/vic-machine against the simulator and must be refused BEFORE CONNECTING (not one request reaches the
// simulator), exit 2, name every flag of the row in one message line, print no stack trace and no password, and
// leave nothing: the inventory, the datastore, the working directory (but the run's log) and the sessions as they were.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { datastoreEntries, runVicMachine, STACK_TRACE, createArgs } from '../support/cli-process.js';
import type { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';

const PASSWORD = 'admin-pw';
let sim: Vcsim;
let admin: Session;
let dir: string;

simulatorSuite({ tmpPrefix: 'vicm-preflight-', isos: true, vcsim: { username: 'admin', password: PASSWORD, firewallOpen: true } },
  (s) => ({ sim, admin, cwd: dir } = s));

const T = () => ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', PASSWORD, '--thumbprint', sim.thumbprintSHA1];

/** A create that would succeed but for what the row changes (`null` leaves a flag out). */
function create(change: Record<string, string | null> = {}): string[] {
  return createArgs({ target: T(), isoDir: dir, name: 'vchpre' }, change);
}

/** [what, command line, the flags one message line must name] */
type Row = [what: string, args: () => string[], flags: string[]];

const rows: Row[] = [
  // issue 13 item 2: the default width 16 with a /24 range failed while the VM was created (exit 1, after pool and folder)
  ['--bridge-network-range narrower than the default width', () => create({ '--bridge-network-range': '172.16.0.0/24' }), ['--bridge-network-range', '--bridge-network-width']],
  ['--bridge-network-width wider than its range', () => create({ '--bridge-network-range': '10.0.0.0/8', '--bridge-network-width': '4' }), ['--bridge-network-range', '--bridge-network-width']],
  ['--bridge-network-width past 30', () => create({ '--bridge-network-width': '31' }), ['--bridge-network-width']],
  ['--bridge-network-width not a number', () => create({ '--bridge-network-width': 'abc' }), ['--bridge-network-width']],
  // issue 13 item 3: a gateway without its address was dropped; the VCH was created and the wait ran out (exit 7)
  ['--public-network-gateway without --public-network-ip', () => create({ '--public-network-gateway': '10.0.0.1' }), ['--public-network-gateway', '--public-network-ip']],
  ['--client-network-gateway without --client-network-ip', () => create({ '--client-network': 'DC0_DVPG1', '--client-network-gateway': '10.1.0.0/16:10.0.0.1' }), ['--client-network-gateway', '--client-network-ip']],
  ['--management-network-gateway without --management-network-ip', () => create({ '--management-network': 'DC0_DVPG1', '--management-network-gateway': '10.1.0.0/16:10.0.0.1' }), ['--management-network-gateway', '--management-network-ip']],
  // 1.5's other static-address rules (validate/network.go): were not checked, the VM creation or the appliance failed
  ['--public-network-ip without a gateway', () => create({ '--public-network-ip': '10.0.0.5/24' }), ['--public-network-ip', '--public-network-gateway']],
  ['--public-network-gateway with routing destinations', () => create({ '--public-network-ip': '10.0.0.5/24', '--public-network-gateway': '10.9.0.0/16:10.0.0.1' }), ['--public-network-gateway']],
  ['--client-network-gateway without routing destinations', () => create({ '--client-network': 'DC0_DVPG1', '--client-network-ip': '10.1.0.5/24', '--client-network-gateway': '10.1.0.1' }), ['--client-network-gateway']],
  ['--client-network-ip on the public port group (client not given)', () => create({ '--client-network-ip': '10.0.0.6/24' }), ['--client-network-ip', '--client-network', '--public-network-ip']],
  ['--management-network-ip on the public port group', () => create({ '--management-network': 'VM Network', '--management-network-ip': '10.0.0.6/24', '--management-network-gateway': '10.1.0.0/16:10.0.0.1' }), ['--management-network-ip', '--public-network-ip']],
  ['--management-network-gateway not reachable from its address', () => create({ '--management-network': 'DC0_DVPG1', '--management-network-ip': '10.2.0.5/24', '--management-network-gateway': '10.1.0.0/16:10.3.0.1' }), ['--management-network-gateway', '--management-network-ip']],
  // issue 13 item 10: a CIDR as an insecure registry failed while the VM was created
  ['--insecure-registry given a CIDR', () => create({ '--insecure-registry': '10.0.0.0/8' }), ['--insecure-registry', '--whitelist-registry']],
  // other values the encoder refused late
  ['--base-image-size not a size', () => create({ '--base-image-size': '8XB' }), ['--base-image-size']],
  ['--endpoint-memory not a multiple of 4 MB (vSphere refuses it when the VM is created; the simulator takes it)', () => create({ '--endpoint-memory': '2050' }), ['--endpoint-memory']],
  ['--syslog-address with a port past 65535', () => create({ '--syslog-address': 'tcp://logs.example.com:99999' }), ['--syslog-address']],
  // a folder out of the datastore: the volume store's was made outside it (on the simulator; vSphere refuses it then)
  // and delete --force removed it again; the image store's only fails when the appliance makes it (the wait runs out)
  ['--volume-store climbing out of its datastore', () => create({ '--volume-store': 'LocalDS_0/../escaped:default' }), ['--volume-store']],
  ['--image-store climbing out of its datastore', () => create({ '--image-store': 'LocalDS_0/../images' }), ['--image-store']],
  ['--image-store climbing out, in the [datastore] path form', () => create({ '--image-store': '[LocalDS_0] ../images' }), ['--image-store']],
  // a registry CA that holds no certificate was stored as given: the appliance would trust nothing from it
  ['--registry-ca that is no certificate', () => create({ '--registry-ca': path.join(dir, 'appliance.iso') }), ['--registry-ca']],
  // configure: 1.5's configure has no appliance-network or registry-list flags; they stay unknown there
  ['configure --public-network-gateway (a create flag)', () => ['configure', ...T(), '--name', 'nosuch', '--public-network-gateway', '10.0.0.1'], ['--public-network-gateway']],
  ['configure --insecure-registry (a create flag)', () => ['configure', ...T(), '--name', 'nosuch', '--insecure-registry', '10.0.0.0/8'], ['--insecure-registry']],
  // configure's own values, now before it looks for the VCH (it connected and said "not found" first)
  ['configure --dns-server not an address', () => ['configure', ...T(), '--name', 'nosuch', '--dns-server', '300.1.1.1'], ['--dns-server']],
  ['configure --syslog-address without a transport', () => ['configure', ...T(), '--name', 'nosuch', '--syslog-address', 'logs.example.com'], ['--syslog-address']],
  ['configure --volume-store climbing out of its datastore', () => ['configure', ...T(), '--name', 'nosuch', '--volume-store', 'LocalDS_0/../escaped:default'], ['--volume-store']],
  ['configure --registry-ca that is no certificate', () => ['configure', ...T(), '--name', 'nosuch', '--registry-ca', path.join(dir, 'appliance.iso')], ['--registry-ca']],
  ['configure --https-proxy with another scheme', () => ['configure', ...T(), '--name', 'nosuch', '--https-proxy', 'ftp://proxy.example.com'], ['--https-proxy']],
];

describe('refused before connecting: exit 2, every flag named in one message, nothing created, no request made', () => {
  test.each(rows)('%s', async (_what, args, flags) => {
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const dsBefore = datastoreEntries(sim.datastores);
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    await sim.resetStats();
    const r = await runVicMachine(cwd, args());
    const requests = (await sim.stats()).total;
    if (r.code !== 2) console.log(`${args().join(' ')}\nexit ${r.code}\n${r.stderr}`);
    expect(r.code).toBe(2);
    const line = r.stderr.split('\n').find((l) => l.startsWith('vic-machine ')) ?? '';
    for (const f of flags) expect(line).toContain(f);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stderr).not.toMatch(/Connecting to|Creating resource pool/);
    // stats() and resetStats() themselves are not counted: nothing the command did reached the simulator
    expect(requests).toBe(0);
    expect(await paths()).toEqual(before);
    expect(datastoreEntries(sim.datastores)).toEqual(dsBefore);
    expect(fs.readdirSync(cwd).filter((f) => f !== 'vic-machine.log')).toEqual([]);
    expect(await sim.openSessions()).toBe(1);
  });

});

/** Rows refused by validation, after connecting (the names must be resolved to tell), and still before anything is made. */
const resolvedRows: Row[] = [
  // a name and a path of one port group: the encoder refused it while the VM was created (exit 1, after pool and folder)
  ['--client-network-ip on the public port group named by its path', () => create({ '--client-network': '/DC0/network/VM Network', '--client-network-ip': '10.0.0.6/24', '--client-network-gateway': '10.1.0.0/16:10.0.0.1' }), ['--client-network-ip', '--client-network', '--public-network-ip']],
  ['--client-network-ip and --management-network-ip on one port group, named two ways', () => create({
    '--client-network': 'DC0_DVPG1', '--management-network': '/DC0/network/DC0_DVPG1', '--client-network-ip': '10.2.0.6/24', '--management-network-ip': '10.2.0.7/24',
  }), ['--management-network-ip', '--client-network-ip']],
];

describe('refused by validation once the port groups are resolved: exit 2, the flags named, nothing created', () => {
  test.each(resolvedRows)('%s', async (_what, args, flags) => {
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const dsBefore = datastoreEntries(sim.datastores);
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    await sim.resetStats();
    const r = await runVicMachine(cwd, args());
    if (r.code !== 2) console.log(`${args().join(' ')}\nexit ${r.code}\n${r.stderr}`);
    expect(r.code).toBe(2);
    const line = r.stderr.split('\n').find((l) => l.startsWith('vic-machine ')) ?? '';
    for (const f of flags) expect(line).toContain(f);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toMatch(/Creating resource pool/);
    // read-only requests only
    expect(Object.keys((await sim.stats()).soap).filter((m) => !/^(RetrieveServiceContent|Login|Logout|RetrievePropertiesEx|RetrieveProperties|ContinueRetrievePropertiesEx|CreateContainerView|DestroyView|CreatePropertyCollector|DestroyPropertyCollector|FindByInventoryPath)$/.test(m))).toEqual([]);
    expect(await paths()).toEqual(before);
    expect(datastoreEntries(sim.datastores)).toEqual(dsBefore);
    expect(fs.readdirSync(cwd).filter((f) => f !== 'vic-machine.log')).toEqual([]);
    expect(await sim.openSessions()).toBe(1);
  });

  test('--json: the error carries each problem with its code and flag', async () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    const r = await runVicMachine(cwd, [...create({ '--bridge-network-range': '172.16.0.0/24', '--insecure-registry': '10.0.0.0/8' }), '--json']);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout) as { error: { type: string; code: string; flag: string; problems: { code: string; flag: string; message: string }[] } };
    expect(error.type).toBe('validation');
    expect(error.code).toBe('bridge-width-invalid');
    expect(error.problems.map((p) => [p.code, p.flag])).toEqual([['bridge-width-invalid', '--bridge-network-width'], ['registry-invalid', '--insecure-registry']]);
  });
});
