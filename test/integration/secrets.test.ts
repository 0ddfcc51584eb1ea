// Secrets never leak: commands run through the real bin/vic-machine with known, distinctive secrets (the vSphere
// password, the ops user's password), and every byte they print, every log file (./vic-machine.log and the log
// uploaded next to the appliance), every non-key file they write and every file on the simulator's datastores is
// searched for them and for the private keys create generated. The appliance's .vmx holds the secrets only sealed.
// Certificate folders are 0700 and key files 0600, also when the folder existed before with looser modes.
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runVicMachine } from '../support/cli-process.js';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';

const PASSWORD = 'Vsphere-Pw-7Qz!k9';
const OPS_PASSWORD = 'Ops-Pw-3Xr#m2';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const outputs: { what: string; text: string }[] = [];

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-secrets-', isos: true }, (s) => ({ sim, admin, cwd } = s));

async function vicMachine(what: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runVicMachine(cwd, args, env);
  outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr });
  return r;
}

const target = (password = PASSWORD) => ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', password, '--thumbprint', sim.thumbprintSHA1];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The base64 body lines of a PEM private key: long enough that any of them appearing elsewhere is a leak. */
const keyBodyLines = (pem: string) => pem.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));

describe('secrets in output, logs and files', () => {
  test('create (tlsverify, ops user, an existing 0755 certificate folder), ls, inspect, inspect config, a failed create, delete', async () => {
    const ip = '127.0.0.121';
    const certDir = path.join(cwd, 'vchsec');
    fs.mkdirSync(certDir, { mode: 0o755 });
    fs.chmodSync(certDir, 0o755);
    const player = playAppliance(admin, 'vchsec', ip, { requireClientCert: true });
    const c = await vicMachine('create', ['create', ...target(), '--compute-resource', 'DC0_C0',
      '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'),
      '--name', 'vchsec', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
      '--tls-cname', ip, '--ops-user', 'opsuser', '--ops-password', OPS_PASSWORD, '--timeout', '30s']);
    await (await player).stop();
    if (c.code !== 0) console.log(c.stderr);
    expect(c.code).toBe(0);

    // Modes: the folder made 0700 although it existed as 0755; every key 0600.
    expect(fs.statSync(certDir).mode & 0o777).toBe(0o700);
    const keyFiles = fs.readdirSync(certDir).filter((f) => f.endsWith('key.pem')).map((f) => path.join(certDir, f));
    expect(keyFiles.length).toBeGreaterThanOrEqual(2); // server and client (and the CA's)
    for (const k of keyFiles) expect({ k, mode: fs.statSync(k).mode & 0o777 }).toEqual({ k, mode: 0o600 });
    const keyLines = keyFiles.flatMap((k) => keyBodyLines(fs.readFileSync(k, 'utf8')));
    expect(keyLines.length).toBeGreaterThan(10);

    await vicMachine('ls', ['ls', ...target()]);
    await vicMachine('inspect', ['inspect', ...target(), '--name', 'vchsec']);
    await vicMachine('inspect config', ['inspect', 'config', ...target(), '--name', 'vchsec']);
    await vicMachine('inspect --json', ['inspect', ...target(), '--name', 'vchsec', '--json']);
    // The password from the environment, and a command that fails after login (so its error path is covered too).
    await vicMachine('ls (env password)', ['ls', '--target', `${sim.host}/DC0`, '--user', 'admin', '--thumbprint', sim.thumbprintSHA1],
      { VIC_MACHINE_PASSWORD: PASSWORD });
    await sim.injectFaults({ method: 'ReconfigVM_Task', nth: 1, kind: 'soapfault', fault: 'InvalidState' });
    const failed = await vicMachine('failed create', ['create', ...target(), '--compute-resource', 'DC0_C0',
      '--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso'),
      '--name', 'vchsec2', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network',
      '--no-tlsverify', '--ops-user', 'opsuser', '--ops-password', OPS_PASSWORD, '--timeout', '10s', '--debug', '3']);
    await sim.clearFaults();
    expect(failed.code).not.toBe(0);

    // What is on the datastores while the VCH exists: its .vmx (secrets sealed) and the uploaded run log.
    const dsFiles = Object.values(sim.datastores).flatMap(filesUnder);
    const vmx = dsFiles.find((f) => f.endsWith('vchsec.vmx'));
    expect(vmx).toBeDefined();
    const uploadedLogs = dsFiles.filter((f) => /vic-machine.*\.log$/.test(path.basename(f)));
    expect(uploadedLogs.length).toBeGreaterThan(0);
    const vmxText = fs.readFileSync(vmx!, 'utf8');
    expect(vmxText).toMatch(/guestinfo\.vice\./); // the configuration is there; its secrets only sealed

    await vicMachine('delete', ['delete', ...target(), '--name', 'vchsec', '--force']);
    await vicMachine('another password', ['ls', ...target('Wrong-' + PASSWORD)]); // the simulator takes any

    const files: { what: string; text: string }[] = [
      ...dsFiles.filter((f) => fs.existsSync(f)).map((f) => ({ what: f, text: fs.readFileSync(f).toString('latin1') })),
      { what: vmx!, text: vmxText },
      // Everything create wrote locally but the keys themselves: certificates, the env file, the run logs.
      ...filesUnder(cwd).filter((f) => !f.endsWith('key.pem') && !f.endsWith('.iso')).map((f) => ({ what: f, text: fs.readFileSync(f, 'utf8') })),
      ...outputs,
    ];
    expect(files.some((f) => f.what.endsWith('vic-machine.log'))).toBe(true);
    const leaks: string[] = [];
    for (const f of files) {
      for (const [name, s] of [['vSphere password', PASSWORD], ['ops password', OPS_PASSWORD],
        ['the other password', 'Wrong-' + PASSWORD], ['base64 vSphere password', Buffer.from(PASSWORD).toString('base64')],
        ['base64 ops password', Buffer.from(OPS_PASSWORD).toString('base64')]] as const) {
        if (f.text.includes(s)) leaks.push(`${name} in ${f.what}`);
      }
      if (keyLines.some((l) => f.text.includes(l))) leaks.push(`a private key line in ${f.what}`);
    }
    expect(leaks).toEqual([]);
  });
});

// Short, common-word passwords: what echoes them from outside (a vSphere fault, the target URL) is redacted, and the
// tool's own words are not: every output is byte for byte what it is with a distinctive password.
(haveFixtures ? describe : describe.skip)('short common-word passwords: no secret out, the tool\'s words intact', () => {
  const REFERENCE = 'Ref-Pw-8#x';
  let reference: Awaited<ReturnType<typeof outputsWith>> | undefined;
  beforeAll(async () => { await recreateFixture(admin, 'basic', 'vchshort'); });

  /** Each command of a row, in a working directory of the password's own, with the run log's lines appended. */
  async function outputsWith(pw: string): Promise<{ texts: Record<string, string>; log: string }> {
    const dir = fs.mkdtempSync(path.join(cwd, 'short-'));
    const withPw = ['--target', `${sim.host}/DC0`, '--user', 'admin', '--password', pw, '--thumbprint', sim.thumbprintSHA1];
    const inUrl = ['--target', `https://admin:${encodeURIComponent(pw)}@${sim.host}/DC0`, '--thumbprint', sim.thumbprintSHA1];
    const texts: Record<string, string> = {};
    const run = async (what: string, args: string[]) => {
      const r = await runVicMachine(dir, args);
      texts[`${what} exit`] = String(r.code);
      texts[`${what} stdout`] = r.stdout.split(dir).join('<cwd>');
      texts[`${what} stderr`] = r.stderr.split(dir).join('<cwd>');
      outputs.push({ what: `${what} (${pw}) stdout`, text: r.stdout }, { what: `${what} (${pw}) stderr`, text: r.stderr });
    };
    await run('inspect config yaml', ['inspect', 'config', ...withPw, '--name', 'vchshort', '--format', 'yaml']);
    await run('inspect config', ['inspect', 'config', ...withPw, '--name', 'vchshort']);
    await run('ls, password in the URL', ['ls', ...inUrl]);
    // a vSphere fault that echoes the password
    await sim.injectFaults({ method: 'RetrievePropertiesEx', nth: 1, kind: 'soapfault', fault: 'SystemError', message: `incorrect password ${pw} given` });
    await run('ls, a fault echoing the password', ['ls', ...withPw]);
    await sim.injectFaults({ method: 'RetrievePropertiesEx', nth: 1, kind: 'soapfault', fault: 'SystemError', message: `incorrect password ${pw} given` });
    await run('inspect --json, a fault echoing the password', ['inspect', ...withPw, '--name', 'vchshort', '--json']);
    await sim.clearFaults();
    const log = fs.readFileSync(path.join(dir, 'vic-machine.log'), 'utf8');
    return { texts, log };
  }

  test.each(['pass', 'vic', 'user', 'a'])('password "%s"', async (pw) => {
    reference ??= await outputsWith(REFERENCE);
    const short = await outputsWith(pw);
    // the tool's words intact: every output as with the distinctive password
    expect(short.texts).toEqual(reference.texts);
    expect(short.texts['inspect config yaml stdout']).toContain('Credentials are not part of it: pass --user and --password');
    expect(short.texts['inspect config stdout']).toContain('The target VCH is configured with the following options:');
    expect(short.texts['ls, a fault echoing the password stderr']).toContain('vic-machine ls: incorrect password <redacted> given');
    expect(short.texts['inspect --json, a fault echoing the password stdout']).toContain('incorrect password <redacted> given');
    // no secret out: where it was echoed (the fault, the URL), in the outputs and in the run's log
    const logLines = (l: string) => l.split('\n').map((x) => x.replace(/^\S+ \S+\s+/, '')).join('\n');
    for (const text of [...Object.values(short.texts), short.log]) {
      expect(text).not.toContain(`password ${pw} given`);
      expect(text).not.toContain(`admin:${encodeURIComponent(pw)}@`);
    }
    expect(logLines(short.log)).toContain('incorrect password <redacted> given');
    expect(short.log).toContain('--user=admin');
  });
});
