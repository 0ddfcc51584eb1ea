// Bad input, table-driven, through the real bin/vic-machine against one simulator: each row is a command line with
// one thing wrong; it must exit with the code of its class (2 usage/validation, 3 TLS trust, 4 authentication,
// 5 not found), say what is wrong naming the flag (the fragment), print no stack trace, and create nothing: the
// inventory, the datastores and the working directory (but the run's log) stay as they were.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { runVicMachine, STACK_TRACE } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';


let sim: Vcsim;
let admin: Session;
let dir: string;

beforeAll(async () => {
  sim = await startVcsim({ username: 'admin', password: 'admin-pw', firewallOpen: true });
  admin = await Session.connect({ url: sim.url, user: 'admin', password: 'admin-pw', trust: { thumbprint: sim.thumbprintSHA1 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-badinput-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(dir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
  fs.writeFileSync(path.join(dir, 'not-an-iso.iso'), 'just text, no ISO 9660 volume descriptor');
  fs.writeFileSync(path.join(dir, 'garbage.pem'), 'not a certificate');
});
afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const vicMachine = runVicMachine;

const T = () => ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'admin-pw', '--thumbprint', sim.thumbprintSHA1];
/** A create that would succeed but for what the row changes (each value given once; `without` leaves flags out). */
function create(change: Record<string, string | null> = {}): string[] {
  const flags: Record<string, string | null> = {
    '--compute-resource': 'DC0_C0', '--appliance-iso': path.join(dir, 'appliance.iso'), '--bootstrap-iso': path.join(dir, 'bootstrap.iso'),
    '--name': 'vchbad', '--image-store': 'LocalDS_0', '--bridge-network': 'DC0_DVPG0', '--public-network': 'VM Network',
    '--no-tlsverify': '', '--timeout': '20s', ...change,
  };
  const out = ['create', ...T()];
  for (const [k, v] of Object.entries(flags)) {
    if (v === null) continue;
    out.push(k);
    if (v !== '') out.push(v);
  }
  return out;
}

type Row = [what: string, args: () => string[], code: number, fragment: RegExp];

const rows: Row[] = [
  // usage: unknown, malformed, missing
  ['unknown command', () => ['nosuchcommand'], 2, /unknown command 'nosuchcommand'/],
  ['unknown flag', () => ['create', '--bogus-flag'], 2, /--bogus-flag/],
  ['ls without --target', () => ['ls'], 2, /--target/],
  ['empty --target', () => ['ls', '--target', ''], 2, /--target/],
  ['no user', () => ['ls', '--target', sim.host, '--thumbprint', sim.thumbprintSHA1], 2, /--user/],
  ['--cpu not a number', () => create({ '--cpu': 'abc' }), 2, /--cpu/],
  ['--memory not a number', () => create({ '--memory': 'lots' }), 2, /--memory/],
  ['--timeout not a duration', () => create({ '--timeout': 'banana' }), 2, /--timeout/],
  ['malformed thumbprint', () => ['ls', '--target', sim.host, '--user', 'admin', '--password', 'admin-pw', '--thumbprint', 'zz'], 2, /--thumbprint/],
  ['--debug out of range', () => ['ls', ...T(), '--debug', 'x'], 2, /--debug/],
  ['update firewall without --allow/--deny', () => ['update', 'firewall', ...T(), '--compute-resource', 'DC0_C0'], 2, /--allow|--deny/],
  // names
  ['--name with a slash', () => create({ '--name': 'a/b' }), 2, /--name/],
  ['--name too long', () => create({ '--name': 'x'.repeat(40) }), 2, /--name/],
  ['--name empty', () => [...create({ '--name': null }), '--name='], 2, /--name/],
  // networks and addresses
  ['--dns-server not an address', () => create({ '--dns-server': '300.1.1.1' }), 2, /--dns-server/],
  ['--public-network-ip with a bad prefix', () => create({ '--public-network-ip': '10.0.0.5/99', '--public-network-gateway': '10.0.0.1' }), 2, /--public-network-ip/],
  ['--public-network-gateway not an address', () => create({ '--public-network-ip': '10.0.0.5/24', '--public-network-gateway': 'notanip' }), 2, /--public-network-gateway/],
  ['--bridge-network-range bad CIDR', () => create({ '--bridge-network-range': '10.0.0.0/40' }), 2, /--bridge-network-range/],
  ['--container-network-ip-range without a network', () => create({ '--container-network-ip-range': 'foo' }), 2, /--container-network/],
  ['--bridge-network equal to --public-network', () => create({ '--bridge-network': 'VM Network' }), 2, /--bridge-network/],
  // ISOs
  ['missing appliance ISO', () => create({ '--appliance-iso': path.join(dir, 'nonexistent.iso') }), 2, /--appliance-iso|appliance/],
  ['appliance ISO that is no ISO', () => create({ '--appliance-iso': path.join(dir, 'not-an-iso.iso') }), 2, /--appliance-iso|appliance/],
  ['missing bootstrap ISO', () => create({ '--bootstrap-iso': path.join(dir, 'nonexistent.iso') }), 2, /--bootstrap-iso|bootstrap/],
  // certificates
  ['--tls-server-cert without its key', () => create({ '--no-tlsverify': null, '--tls-server-cert': path.join(dir, 'garbage.pem') }), 2, /--tls-server-key|--tls-server-cert/],
  ['--tls-ca that does not exist', () => create({ '--no-tlsverify': null, '--tls-cname': 'vch.example.com', '--tls-ca': path.join(dir, 'nonexistent.pem') }), 2, /--tls-ca/],
  ['--tls-ca that is no certificate', () => create({ '--no-tlsverify': null, '--tls-cname': 'vch.example.com', '--tls-ca': path.join(dir, 'garbage.pem') }), 2, /--tls-ca/],
  // inventory paths that do not exist
  ['--compute-resource that does not exist', () => create({ '--compute-resource': 'NoSuchCluster' }), 2, /--compute-resource/],
  ['--image-store that does not exist', () => create({ '--image-store': 'NoSuchDS' }), 2, /--image-store/],
  ['--bridge-network that does not exist', () => create({ '--bridge-network': 'NoSuchPG' }), 2, /--bridge-network/],
  ['--public-network that does not exist', () => create({ '--public-network': 'NoSuchNet' }), 2, /--public-network/],
  ['datacenter in --target that does not exist', () => ['ls', '--target', `${sim.host}/NoSuchDC`, '--user', 'admin', '--password', 'admin-pw', '--thumbprint', sim.thumbprintSHA1], 5, /NoSuchDC/],
  ['inspect of a VCH that does not exist', () => ['inspect', ...T(), '--name', 'nosuch'], 5, /nosuch/],
  ['delete of a VCH that does not exist', () => ['delete', ...T(), '--name', 'nosuch'], 5, /nosuch/],
  // credentials and trust
  ['wrong password', () => ['ls', '--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'wrong', '--thumbprint', sim.thumbprintSHA1], 4, /password|login|authenticat/i],
  ['wrong user', () => ['ls', '--target', `${sim.host}/DC0`, '--user', 'nobody', '--password', 'admin-pw', '--thumbprint', sim.thumbprintSHA1], 4, /password|login|authenticat/i],
  ['wrong thumbprint', () => ['ls', '--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'admin-pw', '--thumbprint', Array(20).fill('AB').join(':')], 3, /thumbprint/],
  ['no thumbprint, untrusted certificate, no terminal', () => ['ls', '--target', `${sim.host}/DC0`, '--user', 'admin', '--password', 'admin-pw'], 3, /--thumbprint/],
];

/**
 * Rows whose value passes the checks before provisioning and is refused only while the appliance VM is created (the
 * configuration encoder): the value is named and everything rolled back, but the exit is 1, the message does not
 * name the flag, and vSphere was written to first. Product bugs (validation must check them); remove a row here when it is fixed.
 */
// none open: --dns-server and --bridge-network-range are now checked before connecting (src/vic/create/create-vch.ts)
const KNOWN = new Set<string>();

describe('bad input: one clear message naming the flag, the exit code of its class, nothing created', () => {
  test.each(rows.filter(([what]) => !KNOWN.has(what)))('%s', async (_what, args, code, fragment) => {
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    const r = await vicMachine(cwd, args());
    if (r.code !== code || !fragment.test(r.stderr)) console.log(`${args().join(' ')}\nexit ${r.code}\n${r.stderr}`);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(fragment);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).not.toContain('admin-pw');
    expect(await paths()).toEqual(before);
    expect(fs.readdirSync(cwd).filter((f) => f !== 'vic-machine.log')).toEqual([]);
    expect(await sim.openSessions()).toBe(1);
  });
});
