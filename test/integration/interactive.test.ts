// The prompts of issue 8 item 3, through the real bin/vic-machine on a real pseudo-terminal (python3's pty module
// gives the child a terminal on stdin and stdout, as an admin's shell does), and the same commands without one.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');
const PASSWORD = 'Pty-S3cret!pw';

let sim: Vcsim;
let cwd: string;
let ptyHelper: string;

beforeAll(async () => {
  sim = await startVcsim({ username: 'admin', password: PASSWORD });
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-interactive-'));
  ptyHelper = path.join(cwd, 'pty-run.py');
  // The child gets a pseudo-terminal as stdin, stdout and stderr; the test's pipe is copied to it and its output back.
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
  fs.writeFileSync(ptyHelper, 'import os, pty, sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))\n');
});
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(cwd, { recursive: true, force: true });
});

const env = () => ({ ...process.env, NO_COLOR: '1', TERM: 'xterm', VIC_MACHINE_LOG_FILE: path.join(cwd, 'vic-machine.log') });
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

interface Run { code: number; output: string; answered: number }

/**
 * Runs vic-machine on a terminal. Each answer is typed only once its question has appeared (text typed earlier would
 * be echoed by the terminal before the prompt turns echo off), in order.
 */
function onTerminal(args: string[], answers: [RegExp, string][] = []): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn('python3', [ptyHelper, process.execPath, bin, ...args], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let next = 0;
    let searchFrom = 0;
    const kill = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const text = plain(output);
      while (next < answers.length) {
        const m = answers[next]![0].exec(text.slice(searchFrom));
        if (!m) break;
        searchFrom += m.index + m[0].length;
        p.stdin.write(answers[next]![1]);
        next++;
      }
    });
    p.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    p.on('exit', (code) => { clearTimeout(kill); resolve({ code: code ?? -1, output: plain(output), answered: next }); });
  });
}

/** The same without a terminal: pipes everywhere, stdin closed. */
function withoutTerminal(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The certificate the simulator presents, read here independently of vic-machine. */
function certificateOf(hostPort: string): Promise<X509Certificate> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(new X509Certificate(s.getPeerCertificate(false).raw));
      s.end();
    });
    s.on('error', reject);
  });
}

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'admin'];

describe('on a terminal', () => {
  test('a missing password is asked for (masked); an unknown certificate is shown and, once accepted, pinned and printed', async () => {
    const r = await onTerminal(['ls', ...target()], [[/vSphere password for admin:/, `${PASSWORD}\r`], [/Trust this certificate/, 'y\r']]);
    expect(r.answered).toBe(2);
    expect(r.code).toBe(0);
    // What the admin needs to decide: who it is for, who signed it, when it is valid, both thumbprints.
    const cert = await certificateOf(sim.host);
    expect(r.output).toContain(`subject:  ${cert.subject.replace(/\n/g, ', ')}`);
    expect(r.output).toContain(`issuer:   ${cert.issuer.replace(/\n/g, ', ')}`);
    expect(r.output).toContain(`valid:    ${cert.validFrom} to ${cert.validTo}`);
    expect(r.output).toContain(`SHA-1:    ${sim.thumbprintSHA1}`);
    expect(r.output).toContain(`SHA-256:  ${cert.fingerprint256}`);
    expect(r.output).toContain(`pass --thumbprint=${sim.thumbprintSHA1}`);
    // ls ran: its table header
    expect(r.output).toMatch(/ID\s+PATH\s+NAME\s+VERSION/);
    expect(r.output).not.toContain(PASSWORD);
    expect(fs.readFileSync(path.join(cwd, 'vic-machine.log'), 'utf8')).not.toContain(PASSWORD);
  });

  test('refusing the certificate ends with the exact --thumbprint to pass, exit 3, before any request', async () => {
    const before = (await sim.stats()).soap;
    const r = await onTerminal(['ls', ...target(), '--password', PASSWORD], [[/Trust this certificate/, 'n\r']]);
    expect(r.answered).toBe(1);
    expect(r.code).toBe(3);
    expect(r.output).toContain(`--thumbprint=${sim.thumbprintSHA1}`);
    expect(r.output).not.toMatch(/ID\s+PATH\s+NAME/);
    expect((await sim.stats()).soap).toEqual(before);
  });

  test('--force does not ask: it accepts the certificate and always prints what it accepted', async () => {
    const r = await onTerminal(['delete', ...target(), '--password', PASSWORD, '--name', 'no-such-vch', '--force']);
    expect(r.output).not.toContain('Trust this certificate');
    expect(r.output).toContain(`--force: accepting the certificate of ${sim.host}`);
    expect(r.output).toContain(`SHA-1:    ${sim.thumbprintSHA1}`);
    // it went on to look for the VCH
    expect(r.code).toBe(5);
  });

  test('with --thumbprint there is nothing to ask', async () => {
    const r = await onTerminal(['ls', ...target(), '--password', PASSWORD, '--thumbprint', sim.thumbprintSHA1]);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain('Trust this certificate');
  });
});

describe('without a terminal', () => {
  test('never a prompt: an unknown certificate fails with its thumbprints and the exact --thumbprint to pass', async () => {
    const r = await withoutTerminal(['ls', ...target(), '--password', PASSWORD]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('Trust this certificate');
    expect(r.stderr).toContain(`--thumbprint ${sim.thumbprintSHA1}`);
    expect(r.stderr).toMatch(/SHA-256 thumbprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  test('never a prompt: a missing password is an error naming --password', async () => {
    const r = await withoutTerminal(['ls', ...target(), '--thumbprint', sim.thumbprintSHA1]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password');
    expect(r.stderr).not.toContain('vSphere password for admin:');
  });
});

describe('create on a terminal with required choices left out', () => {
  let wide: Vcsim;
  beforeAll(async () => {
    // Two datacenters, each with a cluster and a standalone host, two datastores and two port groups: nothing to default.
    wide = await startVcsim({ username: 'admin', password: PASSWORD, model: { dc: 2, ds: 2 }, firewallOpen: true });
  });
  afterAll(async () => { await wide?.stop(); });

  const DOWN = '\u001b[B';
  test('offers the datacenters, compute resources, datastores and networks that exist, and goes on with the chosen ones', async () => {
    await wide.resetStats();
    const r = await onTerminal(['create', '--target', wide.host, '--user', 'admin', '--password', PASSWORD, '--thumbprint', wide.thumbprintSHA1,
      '--name', 'vch-chosen', '--no-tlsverify', '--dry-run'], [
      [/Datacenter[^\n]*\n[^]*DC1/, `${DOWN}\r`],
      [/Compute resource \(--compute-resource\)[^]*DC1_H0/, `${DOWN}\r`],
      [/Datastore for the images \(--image-store\)[^]*LocalDS_1/, `${DOWN}\r`],
      [/Bridge network[^]*DC1_DVPG1/, `${DOWN}\r`],
    ]);
    expect(r.answered).toBe(4);
    if (r.code !== 0) console.log(r.output);
    expect(r.code).toBe(0);
    // what was offered is what exists
    expect(r.output).toMatch(/Datacenter\s+❯ DC0\s+DC1/);
    expect(r.output).toMatch(/\(--compute-resource\)\s+❯ DC1_C0\s+DC1_H0/);
    expect(r.output).toMatch(/\(--image-store\)\s+❯ LocalDS_0\s+LocalDS_1/);
    expect(r.output).toContain('Chosen: --compute-resource=DC1_H0');
    // and the plan is made of the chosen values
    const plan = r.output.slice(r.output.indexOf('Dry run'));
    expect(plan).toContain('VCH "vch-chosen" in /DC1, compute resource /DC1/host/DC1_H0/Resources');
    expect(plan).toContain('files in [LocalDS_1] vch-chosen');
    expect(plan).toMatch(/DC1_DVPG1 \(bridge\)/);
    // the sessions of both attempts were logged out
    expect(await wide.openSessions()).toBe(0);
    // The cost of asking: each attempt is one login and validation's batched reads, so the whole interactive run
    // (a datacenter round, then a round for the rest, then the plan) costs at most three direct runs.
    const asked = Object.values((await wide.stats()).soap).reduce((a, b) => a + b, 0);
    await wide.resetStats();
    const direct = await withoutTerminal(['create', '--target', `${wide.host}/DC1`, '--user', 'admin', '--password', PASSWORD, '--thumbprint', wide.thumbprintSHA1,
      '--name', 'vch-chosen', '--compute-resource', 'DC1_H0', '--image-store', 'LocalDS_1', '--bridge-network', 'DC1_DVPG1', '--no-tlsverify', '--dry-run']);
    expect(direct.code).toBe(0);
    const given = Object.values((await wide.stats()).soap).reduce((a, b) => a + b, 0);
    console.log(`create --dry-run SOAP round trips: ${asked} with the choices asked on a terminal, ${given} with them given as flags`);
    expect(asked).toBeLessThanOrEqual(3 * given);
  });

  test('a value the admin typed wrong is not asked again: the error stands, exit 2', async () => {
    const r = await onTerminal(['create', '--target', `${wide.host}/DC1`, '--user', 'admin', '--password', PASSWORD, '--thumbprint', wide.thumbprintSHA1,
      '--name', 'vch-typo', '--compute-resource', 'DC1_C9', '--image-store', 'LocalDS_1', '--bridge-network', 'DC1_DVPG0', '--no-tlsverify', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.output).toContain('--compute-resource');
    expect(r.output).not.toContain('Chosen:');
  });

  test('without a terminal the choices left out are an error listing what exists, no prompt', async () => {
    const r = await withoutTerminal(['create', '--target', `${wide.host}/DC1`, '--user', 'admin', '--password', PASSWORD, '--thumbprint', wide.thumbprintSHA1,
      '--name', 'vch-batch', '--no-tlsverify', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Suggested values for --compute-resource:\s+"DC1_C0"\s+"DC1_H0"/);
    expect(r.stderr).not.toContain('Chosen:');
  });
});
