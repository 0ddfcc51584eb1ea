// main() in-process: version, not-implemented commands, errors (one line, exit codes, --json), secrets, colour.
import { VchError } from '../../../src/vic/vch/errors.js';
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CliError, NotImplementedError, toCliError, UsageError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { Output, shouldUseColor } from '../../../src/cli/output.js';
import { run } from './helpers.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('version', () => {
  test.each([[['version']], [['--version']], [['-v']], [['-version']]])('%j prints "vic-machine version <version>"', async (argv) => {
    const r = await run(argv);
    expect(r).toEqual({ code: 0, stdout: `vic-machine version ${VERSION}\n`, stderr: '' });
  });

  test('--json version', async () => {
    for (const argv of [['--json', 'version'], ['version', '--json'], ['--json', '--version']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ name: 'vic-machine', version: VERSION });
    }
  });

  test('version takes no arguments', async () => {
    const r = await run(['version', 'extra']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vic-machine version: Unknown argument: extra\n');
  });
});

describe('a command that checks local input before connecting (upgrade: its ISOs)', () => {
  const noIso = /^vic-machine upgrade: --appliance-iso: unable to locate appliance\.iso in the current or installer directory/;

  test('flags are validated first', async () => {
    const r = await run(['upgrade', '-t', 'u:p@h', '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vic-machine upgrade: invalid value "soon" for flag --timeout: expected a duration such as 90s, 3m0s or 1h2m (units h, m, s, ms)\n');
  });

  test('then the target group (from flags or environment), then the ISOs, all before connecting', async () => {
    expect((await run(['upgrade'])).stderr).toBe('vic-machine upgrade: --target argument must be specified (or set VIC_MACHINE_TARGET)\n');
    expect((await run(['upgrade', '-t', 'vc'])).stderr).toMatch(/^vic-machine upgrade: vSphere user must be specified, either with --user or as part of --target/);
    expect((await run(['upgrade'], { env: { VIC_MACHINE_TARGET: 'vc', VIC_MACHINE_USER: 'root', VIC_MACHINE_PASSWORD: 'x' } })).stderr).toMatch(noIso);
    expect((await run(['upgrade'], { env: { GOVC_URL: 'root:pw@vc' } })).stderr).toMatch(noIso);
  });

  test('--json: the error object on stdout, the line on stderr', async () => {
    const r = await run(['upgrade', '--json', '-t', 'u:p@h']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { type: 'usage', flag: '--appliance-iso' } });
    expect(r.stderr).toMatch(noIso);
  });
});

describe('usage errors: one line, exit 2, no stack trace', () => {
  test.each([
    [['create', '--bogus-flag', '1'], 'vic-machine create: flag provided but not defined: --bogus-flag\n'],
    [['create', '--bnrr', 'x'], 'vic-machine create: flag provided but not defined: --bnrr (did you mean --bnr (--bridge-network-range)?)\n'],
    [['inspect', 'A', '--name', 'vch4', 'extra'], "vic-machine inspect: Unknown argument: A ('inspect' has the subcommand config)\n"],
    [['delete', '-t', 'u:p@h', '--name', 'vch4', '--force', 'true'], "vic-machine delete: Unknown argument: true (boolean flags take a value only with '=': --force=true)\n"],
    [['nosuchcmd'], "vic-machine: unknown command 'nosuchcmd' (run 'vic-machine --help' for the list of commands)\n"],
    [['lss'], "vic-machine: unknown command 'lss' (did you mean 'ls'?)\n"],
    [['--target', 'x', 'ls'], "vic-machine: flag provided but not defined: --target (command flags go after the command, e.g. 'vic-machine ls --target')\n"],
    [['update', '--target', 'x'], "vic-machine update: flag provided but not defined: --target (flags go after the subcommand, e.g. 'vic-machine update firewall --target')\n"],
    [['configure', '--image-store', 'ds'], "vic-machine configure: flag provided but not defined: --image-store (--image-store is a flag of 'create', not of 'configure')\n"],
    [['update', 'firewall', '-t', 'u:p@h'], 'vic-machine update firewall: No command selected (pass --allow or --deny)\n'],
    [['create', '--name'], 'vic-machine create: flag needs an argument: --name\n'],
  ])('%j', async (argv, stderr) => {
    const r = await run(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  test('--json usage error carries the flag and the hint', async () => {
    const r = await run(['create', '--json', '--cpus', 'lots']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        type: 'usage', code: 'flag-value-invalid', flag: '--cpu-shares',
        message: 'invalid value "lots" for flag --cpu-shares: expected low, normal, high or a positive number of shares, e.g. 4000',
      },
    });
    const u = await run(['--json', 'create', '--bnrr', '1']);
    expect(JSON.parse(u.stdout).error).toEqual({
      type: 'usage', code: 'unknown-flag', message: 'flag provided but not defined: --bnrr', flag: '--bnrr', hint: 'did you mean --bnr (--bridge-network-range)?',
    });
  });

  test('--debug adds the stack trace', async () => {
    const r = await run(['upgrade', '-t', 'u:p@h', '--debug', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vic-machine upgrade: --appliance-iso: unable to locate appliance.iso');
    expect(r.stderr).toMatch(/\n {4}at /);
  });
});

describe('secrets', () => {
  test('--debug echoes the options with passwords censored', async () => {
    const r = await run(['debug', '-t', 'root:s3cret@vc/DC0', '-p', 'hunter2', '--rootpw', 'rootsecret', '--debug=1', '--name', 'vch1'], {
      env: { VIC_MACHINE_THUMBPRINT: 'AA:BB' },
    });
    expect(r.stderr).toContain('DEBUG option --target=root:<censored>@vc/DC0');
    expect(r.stderr).toContain('DEBUG option --password=<censored>');
    expect(r.stderr).toContain('DEBUG option --rootpw=<censored>');
    expect(r.stderr).toContain('DEBUG option --thumbprint=AA:BB (from $VIC_MACHINE_THUMBPRINT)');
    expect(r.stderr).toContain('DEBUG option --name=vch1');
    for (const secret of ['s3cret', 'hunter2', 'rootsecret']) {
      expect(r.stderr).not.toContain(secret);
      expect(r.stdout).not.toContain(secret);
    }
  });

  test('a bad --target value is reported without its password', async () => {
    const r = await run(['upgrade', '--json', '-t', 'ftp://root:s3cret@vc']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).not.toContain('s3cret');
    expect(r.stderr).toContain('ftp://root:<censored>@vc');
  });
});

describe('colour', () => {
  test('red error prefix on a terminal only', async () => {
    expect((await run(['lss'], { tty: true })).stderr).toContain('\u001b[31m');
    expect((await run(['lss'], { tty: false })).stderr).not.toContain('\u001b[');
    expect((await run(['lss'], { tty: true, env: { NO_COLOR: '1' } })).stderr).not.toContain('\u001b[');
    expect((await run(['--no-color', 'lss'], { tty: true })).stderr).not.toContain('\u001b[');
    expect((await run(['upgrade', '--no-color'], { tty: true })).stderr).not.toContain('\u001b[');
    expect((await run(['upgrade', '--json'], { tty: true })).stderr).not.toContain('\u001b[');
  });

  test('shouldUseColor', () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true, isTTY: false };
    expect(shouldUseColor({ stream: tty, env: {} })).toBe(true);
    expect(shouldUseColor({ stream: pipe, env: {} })).toBe(false);
    expect(shouldUseColor({ stream: tty, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldUseColor({ stream: tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldUseColor({ stream: tty, env: { TERM: 'dumb' } })).toBe(false);
    expect(shouldUseColor({ stream: tty, env: {}, noColorFlag: true })).toBe(false);
    expect(shouldUseColor({ stream: tty, env: {}, json: true })).toBe(false);
    expect(shouldUseColor({ stream: pipe, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(shouldUseColor({ stream: tty, env: { FORCE_COLOR: '0' } })).toBe(false);
  });
});

describe('errors and exit codes', () => {
  const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`${name} happened`), { name, ...extra });

  test.each([
    [new UsageError('x', { code: 'flag-value-invalid' }), ExitCode.Usage, 'usage'],
    [new NotImplementedError('ls'), ExitCode.Usage, 'not-implemented'],
    [named('TlsTrustError'), ExitCode.TlsTrust, 'tls-trust'],
    [named('VimFault', { faultName: 'InvalidLogin' }), ExitCode.Auth, 'authentication'],
    [named('VimFault', { faultName: 'NoPermission' }), ExitCode.Auth, 'authentication'],
    [named('VimFault', { faultName: 'ManagedObjectNotFound' }), ExitCode.NotFound, 'not-found'],
    [named('TaskError', { faultName: 'DuplicateName' }), ExitCode.Conflict, 'conflict'],
    [named('TimeoutError'), ExitCode.Timeout, 'timeout'],
    [named('AbortError'), ExitCode.Interrupted, 'interrupted'],
    [named('Whatever', { cliErrorType: 'not-found' }), ExitCode.NotFound, 'not-found'],
    [named('TargetConnectError', { cliErrorType: 'target' }), ExitCode.Target, 'target'],
    [named('VimFault', { faultName: 'SystemError' }), ExitCode.Internal, 'internal'],
    [new TypeError('boom'), ExitCode.Internal, 'internal'],
    ['a string', ExitCode.Internal, 'internal'],
  ])('%p → %d', (err, code, type) => {
    const c = toCliError(err);
    expect(c.exitCode).toBe(code);
    expect(c.type).toBe(type);
  });

  test('usage and validation errors carry their code into --json: their own, or the first problem\'s; Node\'s error codes never', () => {
    expect(new UsageError('x', { code: 'unknown-flag', flag: '--x' }).toJSON().error).toEqual({ type: 'usage', code: 'unknown-flag', message: 'x', flag: '--x' });
    const issues = [{ code: 'bridge-width-invalid', flag: '--bridge-network-width', message: 'w' }, { code: 'registry-invalid', flag: '--insecure-registry', message: 'r' }];
    const v = toCliError(Object.assign(new Error('2 problems'), { cliErrorType: 'validation', issues }));
    expect(v.toJSON().error).toEqual({ type: 'validation', code: 'bridge-width-invalid', message: '2 problems', flag: '--bridge-network-width', problems: issues });
    expect(toCliError(Object.assign(new Error('bad'), { cliErrorType: 'usage', code: 'container-network-invalid' })).code).toBe('container-network-invalid');
    expect(toCliError(new VchError('usage', '--target names no datacenter and there are 2', undefined, '--target', 'datacenter-required')).toJSON().error)
      .toEqual({ type: 'usage', code: 'datacenter-required', message: '--target names no datacenter and there are 2', flag: '--target' });
    expect(toCliError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBeUndefined();
    expect(toCliError(Object.assign(new Error('gone'), { cliErrorType: 'not-found', code: 'whatever' })).code).toBeUndefined();
  });

  test('a request vSphere did not answer in time (also as the cause of a failed step) gets the hint naming VIC_MACHINE_API_TIMEOUT', () => {
    const unanswered = Object.assign(new Error('CreateResourcePool: no answer within 300 s'), { code: 'ETIMEDOUT' });
    const step = new Error('creating the resource pool failed: CreateResourcePool: no answer within 300 s', { cause: unanswered });
    for (const e of [unanswered, step]) expect(toCliError(e).hint).toBe('vSphere did not answer, or finish its task, in time; on a busy target raise VIC_MACHINE_API_TIMEOUT (default 5m)');
    expect(toCliError(Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' })).hint).toBeUndefined();
    const stuck = Object.assign(new Error('timed out after 5m waiting for CreateVM_Task (task-12) to finish'), { name: 'WaitTimeoutError' });
    expect(toCliError(new Error('creating the appliance VM failed', { cause: stuck })).hint).toMatch(/VIC_MACHINE_API_TIMEOUT/);
  });

  test('exit code values', () => {
    expect(ExitCode).toEqual({ Ok: 0, Internal: 1, Usage: 2, TlsTrust: 3, Auth: 4, NotFound: 5, Conflict: 6, Timeout: 7, Target: 8, Interrupted: 130 });
  });

  test('JSON shape', () => {
    expect(new CliError('conflict', 'exists', { flag: '--name', hint: 'pick another name' }).toJSON()).toEqual({
      error: { type: 'conflict', message: 'exists', flag: '--name', hint: 'pick another name' },
    });
  });
});

describe('Output', () => {
  function capture(json: boolean, debugLevel = 0) {
    const o = { out: '', err: '' };
    const output = new Output({ write: (s: string) => (o.out += s) }, { write: (s: string) => (o.err += s) }, { json, color: false, debugLevel });
    return { o, output };
  }

  test('logs to stderr, results to stdout as text or JSON', () => {
    const h = capture(false);
    h.output.info('Validating target');
    h.output.warn('careful');
    h.output.debug('hidden');
    h.output.result({ a: 1 }, 'A is 1');
    expect(h.o).toEqual({ out: 'A is 1\n', err: 'Validating target\nWarning: careful\n' });
    const j = capture(true, 1);
    j.output.debug('shown');
    j.output.result({ a: 1 }, 'A is 1');
    expect(JSON.parse(j.o.out)).toEqual({ a: 1 });
    expect(j.o.err).toBe('DEBUG shown\n');
  });
});
