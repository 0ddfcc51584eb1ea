// Colour, end to end with the real bin/vic-machine: in a pseudo-terminal (util-linux `script`, when present) the
// warning and error labels are coloured; NO_COLOR (any non-empty value), --no-color, --json and TERM=dumb turn that
// off; piped output never has an escape sequence, whatever the command, unless FORCE_COLOR asks for it, and even then
// not with --no-color or --json. Also the decision function itself, rule by rule.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shouldUseColor } from '../../../src/cli/output.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');
const ESC = '\u001b[';
const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', VIC_MACHINE_LOG_FILE: '-' };

/** Piped: stdout and stderr as separate pipes. */
function piped(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...BASE_ENV, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const haveScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;
if (!haveScript) console.warn('output-color.test.ts: terminal tests skipped: util-linux `script` is not installed');

/** On a terminal: stdout and stderr both go to a pseudo-terminal made by `script`; what it shows is returned. */
function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: root, env: { ...BASE_ENV, TERM: 'xterm', ...env }, encoding: 'utf8' });
  return r.stdout;
}

const WARN_AND_FAIL = ['inspect', 'config', '--format', 'bogus']; // a warning, then a usage error (no --target)

describe('colour decision', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };

  test.each([
    ['a terminal', tty, {}, {}, true],
    ['a pipe', pipe, {}, {}, false],
    ['NO_COLOR=1', tty, { NO_COLOR: '1' }, {}, false],
    ['NO_COLOR=0 (any value counts)', tty, { NO_COLOR: '0' }, {}, false],
    ['NO_COLOR=false (any value counts)', tty, { NO_COLOR: 'false' }, {}, false],
    ['NO_COLOR empty (no-color.org: unset)', tty, { NO_COLOR: '' }, {}, true],
    ['TERM=dumb', tty, { TERM: 'dumb' }, {}, false],
    ['--no-color', tty, {}, { noColorFlag: true }, false],
    ['--json', tty, {}, { json: true }, false],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, {}, true],
    ['FORCE_COLOR=1 beats NO_COLOR', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, {}, true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, {}, false],
    ['--no-color beats FORCE_COLOR', tty, { FORCE_COLOR: '1' }, { noColorFlag: true }, false],
    ['--json beats FORCE_COLOR', tty, { FORCE_COLOR: '3' }, { json: true }, false],
  ] as const)('%s', (_name, stream, env, flags, expected) => {
    expect(shouldUseColor({ stream, env, ...flags })).toBe(expected);
  });
});

describe('piped output', () => {
  test.each([
    [['--help']], [['help', 'create', '-x']], [['version']], [['completion', 'bash']], [['lss']], [WARN_AND_FAIL],
    [['create', '--target', 'https://127.0.0.1:1', '--thumbprint', 'AA', '--image-store', 'x', '--bogus']],
  ])('%j: no escape sequence on stdout or stderr', (args) => {
    const r = piped(args);
    expect(r.stdout + r.stderr).not.toContain(ESC);
    expect(r.stdout + r.stderr).not.toBe('');
  });

  test('FORCE_COLOR=1 colours the labels on stderr (only there), not with --no-color or --json', () => {
    const forced = piped(WARN_AND_FAIL, { FORCE_COLOR: '1' });
    expect(forced.stderr).toContain(`${ESC}33mWarning:${ESC}39m Invalid configuration output format 'bogus'`);
    expect(forced.stderr).toContain(`${ESC}31mvic-machine inspect config:${ESC}39m`);
    expect(forced.stdout).not.toContain(ESC);
    for (const flag of ['--no-color', '--json']) {
      const r = piped([...WARN_AND_FAIL, flag], { FORCE_COLOR: '1' });
      expect(r.stderr).toContain('Warning: Invalid configuration output format');
      expect(r.stdout + r.stderr).not.toContain(ESC);
    }
    // --no-color before the command too
    expect(piped(['--no-color', ...WARN_AND_FAIL], { FORCE_COLOR: '1' }).stderr).not.toContain(ESC);
  });
});

(haveScript ? describe : describe.skip)('on a terminal', () => {
  test('warnings and the error are coloured', () => {
    const shown = onTerminal(WARN_AND_FAIL);
    expect(shown).toContain(`${ESC}33mWarning:${ESC}39m`);
    expect(shown).toContain(`${ESC}31mvic-machine inspect config:${ESC}39m`);
  });

  test.each([
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
    ['NO_COLOR=0', [], { NO_COLOR: '0' }],
    ['TERM=dumb', [], { TERM: 'dumb' }],
    ['--no-color', ['--no-color'], {}],
    ['--no-color=true', ['--no-color=true'], {}],
    ['--json', ['--json'], {}],
  ] as const)('%s: no colour', (_name, extra, env) => {
    const shown = onTerminal([...WARN_AND_FAIL, ...extra], env);
    expect(shown).toContain('Invalid configuration output format');
    expect(shown).not.toContain(ESC);
  });

  test('help on a terminal is plain text too', () => {
    const shown = onTerminal(['help', 'ls']);
    expect(shown).toContain('Usage: vic-machine ls');
    expect(shown).not.toContain(ESC);
  });
});
