// End to end: the real bin/vic-machine over the compiled dist/ (built here with tsc), as a user runs it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin', 'vic-machine');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const HEAVY = ['inquirer', '@inquirer', 'ora', 'chalk', 'node-forge', 'fast-xml-parser'];

let tmp: string;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function vic(args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[]; bin?: string } = {}): Ran {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, ...opts.env };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], { env, encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'vic-cli-'));
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { encoding: 'utf8' });
  // other layers may be mid-change; the CLI only needs its own files to have been emitted
  if (tsc.status !== 0) process.stderr.write(`tsc reported errors (continuing if dist/cli was emitted):\n${tsc.stdout.slice(0, 2000)}\n`);
  if (!existsSync(path.join(ROOT, 'dist/cli/main.js'))) throw new Error(`dist/cli/main.js was not built:\n${tsc.stdout}${tsc.stderr}`);
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('bin/vic-machine', () => {
  test('--help lists the commands; start-up time is printed', () => {
    const r = vic(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: vic-machine');
    for (const c of ['create', 'configure', 'delete', 'ls', 'inspect', 'upgrade', 'version', 'debug', 'update']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\s`));
    const times = Array.from({ length: 5 }, () => vic(['--help']).ms).sort((a, b) => a - b);
    const bare = Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', ''], { encoding: 'utf8' });
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    const createHelp = Array.from({ length: 5 }, () => vic(['create', '--help']).ms).sort((a, b) => a - b);
    process.stdout.write(`\n  start-up (median of 5): vic-machine --help ${times[2]!.toFixed(0)} ms, create --help ${createHelp[2]!.toFixed(0)} ms; bare node ${bare[2]!.toFixed(0)} ms\n`);
  });

  test('version and --version', () => {
    expect(vic(['version'])).toMatchObject({ code: 0, stdout: `vic-machine version ${VERSION}\n`, stderr: '' });
    expect(vic(['--version'])).toMatchObject({ code: 0, stdout: `vic-machine version ${VERSION}\n` });
  });

  test('usage errors: exit 2', () => {
    const r = vic(['create', '-bnrr', '10.0.0.0/12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vic-machine create: flag provided but not defined: -bnrr (did you mean --bnr (--bridge-network-range)?)\n');
    const j = vic(['ls', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toBe('--target argument must be specified');
  });

  test('create -x prints the hidden flags', () => {
    const r = vic(['create', '-x']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--bridge-network-range value, --bnr value');
    expect(r.stdout).toContain('--no-tls, -k');
  });

  test('works through a symlink, as after npm install -g', () => {
    const link = path.join(tmp, 'vic-machine');
    symlinkSync(BIN, link);
    expect(vic(['version'], { bin: link })).toMatchObject({ code: 0, stdout: `vic-machine version ${VERSION}\n` });
  });

  test('help, version and flag errors load none of inquirer, ora, chalk, node-forge, fast-xml-parser', () => {
    const log = path.join(tmp, 'loaded.log');
    const tracker = path.join(tmp, 'track.mjs');
    writeFileSync(tracker, `
import { register, createRequire } from 'node:module';
import { appendFileSync, writeFileSync } from 'node:fs';
const log = ${JSON.stringify(log)};
writeFileSync(log, '');
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(s, c, n) { const r = await n(s, c); appendFileSync(\${JSON.stringify(log)}, r.url + '\\\\n'); return r; }\`));
const req = createRequire(import.meta.url);
process.on('exit', () => { for (const k of Object.keys(req.cache)) appendFileSync(log, 'cjs:' + k + '\\n'); });
`);
    for (const args of [['--help'], ['create', '--help'], ['create', '-x'], ['version'], ['--version'], ['upgrade', '-t', 'u:p@h'], ['create', '--bogus']]) {
      vic(args, { nodeArgs: ['--import', tracker] });
      const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(loaded.some((l) => l.includes('/dist/cli/main.js'))).toBe(true); // the tracker works
      const heavy = loaded.filter((l) => HEAVY.some((m) => l.includes(`/node_modules/${m}/`)));
      expect({ args, heavy }).toEqual({ args, heavy: [] });
      const packages = new Set(loaded.map((l) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(l)?.[1]).filter(Boolean));
      expect([...packages]).toEqual(['commander']);
    }
  });
});
