// Bad input about what --target and the inventory paths name, through the real bin/vic-machine (the rows of
// bad-input.test.ts, continued): inventory patterns that match several objects, a target that cannot be reached, a
// target that is not vCenter or ESXi, and an ESXi host managed by a vCenter. Each row must exit with the code of its
// class (2 usage/validation, 8 target; docs/json.md), name the flag and what would be valid (the candidates, or
// what --target must be), print no stack trace and no password, and leave nothing: the inventory, the working
// directory (but the run's log) and the simulator's sessions as they were.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { runVicMachine, STACK_TRACE, createArgs } from '../support/cli-process.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';
import { caSubject, createCaCertificate, generateRsaKeyPair } from '../../src/vic/certificates/index.js';

const PASSWORD = 'admin-pw';
let sim: Vcsim;
let admin: Session;
let dir: string;

// Two datacenters, each with two clusters (two child pools each), two datastores and two port groups: every kind of
// inventory path can match several objects.
simulatorSuite({ tmpPrefix: 'vicm-badtarget-', isos: true, vcsim: { username: 'admin', password: PASSWORD, firewallOpen: true, model: { dc: 2, cluster: 2, pool: 2, ds: 2 } } },
  (s) => ({ sim, admin, cwd: dir } = s));

const login = ['--user', 'admin', '--password', PASSWORD];
const T = (dc = '/DC0') => ['--target', `${sim.host}${dc}`, ...login, '--thumbprint', sim.thumbprintSHA1];

/** A create that would pass validation but for what the row changes (`null` leaves a flag out); --dry-run changes nothing even if it did. */
function create(change: Record<string, string | null> = {}, target = T()): string[] {
  return createArgs({ target: target, isoDir: dir, name: 'vchbad' }, change);
}

/** Runs a row in a fresh working directory; checks what every row must hold, returns what it printed. */
async function runRow(args: string[], code: number, env: Record<string, string> = {}) {
  const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
  const r = await runVicMachine(cwd, args, env);
  if (r.code !== code) console.log(`${args.join(' ')}\nexit ${r.code}\n${r.stderr}`);
  expect(r.code).toBe(code);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.stderr).not.toContain(PASSWORD);
  expect(fs.readdirSync(cwd).filter((f) => f !== 'vic-machine.log')).toEqual([]);
  return r;
}

/** The values listed under "Suggested values for <flag>:" (one `  "value"` per line). */
function suggested(stderr: string, flag: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.includes(`Suggested values for ${flag}:`));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^\s+"(.*)"$/.exec(l);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

type AmbiguousRow = [what: string, args: () => string[], flag: string, fragment: RegExp, candidates: string[]];

const ambiguous: AmbiguousRow[] = [
  ['--compute-resource "*": every cluster, host and pool', () => create({ '--compute-resource': '*' }), '--compute-resource',
    /--compute-resource="\*" as resource pool: path '\*' resolves to multiple resource pools/,
    ['DC0_C0', 'DC0_C1', 'DC0_H0', 'DC0_C0/Resources/DC0_C0_RP1', 'DC0_C1/Resources/DC0_C1_RP2']],
  // the pattern matches the clusters and, by name, their child pools: the clusters are what was most likely meant
  ['--compute-resource "DC0_C*": two clusters and their pools', () => create({ '--compute-resource': 'DC0_C*' }), '--compute-resource',
    /--compute-resource="DC0_C\*".*resolves to multiple/, ['DC0_C0', 'DC0_C1', 'DC0_C0/Resources/DC0_C0_RP1', 'DC0_C0/Resources/DC0_C0_RP2', 'DC0_C1/Resources/DC0_C1_RP1', 'DC0_C1/Resources/DC0_C1_RP2']],
  ['--compute-resource "DC0_C0/Resources/*": the cluster\'s two pools', () => create({ '--compute-resource': 'DC0_C0/Resources/*' }), '--compute-resource',
    /--compute-resource="DC0_C0\/Resources\/\*".*resolves to multiple/, ['DC0_C0/Resources/DC0_C0_RP1', 'DC0_C0/Resources/DC0_C0_RP2']],
  ['--bridge-network "DC0_DVPG*": two port groups', () => create({ '--bridge-network': 'DC0_DVPG*' }), '--bridge-network',
    /ambiguous network DC0_DVPG\* \(--bridge-network\)/, ['DC0_DVPG0', 'DC0_DVPG1']],
  ['--public-network "DC0_DVPG*": two port groups', () => create({ '--public-network': 'DC0_DVPG*', '--bridge-network': 'DC0_DVPG0' }), '--public-network',
    /Error checking network for --public-network: ambiguous network DC0_DVPG\*/, ['DC0_DVPG0', 'DC0_DVPG1']],
  ['--management-network "DC0_DVPG*": two port groups', () => create({ '--management-network': 'DC0_DVPG*' }), '--management-network',
    /Error checking network for --management-network: ambiguous network DC0_DVPG\*/, ['DC0_DVPG0', 'DC0_DVPG1']],
  ['--container-network "DC0_DVPG*": two port groups', () => create({ '--container-network': 'DC0_DVPG*:net' }), '--container-network',
    /Error adding container network "net": ambiguous network DC0_DVPG\* \(--container-network\)/, ['DC0_DVPG0', 'DC0_DVPG1']],
  ['create: --target with no datacenter, two datacenters', () => create({}, T('')), '--target',
    /Datacenter must be specified in --target/, ['DC0', 'DC1']],
];

// A datastore pattern is no pattern: vic-machine 1.5 refuses "*" in --image-store and --volume-store
// (CheckUnsupportedCharsDatastore), and so does our one datastore-location parser, before connecting.
const datastorePatterns: [string, () => string[], string, RegExp][] = [
  ['--image-store "LocalDS_*"', () => create({ '--image-store': 'LocalDS_*' }), '--image-store', /unsupported character "\*" in "LocalDS_\*"/],
  ['--volume-store on "LocalDS_*"', () => create({ '--volume-store': 'LocalDS_*/volumes:default' }), '--volume-store', /unsupported character "\*" in "LocalDS_\*\/volumes"/],
];

describe('datastore patterns: exit 2 before connecting, the flag and the allowed characters named, nothing created', () => {
  test.each(datastorePatterns)('%s', async (_what, args, flag, fragment) => {
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const r = await runRow(args(), 2);
    expect(r.stderr).toMatch(fragment);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toMatch(/allowed characters are/);
    expect(await paths()).toEqual(before);
    expect(await sim.openSessions()).toBe(1);
  });
});

describe('inventory paths that match several objects: exit 2, the flag, every candidate listed, nothing created', () => {
  test.each(ambiguous)('%s', async (_what, args, flag, fragment, candidates) => {
    const paths = async () => [...(await loadInventory(admin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const r = await runRow(args(), 2);
    expect(r.stderr).toMatch(fragment);
    const listed = suggested(r.stderr, flag);
    for (const c of candidates) expect(listed).toContain(c);
    expect(await paths()).toEqual(before);
    expect(await sim.openSessions()).toBe(1);
  });

  // the commands about one VCH (and ls) share one lookup: its messages name the flag and the candidates inline
  test.each([
    ['inspect', () => ['inspect', ...T(''), '--name', 'x'], /--target names no datacenter and there are 2 \(add one to --target, e\.g\. https:\/\/host\/DC0, https:\/\/host\/DC1\)/],
    ['delete', () => ['delete', ...T(''), '--name', 'x'], /--target names no datacenter and there are 2 .*https:\/\/host\/DC1/],
    ['ls --compute-resource "DC0_C*"', () => ['ls', ...T(), '--compute-resource', 'DC0_C*'], /--compute-resource 'DC0_C\*' matches \d+ objects: "DC0_C0", .*"DC0_C1"/],
    ['update firewall --compute-resource "*"', () => ['update', 'firewall', ...T(), '--compute-resource', '*', '--allow'], /--compute-resource '\*' matches \d+ objects: "DC0_H0", .*"DC0_C1"/],
  ] as const)('%s: exit 2 naming the flag and the candidates', async (_what, args, fragment) => {
    const r = await runRow(args(), 2);
    expect(r.stderr).toMatch(fragment);
    expect(await sim.openSessions()).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Targets that are not vSphere, on loopback at free ports, with a certificate of their own (pinned with
// --thumbprint, so that trust is not what fails).

interface Endpoint { port: number; connections(): number; close(): Promise<void> }

function listening(server: net.Server): Promise<Endpoint> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      connections: () => connections,
      close: () => new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
    }));
  });
}

let tls: { key: string; cert: string; thumbprint: string };
const servers: Record<string, Endpoint> = {};
let closedPort: number;

beforeAll(async () => {
  const key = await generateRsaKeyPair(2048);
  const { certPem, keyPem } = await createCaCertificate(key, caSubject('not-vsphere.test', ['bad-input test']));
  tls = { key: keyPem, cert: certPem, thumbprint: new X509Certificate(certPem).fingerprint };
  const answer = (status: number, type: string, body: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  servers.html404 = await listening(https.createServer(tls, answer(404, 'text/html', '<html><body><h1>404 Not Found</h1></body></html>')));
  servers.json200 = await listening(https.createServer(tls, answer(200, 'application/json', '{"status":"ok","service":"something else"}')));
  servers.html200 = await listening(https.createServer(tls, answer(200, 'text/html', '<html><head><title>Welcome</title></head><body>It works!</body></html>')));
  servers.plainHttp = await listening(http.createServer(answer(200, 'text/plain', 'hello')));
  // accepts, completes TLS, reads the request and never answers
  servers.silent = await listening(https.createServer(tls, () => undefined));
  // accepts the TCP connection and closes it at once
  servers.hangup = await listening(net.createServer((s) => s.destroy()));
  // accepts the TCP connection and never starts TLS (as a port behind a firewall that drops packets: nothing comes back)
  servers.mute = await listening(net.createServer(() => undefined));
  const probe = await listening(net.createServer());
  closedPort = probe.port;
  await probe.close();
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

const at = (name: string) => ['--target', `127.0.0.1:${servers[name]!.port}`, ...login, '--thumbprint', tls.thumbprint];

type TargetRow = [what: string, args: () => string[], fragment: RegExp, hint: RegExp, env?: Record<string, string>];

const NOT_VSPHERE_HINT = /\(--target must be the address of a vCenter Server or an ESXi host\)/;
const UNREACHABLE_HINT = /\(check --target: the address of a vCenter Server or an ESXi host, with its port if not 443\)/;

const targets: TargetRow[] = [
  ['ls on a closed port', () => ['ls', '--target', `127.0.0.1:${closedPort}`, ...login, '--thumbprint', tls.thumbprint],
    /cannot connect to 127\.0\.0\.1:\d+: connection refused: nothing listens on port \d+/, UNREACHABLE_HINT],
  ['create on a closed port', () => create({}, ['--target', `127.0.0.1:${closedPort}/DC0`, ...login, '--thumbprint', tls.thumbprint]),
    /cannot connect to 127\.0\.0\.1:\d+: connection refused/, UNREACHABLE_HINT],
  ['delete on a closed port, no thumbprint', () => ['delete', '--target', `127.0.0.1:${closedPort}`, ...login, '--name', 'x'],
    /cannot connect to 127\.0\.0\.1:\d+: connection refused/, UNREACHABLE_HINT],
  // --force without --thumbprint probes the certificate first: its failure is said the same way
  ['delete --force on a closed port', () => ['delete', '--target', `127.0.0.1:${closedPort}`, ...login, '--name', 'x', '--force'],
    /cannot connect to 127\.0\.0\.1:\d+: connection refused/, UNREACHABLE_HINT],
  ['ls on a name that does not resolve', () => ['ls', '--target', 'no-such-host.invalid', ...login, '--thumbprint', tls.thumbprint],
    /cannot connect to no-such-host\.invalid: the name "no-such-host\.invalid" (does not resolve|could not be resolved)/, UNREACHABLE_HINT],
  ['inspect on a name that does not resolve', () => ['inspect', '--target', 'no-such-host.invalid/DC0', ...login, '--thumbprint', tls.thumbprint, '--name', 'x'],
    /cannot connect to no-such-host\.invalid: the name/, UNREACHABLE_HINT],
  ['ls on a server that closes every connection', () => ['ls', ...at('hangup')],
    /cannot connect to 127\.0\.0\.1:\d+: /, UNREACHABLE_HINT],
  ['ls on a server that never answers (VIC_MACHINE_API_TIMEOUT=1s)', () => ['ls', ...at('silent')],
    /cannot connect to 127\.0\.0\.1:\d+: no answer \(no answer within 1 s\)/, /\(check --target; .*VIC_MACHINE_API_TIMEOUT/, { VIC_MACHINE_API_TIMEOUT: '1s' }],
  ['ls on a server that never starts TLS (VIC_MACHINE_API_TIMEOUT=1s bounds the handshake too)', () => ['ls', ...at('mute')],
    /cannot connect to 127\.0\.0\.1:\d+: no answer \(no TLS handshake with 127\.0\.0\.1:\d+ within 1 s\)/, /\(check --target: nothing completed a connection there/, { VIC_MACHINE_API_TIMEOUT: '1s' }],
  ['ls on a web server answering 404', () => ['ls', ...at('html404')],
    /127\.0\.0\.1:\d+ is not a vSphere endpoint: POST \/sdk answered HTTP 404 Not Found/, NOT_VSPHERE_HINT],
  ['create on a web server answering 404', () => create({}, [...at('html404').map((a) => a.startsWith('127.0.0.1:') ? `${a}/DC0` : a)]),
    /is not a vSphere endpoint: POST \/sdk answered HTTP 404/, NOT_VSPHERE_HINT],
  ['ls on a server answering 200 with JSON', () => ['ls', ...at('json200')],
    /127\.0\.0\.1:\d+ is not a vSphere endpoint: its answer to POST \/sdk is not SOAP/, NOT_VSPHERE_HINT],
  ['ls on a server answering 200 with an HTML page', () => ['ls', ...at('html200')],
    /127\.0\.0\.1:\d+ is not a vSphere endpoint: its answer to POST \/sdk is not SOAP/, NOT_VSPHERE_HINT],
  ['ls on a plain-HTTP server', () => ['ls', ...at('plainHttp')],
    /127\.0\.0\.1:\d+ is not a vSphere endpoint: it does not speak TLS \(HTTPS\) on port \d+/, NOT_VSPHERE_HINT],
  ['create --force on a plain-HTTP server', () => create({ '--force': '' }, ['--target', `127.0.0.1:${servers.plainHttp!.port}/DC0`, ...login]),
    /127\.0\.0\.1:\d+ is not a vSphere endpoint: it does not speak TLS \(HTTPS\) on port \d+/, NOT_VSPHERE_HINT],
  ['update firewall on a plain-HTTP server', () => ['update', 'firewall', ...at('plainHttp'), '--allow'],
    /is not a vSphere endpoint: it does not speak TLS/, NOT_VSPHERE_HINT],
];

describe('a target that cannot be reached or is not vSphere: exit 8, one line naming --target and why, at once', () => {
  test.each(targets)('%s', async (_what, args, fragment, hint, env = {}) => {
    const r = await runRow(args(), 8, env);
    const error = r.stderr.split('\n').filter((l) => l.startsWith('vic-machine '));
    expect(error).toHaveLength(1);
    expect(error[0]).toMatch(fragment);
    expect(error[0]).toMatch(hint);
    // no parser dump, no HTML of the page
    expect(r.stderr).not.toMatch(/<html|<body|Unexpected|XMLParser|SyntaxError/i);
    // no hang: connection errors are immediate; the silent server is bounded by VIC_MACHINE_API_TIMEOUT (1 s, tried twice)
    expect(r.ms).toBeLessThan(8000);
  });

  test('a connection that never completes is tried once: TCP already resent its SYN; a retry would double the wait', async () => {
    const before = servers.mute!.connections();
    await runRow(['ls', ...at('mute')], 8, { VIC_MACHINE_API_TIMEOUT: '1s' });
    expect(servers.mute!.connections() - before).toBe(1);
    // an answer that never comes (TLS done, no SOAP answer) is a request timeout: RetrieveServiceContent is idempotent, tried twice
    const silent = servers.silent!.connections();
    await runRow(['ls', ...at('silent')], 8, { VIC_MACHINE_API_TIMEOUT: '1s' });
    expect(servers.silent!.connections() - silent).toBe(2);
  });

  test('--json: the error object has type "target" and flag --target', async () => {
    const r = await runRow(['ls', ...at('html404'), '--json'], 8);
    const { error } = JSON.parse(r.stdout) as { error: { type: string; flag: string; message: string; hint: string } };
    expect(error).toMatchObject({ type: 'target', flag: '--target', hint: '--target must be the address of a vCenter Server or an ESXi host' });
    expect(error.message).toMatch(/is not a vSphere endpoint: POST \/sdk answered HTTP 404 Not Found$/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// An ESXi host joined to a vCenter (summary.managementServerIp set): create refuses it, as vic-machine 1.5 does.

describe('an ESXi host managed by a vCenter', () => {
  let esx: Vcsim;
  let esxAdmin: Session;
  beforeAll(async () => {
    esx = await startVcsim({ esx: true, firewallOpen: true, username: 'admin', password: PASSWORD, managedBy: '10.0.0.1' });
    esxAdmin = await Session.connect({ url: esx.url, user: 'admin', password: PASSWORD, trust: { thumbprint: esx.thumbprintSHA1 } });
  });
  afterAll(async () => {
    await esxAdmin?.logout().catch(() => undefined);
    await esx?.stop();
  });
  const E = () => ['--target', esx.host, ...login, '--thumbprint', esx.thumbprintSHA1];

  test('create: exit 2 naming --target and the vCenter\'s address, nothing created', async () => {
    const paths = async () => [...(await loadInventory(esxAdmin, { includeVMs: true })).objects].map((o) => o.path).sort();
    const before = await paths();
    const r = await runRow(['create', ...E(), '--appliance-iso', path.join(dir, 'appliance.iso'), '--bootstrap-iso', path.join(dir, 'bootstrap.iso'),
      '--name', 'vchbad', '--image-store', 'LocalDS_0', '--no-tlsverify'], 2);
    expect(r.stderr).toMatch(/Target is managed by vCenter server "10\.0\.0\.1", please change --target to vCenter server address or select a standalone ESXi/);
    expect(suggested(r.stderr, '--target')).toEqual(['10.0.0.1']);
    expect(await paths()).toEqual(before);
    expect(await esx.openSessions()).toBe(1);
  });

  // Reading is harmless, and the host does show the VCHs' VMs: ls and inspect go on, with a warning naming the vCenter
  // (read in the same round trip as the inventory: ls stays at 4 SOAP calls).
  test('ls: exit 0 with a warning naming the vCenter, no extra round trip', async () => {
    await esx.resetStats();
    const r = await runRow(['ls', ...E()], 0);
    expect(r.stderr).toMatch(/Warning: Target is managed by vCenter server "10\.0\.0\.1": manage its VCHs through the vCenter \(--target 10\.0\.0\.1\)/);
    const soap = (await esx.stats()).soap;
    expect(Object.values(soap).reduce((a, b) => a + b, 0)).toBe(4);
    expect(await esx.openSessions()).toBe(1);
  });

  test('inspect: the same warning, then the usual not-found (exit 5)', async () => {
    const r = await runRow(['inspect', ...E(), '--name', 'nosuch'], 5);
    expect(r.stderr).toMatch(/Warning: Target is managed by vCenter server "10\.0\.0\.1"/);
    expect(r.stderr).toMatch(/Didn't find VCH "nosuch"/);
    expect(await esx.openSessions()).toBe(1);
  });

  test('a standalone ESXi host (not managed): no such warning', async () => {
    const standalone = await startVcsim({ esx: true, username: 'admin', password: PASSWORD });
    try {
      const r = await runRow(['ls', '--target', standalone.host, ...login, '--thumbprint', standalone.thumbprintSHA1], 0);
      expect(r.stderr).not.toMatch(/managed by vCenter/);
    } finally {
      await standalone.stop();
    }
  });
});
