// Parity with vic-machine 1.5.8 for the fixtures' richer flag sets, through the real command: for the flags of
// fixtures `rich` (client verification, volume stores, a container network, limits, registries, proxy, syslog, ops
// user) and `notls` (--no-tls, static public IP, DNS), ours must write the keys vic-machine 1.5.8 wrote, with the same
// values except those that are random or belong to the environment. (Fixture `basic` is compared in create.test.ts.)
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Vcsim } from '../support/vcsim.js';
import { runVicMachine } from '../support/cli-process.js';
import { playAppliance } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';
import { compareExtraConfig } from '../../src/vic/config/index.js';

const fixtures = '/work/shared/fixtures/vic-machine-1.5.8';

/** command.txt is shell-quoted with backslashes ("VM\ Network", "localhost\,.example.com"). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const run = (cwd: string, args: string[]) => runVicMachine(cwd, args);

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-parity-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const extraConfigOf = (name: string): Promise<Record<string, string>> => vmExtraConfig(admin, name);

// Go 1.19 added two url.URL fields to the recording binary; VIC 1.5 appliances (Go 1.8) know only the older set, which
// is what we write (docs/extraconfig.md).
const GO119_URL_FIELDS = /\/(OmitHost|RawFragment)$/;

describe.each([
  { fixture: 'rich', ip: '127.0.0.61', requireClientCert: true },
  { fixture: 'notls', ip: '127.0.0.62', requireClientCert: false },
])('create with the flags of fixture $fixture', ({ fixture, ip, requireClientCert }) => {
  test('writes what vic-machine 1.5.8 wrote, key by key', async () => {
    const flags = shellWords(fs.readFileSync(path.join(fixtures, fixture, 'command.txt'), 'utf8'));
    const name = flags[flags.indexOf('--name') + 1]!;
    const stop = new AbortController();
    const appliance = playAppliance(admin, name, ip, { requireClientCert, timeoutMs: 110_000, signal: stop.signal });
    appliance.catch(() => undefined);
    // The fixture README's target flags (the recorded user and password are part of what create stores).
    const r = await run(cwd, ['create', '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1,
      '--compute-resource', 'DC0_C0', '--appliance-iso', 'appliance.iso', '--bootstrap-iso', 'bootstrap.iso', ...flags, '--timeout', '20s']);
    stop.abort('create ended');
    const standIn = await appliance.catch(() => undefined);
    try {
      // notls: the recording timed out at the Docker API check too (its stand-in spoke TLS only); ours may finish or
      // time out (exit 7), but must have written the whole configuration either way.
      if (r.code !== 0 && r.code !== 7) console.log(r.stderr);
      expect([0, 7]).toContain(r.code);
      const ours = await extraConfigOf(name);
      const theirs = JSON.parse(fs.readFileSync(path.join(fixtures, fixture, 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
      const cmp = compareExtraConfig(theirs, ours);
      console.log(`parity with vic-machine 1.5.8 (${fixture}): ${cmp.equal.length} keys equal, ${cmp.environmentDifferences.length} differ only in ` +
        `environment values, ${cmp.missing.length} missing, ${cmp.extra.length} extra`);
      expect(cmp.differences).toEqual([]);
      expect(cmp.extra).toEqual([]);
      expect(cmp.missing.filter((k) => !GO119_URL_FIELDS.test(k))).toEqual([]);
      expect(cmp.equal.length).toBeGreaterThan(150);
      // The recorded create options hold the simulator's address and thumbprint (environment values, so the
      // comparison above lets them differ): with those replaced, they must be the original's exactly.
      const key = 'guestinfo.vice./vic_machine_create_options~';
      const expected = theirs[key]!.replace('https://127.0.0.1:8996/DC0', `https://${sim.host}/DC0`)
        .replace(/--thumbprint=[0-9A-F:]+/, `--thumbprint=${sim.thumbprintSHA1}`);
      expect(ours[key]).toBe(expected);
    } finally {
      await standIn?.stop();
    }
  });
});
