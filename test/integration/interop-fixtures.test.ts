// Interoperability with vic-machine 1.5.8, for each of its three recorded VCHs (fixtures basic, rich, notls): the VCH
// is recreated in the simulator as the original left it, and ours must list it with the original's ls row, inspect it
// with the same facts as the original's inspect.out, and delete it completely (--force, volume stores included).
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { dc0, factsOf, FIXTURES, haveFixtures, inventoryPaths, recreateFixture } from '../support/fixture-vch.js';
import { runCli } from '../support/in-process-cli.js';
import { MakeDirectory } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ tmpPrefix: 'vicm-interop-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runCli(args, cwd, {});

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

// Lines the original logs (stderr for us) rather than prints as facts.
const LOG_ONLY = [/^### Inspecting VCH ####$/, /^Validating target$/, /^Completed successfully$/,
  /^Unable to identify address acceptable to host certificate/, /^--tls-cert-path not supplied/];

const names: Record<string, string> = { basic: 'vch1', rich: 'vch-rich', notls: 'vch-notls' };

(haveFixtures ? describe.each(['basic', 'rich', 'notls']) : describe.skip.each(['basic']))('the VCH of fixture %s', (fixture) => {
  const name = names[fixture]!;
  let before: string[];
  let id: string;

  beforeAll(async () => {
    before = await inventoryPaths(admin);
    id = (await recreateFixture(admin, fixture, name)).value;
    // the folders its volume stores and image store name (rich) exist on the datastore, as the original left them
    const dc = await dc0(admin);
    for (const d of fixture === 'rich' ? ['volumes', 'vol2', 'vchimages/VIC'] : []) {
      await MakeDirectory(admin, { _this: admin.content.fileManager!, name: `[LocalDS_0] ${d}`, datacenter: dc.ref, createParentDirectories: true });
    }
  });

  test('ls shows the original\'s row', async () => {
    const r = await vicMachine(['ls', ...target()]);
    expect(r.code).toBe(0);
    const theirs = fs.readFileSync(path.join(FIXTURES, fixture, 'ls.out'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('time='));
    const row = (l: string) => l.trim().split(/\s{2,}/);
    const ours = r.stdout.split('\n').filter((l) => l.trim());
    expect(ours.map(row)[0]).toEqual(theirs.map(row)[0]); // the header
    expect(ours.map(row).find((c) => c[2] === name)).toEqual(theirs.map(row)[1]!.map((c) => (c === 'vm-73' ? id : c)));
  });

  test('inspect shows the facts the original showed', async () => {
    const r = await vicMachine(['inspect', ...target(), '--name', name, '--compute-resource', 'DC0_C0']);
    expect(r.code).toBe(0);
    const theirs = factsOf(fs.readFileSync(path.join(FIXTURES, fixture, 'inspect.out'), 'utf8'))
      .filter((l) => !LOG_ONLY.some((re) => re.test(l)))
      .map((l) => l.replace('vm-73', id)
        // the original ran in /home/admin; ours in the test's directory (no client certificates there: see below)
        .replace(/ DOCKER_CERT_PATH=\/home\/admin\/\S+/, ''));
    const ours = r.stdout.split('\n').filter((l) => l !== '');
    if (fixture === 'rich') {
      // The original found client certificates in /home/admin/vch-rich; here there are none, so DOCKER_TLS_VERIFY
      // and DOCKER_CERT_PATH are not offered, and the command line says --tlsverify without them as the original does.
      expect(r.stderr).toContain('Unable to find valid client certs');
    }
    expect(ours.map((l) => l.replace(/^DOCKER_TLS_VERIFY=1 /, ''))).toEqual(theirs.map((l) => l.replace(/^DOCKER_TLS_VERIFY=1 /, '')));
  });

  test('delete --force removes everything the original made', async () => {
    const r = await vicMachine(['delete', ...target(), '--name', name, '--compute-resource', 'DC0_C0', '--force']);
    if (r.code !== 0) console.log(r.stderr);
    expect(r.code).toBe(0);
    expect(await inventoryPaths(admin)).toEqual(before);
    const ds = sim.datastores['LocalDS_0']!;
    for (const d of [name, 'volumes', 'vol2', 'vchimages']) expect(fs.existsSync(path.join(ds, d))).toBe(false);
    expect(JSON.parse((await vicMachine(['ls', ...target(), '--json'])).stdout).vchs).toEqual([]);
  });
});
