// The run's log end to end (issue 8 item 4, issue 3, issue 6): a file per run with the path printed on failure (and
// in --json's error), create's copy in the VCH's datastore folder also when the appliance never comes up, and the
// password nowhere: not in stdout, stderr, the local log nor the uploaded one, whichever way it was given.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runVicMachine } from '../support/cli-process.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { writeTestIso } from '../support/iso-fixture.js';

// Characters that URL-encoding, JSON and XML each write differently.
const PASSWORD = 'Lg%p@ss:w0rd&"x';

let sim: Vcsim;
let cwd: string;

beforeAll(async () => {
  sim = await startVcsim({ username: 'admin', password: PASSWORD, firewallOpen: true });
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-runlog-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
});
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(cwd, { recursive: true, force: true });
});

const vicMachine = (args: string[], env: Record<string, string> = {}) => runVicMachine(cwd, args, env);

/** Every form the password could be written in. */
const forms = [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), PASSWORD.replace(/&/g, '&amp;').replace(/"/g, '&quot;')];
function expectNoPassword(text: string, where: string): void {
  for (const f of forms) if (text.includes(f)) throw new Error(`the password (as ${f}) is in ${where}`);
}

describe('the run log', () => {
  test('a failing command prints the log\'s path, also in --json; the log has the debug detail and no password', async () => {
    const logFile = path.join(cwd, 'logs', 'inspect.log');
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    // the password in the target URL, URL-encoded, as an admin would paste it
    const r = await vicMachine(['inspect', '--target', `https://admin:${encodeURIComponent(PASSWORD)}@${sim.host}/DC0`,
      '--thumbprint', sim.thumbprintSHA1, '--name', 'no-such-vch', '--json', '--debug', '3'], { VIC_MACHINE_LOG_FILE: 'logs/inspect.log', VIC_MACHINE_TRACE: '1' });
    expect(r.code).toBe(5);
    const err = JSON.parse(r.stdout) as { error?: { type: string }; type?: string; logFile: string };
    expect(err.logFile).toBe(logFile);
    expect(r.stderr).toContain(`The log of this run is in ${logFile}`);
    const text = fs.readFileSync(logFile, 'utf8');
    expect(fs.statSync(logFile).mode & 0o777).toBe(0o600);
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info  vic-machine \S+ inspect /m);
    expect(text).toContain('no-such-vch');
    expect(text).toMatch(/ debug /);
    for (const [where, t] of [['stdout', r.stdout], ['stderr', r.stderr], ['the log file', text]] as const) expectNoPassword(t, where);
  });

  test('a command that succeeds prints no log path, but appends to the same file', async () => {
    const before = fs.existsSync(path.join(cwd, 'vic-machine.log')) ? fs.readFileSync(path.join(cwd, 'vic-machine.log'), 'utf8') : '';
    const r = await vicMachine(['ls', '--target', `${sim.host}/DC0`, '--user', 'admin', '--thumbprint', sim.thumbprintSHA1], { VIC_MACHINE_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('The log of this run is in');
    const after = fs.readFileSync(path.join(cwd, 'vic-machine.log'), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain('ls ');
    expectNoPassword(after, 'vic-machine.log');
  });

  test('create whose appliance never comes up: the VCH is kept, its folder has the redacted log of the run', async () => {
    const r = await vicMachine(['create', '--target', `${sim.host}/DC0`, '--user', 'admin', '--password', PASSWORD, '--thumbprint', sim.thumbprintSHA1,
      '--compute-resource', 'DC0_C0', '--name', 'vch-slow', '--image-store', 'LocalDS_0', '--bridge-network', 'DC0_DVPG0',
      '--appliance-iso', 'appliance.iso', '--bootstrap-iso', 'bootstrap.iso', '--no-tlsverify', '--timeout', '8s', '--debug', '2']);
    expect(r.code).toBe(7);
    const folder = path.join(sim.datastores['LocalDS_0']!, 'vch-slow');
    const logs = fs.readdirSync(folder).filter((f) => /^vic-machine_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ_create_\d+\.1\.log$/.test(f));
    expect(logs).toHaveLength(1);
    const uploaded = fs.readFileSync(path.join(folder, logs[0]!), 'utf8');
    expect(uploaded).toContain('The appliance did not come up in time');
    expect(uploaded).toContain('--password=<censored>');
    expect(uploaded).not.toMatch(/PRIVATE KEY-----\r?\n/);
    // the local one names the same run
    const local = fs.readFileSync(path.join(cwd, 'vic-machine.log'), 'utf8');
    expect(local).toContain('vch-slow');
    for (const [where, t] of [['stdout', r.stdout], ['stderr', r.stderr], ['the uploaded log', uploaded], ['the local log', local]] as const) expectNoPassword(t, where);
  }, 60_000);
});
