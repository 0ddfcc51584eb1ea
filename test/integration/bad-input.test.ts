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
import { runVicMachine, STACK_TRACE, createArgs } from '../support/cli-process.js';
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
  await writeTestIso(path.join(dir, 'other-bootstrap.iso'), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
  // a real certificate and key, for the switched pair and the key given as a CA
  const { generateKeyPairSync, X509Certificate } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  void X509Certificate;
  fs.writeFileSync(path.join(dir, 'id_rsa.pub.missing'), '');
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
  return createArgs({ target: T(), isoDir: dir, name: 'vchbad' }, change);
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
  // connects, trusts nothing, and shows the server's thumbprints (test/integration/thumbprint.test.ts checks them)
  ['malformed thumbprint', () => ['ls', '--target', sim.host, '--user', 'admin', '--password', 'admin-pw', '--thumbprint', 'zz'], 3, /--thumbprint "zz" is not a certificate thumbprint/],
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
  // finding 8: a per-network value for a network no --container-network gives was dropped silently (create split at
  // the first colon, configure at the last); refused before connecting, naming the flag and the network, as 1.5
  ['--container-network-gateway of a mistyped network', () => create({ '--container-network': 'DC0_DVPG1:cn', '--container-network-gateway': 'NoSuch:10.1.0.1/24' }), 2,
    /container network gateway is set, but CONTAINER-NETWORK cannot be found.*--container-network-gateway.*"NoSuch" should be a vSphere network name/],
  ['--container-network-dns naming the alias, not the network', () => create({ '--container-network': 'DC0_DVPG1:cn', '--container-network-dns': 'cn:10.1.0.2' }), 2,
    /--container-network-dns.*"cn" should be a vSphere network name/],
  ['--container-network with two colons', () => create({ '--container-network': 'DC0_DVPG1:cn:x' }), 2, /Invalid value for parameter DC0_DVPG1:cn:x.*--container-network/],
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
  // every command without its target
  ...(['inspect', 'delete', 'configure', 'upgrade', 'debug'] as const).map((c): Row => [`${c} without --target`, () => [c], 2, /--target/]),
  ['inspect config without --target', () => ['inspect', 'config'], 2, /--target/],
  ['update firewall without --target', () => ['update', 'firewall', '--allow'], 2, /--target/],
  ['update firewall with both --allow and --deny', () => ['update', 'firewall', ...T(), '--compute-resource', 'DC0_C0', '--allow', '--deny'], 2, /--allow|--deny/],
  ['an extra argument', () => [...create(), 'extra'], 2, /extra/],
  // malformed values of create's other flags
  ['--cpu-shares not a level or number', () => create({ '--cpu-shares': 'lots' }), 2, /--cpu-shares/],
  ['--memory-shares not a level or number', () => create({ '--memory-shares': 'x:y' }), 2, /--memory-shares/],
  ['--cpu-reservation not a number', () => create({ '--cpu-reservation': 'some' }), 2, /--cpu-reservation/],
  ['--memory-reservation not a number', () => create({ '--memory-reservation': 'some' }), 2, /--memory-reservation/],
  ['--endpoint-memory not a number', () => create({ '--endpoint-memory': 'big' }), 2, /--endpoint-memory/],
  ['--endpoint-cpu not a number', () => create({ '--endpoint-cpu': 'two' }), 2, /--endpoint-cpu/],
  ['--containers not a number', () => create({ '--containers': 'many' }), 2, /--containers/],
  ['--storage-quota not a number', () => create({ '--storage-quota': 'plenty' }), 2, /--storage-quota/],
  ['--certificate-key-size not a number', () => create({ '--certificate-key-size': 'big' }), 2, /--certificate-key-size/],
  ['--name with a forbidden character', () => create({ '--name': 'bad*name' }), 2, /--name/],
  ['--http-proxy not a URL', () => create({ '--http-proxy': 'not a url' }), 2, /--http-proxy|proxy/i],
  ['--https-proxy with another scheme', () => create({ '--https-proxy': 'ftp://proxy.example.com' }), 2, /--https-proxy|proxy/i],
  ['--syslog-address without a transport', () => create({ '--syslog-address': 'logs.example.com' }), 2, /--syslog-address|syslog/i],
  ['--container-network-firewall unknown level', () => create({ '--container-network': 'DC0_DVPG1:net', '--container-network-firewall': 'DC0_DVPG1:wide-open' }), 2, /--container-network-firewall|trust level/i],
  ['--container-network-gateway not a CIDR', () => create({ '--container-network': 'DC0_DVPG1:net', '--container-network-gateway': 'DC0_DVPG1:nogateway' }), 2, /--container-network-gateway|gateway/i],
  ['--container-network-dns not an address', () => create({ '--container-network': 'DC0_DVPG1:net', '--container-network-dns': 'DC0_DVPG1:nodns' }), 2, /--container-network-dns|dns/i],
  ['--container-network port group that does not exist', () => create({ '--container-network': 'NoSuchPG:net' }), 2, /--container-network/],
  ['--volume-store on a datastore that does not exist', () => create({ '--volume-store': 'NoSuchDS/vols:default' }), 2, /--volume-store/],
  ['--client-network that does not exist', () => create({ '--client-network': 'NoSuchNet' }), 2, /--client-network/],
  ['--management-network that does not exist', () => create({ '--management-network': 'NoSuchNet' }), 2, /--management-network/],
  // ops user
  ['--ops-password without --ops-user', () => create({ '--ops-password': 'x' }), 2, /--ops-password|operations user/],
  ['--ops-grant-perms without --ops-user', () => create({ '--ops-grant-perms': '' }), 2, /--ops-grant-perms/],
  ['--ops-user without a password and no terminal', () => create({ '--ops-user': 'ops' }), 2, /--ops-password/],
  // certificates and ISOs
  ['--tls-server-key without its certificate', () => create({ '--no-tlsverify': null, '--tls-server-key': path.join(dir, 'key.pem') }), 2, /--tls-server-cert|--tls-server-key/],
  ['a private key given as --tls-ca', () => create({ '--no-tlsverify': null, '--tls-cname': 'vch.example.com', '--tls-ca': path.join(dir, 'key.pem') }), 2, /--tls-ca/],
  ['ISOs of two different versions', () => create({ '--bootstrap-iso': path.join(dir, 'other-bootstrap.iso') }), 2, /--bootstrap-iso/],
  ['upgrade with a missing ISO', () => ['upgrade', ...T(), '--name', 'nosuch', '--appliance-iso', path.join(dir, 'nonexistent.iso')], 2, /--appliance-iso/],
  // things that do not exist, for every command
  ['ls of a compute resource that does not exist', () => ['ls', ...T(), '--compute-resource', 'NoSuchCluster'], 5, /--compute-resource/],
  ['inspect of an id that does not exist', () => ['inspect', ...T(), '--id', 'vm-99999'], 5, /vm-99999/],
  ['inspect config of a VCH that does not exist', () => ['inspect', 'config', ...T(), '--name', 'nosuch'], 5, /nosuch/],
  ['upgrade of a VCH that does not exist', () => ['upgrade', ...T(), '--name', 'nosuch', '--appliance-iso', path.join(dir, 'appliance.iso'), '--bootstrap-iso', path.join(dir, 'bootstrap.iso')], 5, /nosuch/],
  ['configure of a VCH that does not exist', () => ['configure', ...T(), '--name', 'nosuch', '--dns-server', '1.1.1.1'], 5, /nosuch/],
  ['configure: --container-network-gateway of a mistyped network (finding 8)', () => ['configure', ...T(), '--name', 'nosuch', '--container-network', 'DC0_DVPG1:cn',
    '--container-network-gateway', 'NoSuch:10.1.0.1/24'], 2, /container network gateway is set, but CONTAINER-NETWORK cannot be found.*"NoSuch" should be a vSphere network name/],
  ['debug of a VCH that does not exist', () => ['debug', ...T(), '--name', 'nosuch', '--enable-ssh'], 5, /nosuch/],
  ['update firewall on a compute resource that does not exist', () => ['update', 'firewall', ...T(), '--compute-resource', 'NoSuchCluster', '--allow'], 5, /--compute-resource/],
  ['delete without a name: the default name does not exist', () => ['delete', ...T()], 5, /virtual-container-host/],
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
