// `vic-machine help <command>`: for every command and subcommand the same full help as `<command> -h` (and with -x the
// extended help of `<command> -x`), reached also as `<command> help <subcommand>`; a command or subcommand that does
// not exist is an error naming the nearest one, never a silent fallback to another help.
import { describe, expect, test } from '@jest/globals';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { allCommands } from '../../../src/cli/registry.js';
import { run } from './helpers.js';

const PATHS = allCommands().map(({ path, spec }) => [path, spec] as const);

describe.each(PATHS)('help %s', (path, spec) => {
  const words = path.split(' ');

  test('prints the full help, as -h and --help do', async () => {
    const viaHelp = await run(['help', ...words]);
    const viaH = await run([...words, '-h']);
    const viaLong = await run([...words, '--help']);
    expect(viaHelp.code).toBe(ExitCode.Ok);
    expect(viaHelp.stderr).toBe('');
    expect(viaHelp.stdout).toContain(`Usage: vic-machine ${path} `);
    expect(viaHelp.stdout).toContain(spec.description);
    expect(viaHelp.stdout).toBe(viaH.stdout);
    expect(viaHelp.stdout).toBe(viaLong.stdout);
    // every visible flag is there (hidden ones only with -x)
    for (const def of spec.flags.filter((d) => !d.hidden)) expect(viaHelp.stdout).toContain(`--${def.name}`);
    expect(viaHelp.stdout).toContain('--help, -h');
  });

  if (words.length > 1) {
    test('also as `<command> help <subcommand>`', async () => {
      const a = await run([words[0]!, 'help', ...words.slice(1)]);
      const b = await run([...words, '-h']);
      expect(a.code).toBe(ExitCode.Ok);
      expect(a.stdout).toBe(b.stdout);
    });
  }

  if (spec.extendedHelp) {
    test('help -x prints the extended help, as -x does, with the hidden flags', async () => {
      for (const x of ['-x', '--extended-help', '-extended-help', '--x=true']) {
        const a = await run(['help', ...words, x]);
        expect(a.code).toBe(ExitCode.Ok);
        expect(a.stdout).toBe((await run([...words, '-x'])).stdout);
      }
      const a = await run(['help', ...words, '-x']);
      for (const def of spec.flags) expect(a.stdout).toContain(`--${def.name}`);
      expect(spec.flags.some((d) => d.hidden)).toBe(true);
      expect((await run(['help', ...words])).stdout).not.toBe(a.stdout);
      // -x=false is the normal help
      expect((await run(['help', ...words, '-x=false'])).stdout).toBe((await run([...words, '-h'])).stdout);
    });
  } else if (spec.load) {
    test('help -x is refused: the command has no extended help', async () => {
      const r = await run(['help', ...words, '-x']);
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('vic-machine: flag provided but not defined: -x (extended help is for create and configure)\n');
    });
  }

  test('a subcommand that does not exist is an error, with what exists', async () => {
    const r = await run(['help', ...words, 'nosuchthing']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stdout).toBe('');
    const subs = spec.subcommands?.map((s) => s.name) ?? [];
    const what = subs.length ? `has the subcommand${subs.length > 1 ? 's' : ''} ${subs.join(', ')}` : 'has no subcommands';
    expect(r.stderr).toBe(`vic-machine: unknown command '${path} nosuchthing' ('${path}' ${what})\n`);
  });
});

describe('help', () => {
  test('alone, twice, or with --help: the list of commands', async () => {
    const list = await run(['--help']);
    for (const argv of [['help'], ['help', 'help'], ['h'], ['help', '--help'], ['help', '-h']]) {
      const r = await run(argv);
      expect(r.code).toBe(ExitCode.Ok);
      expect(r.stdout).toBe(list.stdout);
    }
  });

  test('an unknown command names the nearest one', async () => {
    for (const [typed, near] of [['creat', 'create'], ['inpsect', 'inspect'], ['upgarde', 'upgrade'], ['lss', 'ls'], ['completon', 'completion']]) {
      const r = await run(['help', typed!]);
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`vic-machine: unknown command '${typed}' (did you mean '${near}'?)\n`);
    }
  });

  test('an unknown subcommand names the nearest one', async () => {
    const r = await run(['help', 'update', 'firewal']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe("vic-machine: unknown command 'update firewal' (did you mean 'vic-machine help update firewall'?)\n");
    const c = await run(['help', 'inspect', 'conifg']);
    expect(c.stderr).toBe("vic-machine: unknown command 'inspect conifg' (did you mean 'vic-machine help inspect config'?)\n");
  });

  test('nothing close: the error says where the list is', async () => {
    const r = await run(['help', 'frobnicate']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe("vic-machine: unknown command 'frobnicate' (run 'vic-machine --help' for the list of commands)\n");
  });

  test('with --json, the error is JSON on stdout', async () => {
    const r = await run(['--json', 'help', 'creat']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { type: 'usage', message: "unknown command 'creat'", hint: "did you mean 'create'?" } });
  });
});
