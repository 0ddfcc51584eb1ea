// --json of every command against the documented schemas: docs/json.md has, per command, an example object (a
// ```json block under the command's heading) and the lines `Optional:` / `Maps:`; the real output of each command,
// run against the simulator, must have exactly the documented keys with the documented value types. So the document
// cannot drift from the code. Also: stdout is one JSON document and nothing else, human logs go to stderr, and the
// error object of every command has the documented form and its exit code.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { runCli } from '../support/in-process-cli.js';
import { allCommands } from '../../src/cli/registry.js';
import { Session } from '../../src/vim/session.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = fs.readFileSync(path.join(root, 'docs', 'json.md'), 'utf8');

interface Documented {
  example: unknown;
  optional: Set<string>;
  maps: Set<string>;
}

/** The example, optional keys and maps documented under `### <heading>` in docs/json.md. */
function documented(heading: string): Documented {
  const at = DOC.indexOf(`\n### ${heading}\n`);
  if (at < 0) throw new Error(`docs/json.md has no section "### ${heading}"`);
  const section = DOC.slice(at + 1).split(/\n#{2,3} /)[0]!;
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`docs/json.md: no json block under ${heading}`);
  const list = (label: string): Set<string> => {
    const m = new RegExp(`^${label}: (.*)$`, 'm').exec(section);
    return new Set(m ? [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!) : []);
  };
  return { example: JSON.parse(block[1]!), optional: list('Optional'), maps: list('Maps') };
}

/** Every way `actual` departs from the documented example: undocumented keys, missing keys, other value types. */
function departures(doc: Documented, expected: unknown, actual: unknown, at = ''): string[] {
  if (expected === null || actual === null) return []; // documented as nullable, or null in this run
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${typeof actual}`];
    return expected.length ? actual.flatMap((a) => departures(doc, expected[0], a, at)) : [];
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: expected an object`];
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    if (doc.maps.has(at)) {
      const sample = Object.values(e)[0];
      return Object.entries(a).flatMap(([k, v]) => departures(doc, sample, v, `${at}.${k}`));
    }
    const out: string[] = [];
    const key = (k: string): string => (at ? `${at}.${k}` : k);
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${key(k)}: not documented`);
    for (const k of Object.keys(e)) {
      if (!(k in a)) {
        if (!doc.optional.has(key(k))) out.push(`${key(k)}: documented but missing`);
        continue;
      }
      out.push(...departures(doc, e[k], a[k], key(k)));
    }
    return out;
  }
  return typeof expected === typeof actual ? [] : [`${at}: expected ${typeof expected}, got ${typeof actual}`];
}

function expectDocumented(heading: string, stdout: string): unknown {
  // one JSON document, nothing else on stdout
  const value = JSON.parse(stdout) as unknown;
  expect(stdout.trim().startsWith('{')).toBe(true);
  const doc = documented(heading);
  expect(departures(doc, doc.example, value)).toEqual([]);
  return value;
}

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-json-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runCli(args, cwd, { VIC_MACHINE_LOG_FILE: '-' });

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

describe('results: each command\'s --json is its documented object, logs on stderr', () => {
  test('create, create --dry-run, ls, inspect, inspect config, delete, update firewall, version', async () => {
    const { playAppliance } = await import('../support/appliance-player.js');
    const flags = ['--compute-resource', 'DC0_C0', '--name', 'vch-json', '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--timeout', '30s', '--json'];

    const dry = await vicMachine(['create', ...target(), ...flags, '--dry-run']);
    expect(dry.code).toBe(0);
    expectDocumented('create --dry-run', dry.stdout);

    const stop = new AbortController();
    const appliance = playAppliance(admin, 'vch-json', '127.78.0.1', { requireClientCert: false, timeoutMs: 60_000, signal: stop.signal });
    appliance.catch(() => undefined);
    const c = await vicMachine(['create', ...target(), ...flags]);
    stop.abort('done');
    await (await appliance.catch(() => undefined))?.stop();
    if (c.code !== 0) console.log(c.stderr);
    expect(c.code).toBe(0);
    expect(c.stderr).toContain('### Installing VCH ####');
    expectDocumented('create', c.stdout);

    const ls = await vicMachine(['ls', ...target(), '--json']);
    expect(ls.code).toBe(0);
    expectDocumented('ls', ls.stdout);

    const inspect = await vicMachine(['inspect', ...target(), '--name', 'vch-json', '--json']);
    expect(inspect.code).toBe(0);
    expect(inspect.stderr).toContain('### Inspecting VCH ####');
    expectDocumented('inspect', inspect.stdout);

    for (const format of ['verbose', 'raw', 'yaml']) {
      const ic = await vicMachine(['inspect', 'config', ...target(), '--name', 'vch-json', '--format', format, '--json']);
      expect(ic.code).toBe(0);
      expectDocumented('inspect config', ic.stdout);
    }

    const d = await vicMachine(['delete', ...target(), '--name', 'vch-json', '--json']);
    expect(d.code).toBe(0);
    expectDocumented('delete', d.stdout);

    const fw = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow', '--json']);
    expect(fw.code).toBe(0);
    expectDocumented('update firewall', fw.stdout);

    const v = await vicMachine(['version', '--json']);
    expect(v).toMatchObject({ code: 0, stderr: '' });
    expectDocumented('version', v.stdout);
  });
});

describe('errors: the documented error object on stdout, the line on stderr, the documented exit code', () => {
  const commands = allCommands().filter((c) => c.spec.load).map((c) => c.path);
  const connecting = allCommands().filter((c) => c.spec.load && c.spec.flags.some((f) => f.name === 'target')).map((c) => c.path);

  test.each(commands)('%s: a usage error (exit 2)', async (command) => {
    const r = await vicMachine([...command.split(' '), '--json', '--no-such-flag']);
    expect(r.code).toBe(2);
    const e = expectDocumented('errors', r.stdout) as { error: { type: string; message: string } };
    expect(e.error.type).toBe('usage');
    const hint = (e as { error: { hint?: string } }).error.hint;
    expect(r.stderr).toBe(`vic-machine ${command}: ${e.error.message}${hint ? ` (${hint})` : ''}\n`);
  });

  test.each(connecting)('%s: a wrong thumbprint (exit 3, tls-trust)', async (command) => {
    // what each command needs besides the target to get as far as connecting
    const extra: Record<string, string[]> = { 'update firewall': ['--allow'], ls: [], create: ['--name', 'x', '--no-tlsverify'] };
    const r = await vicMachine([...command.split(' '), '--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass',
      '--thumbprint', '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33', ...(extra[command] ?? ['--name', 'x']), '--json']);
    expect(r.code).toBe(3);
    const e = expectDocumented('errors', r.stdout) as { error: { type: string } };
    expect(e.error.type).toBe('tls-trust');
  });

  test('a VCH that does not exist (exit 5, not-found)', async () => {
    const r = await vicMachine(['inspect', ...target(), '--id', 'vm-9999', '--json']);
    expect(r.code).toBe(5);
    const e = expectDocumented('errors', r.stdout) as { error: { type: string; message: string } };
    expect(e.error).toMatchObject({ type: 'not-found' });
    expect(e.error.message).toContain('id "vm-9999" could not be found');
  });

  test('create\'s validation problems, each with its flag and the values that exist (exit 2)', async () => {
    const r = await vicMachine(['create', ...target(), '--compute-resource', 'NoSuchCluster', '--image-store', 'NoSuchDS', '--no-tlsverify', '--name', 'vch-bad', '--json']);
    expect(r.code).toBe(2);
    const e = expectDocumented('errors', r.stdout) as { error: { type: string; flag: string; problems: { flag: string; suggestions?: string[] }[] } };
    expect(e.error.type).toBe('validation');
    const flagsOf = e.error.problems.map((p) => p.flag);
    expect(flagsOf).toEqual(expect.arrayContaining(['--compute-resource']));
    expect(e.error.flag).toBe(flagsOf[0]);
    expect(e.error.problems.find((p) => p.flag === '--compute-resource')!.suggestions).toEqual(expect.arrayContaining(['DC0_C0']));
  });
});
