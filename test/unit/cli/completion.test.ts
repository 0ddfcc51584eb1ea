// Shell completion, tested in the shells themselves: the generated bash script is sourced in bash and its function
// driven through COMP_WORDS/COMP_CWORD as bash's programmable completion sets them; the zsh script runs in zsh with
// words/CURRENT set and the completion-system builtins it calls (compadd, _describe, _files, compset) recording what
// they are given, and is also autoloaded from $fpath by compinit. What is offered is compared with the registry the
// parser uses, and offered flags and values are fed back to the parser.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VALUE_HINTS } from '../../../src/cli/completion/model.js';
import { GLOBAL_FLAGS, HELP_FLAG } from '../../../src/cli/flags/groups.js';
import { isBoolType } from '../../../src/cli/flags/types.js';
import { parseArgs } from '../../../src/cli/main.js';
import { allCommands, COMMANDS, INSPECT_CONFIG_FORMATS } from '../../../src/cli/registry.js';
import { run } from './helpers.js';

let dir: string;
let bashFile: string;
let zshFile: string;
let bashScript: string;
let zshScript: string;

function hasShell(name: string): boolean {
  return spawnSync(name, ['-c', 'exit 0']).status === 0;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-completion-'));
  const b = await run(['completion', 'bash']);
  const z = await run(['completion', 'zsh']);
  expect(b.code).toBe(0);
  expect(z.code).toBe(0);
  bashScript = b.stdout;
  zshScript = z.stdout;
  bashFile = path.join(dir, 'vic-machine.bash');
  zshFile = path.join(dir, '_vic-machine');
  fs.writeFileSync(bashFile, bashScript);
  fs.writeFileSync(zshFile, zshScript);
  // files and folders for file-name completion, one with a space
  fs.mkdirSync(path.join(dir, 'work', 'certs dir'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'work', 'appliance one.iso'), '');
  fs.writeFileSync(path.join(dir, 'work', 'bootstrap.iso'), '');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------------------
// bash

const BASH_DRIVER = `source "$1"; shift; COMP_CWORD=$1; shift; COMP_WORDS=("$@"); COMP_LINE="$*"; COMPREPLY=()
_vic_machine; printf '%s\\n' "\${COMPREPLY[@]}"`;

/** What bash offers for the command line `line` (words split at spaces; a trailing space starts a new, empty word). */
function bashWords(words: string[]): string[] {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', BASH_DRIVER, 'driver', bashFile, String(words.length - 1), ...words],
    { cwd: path.join(dir, 'work'), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

function bash(line: string): string[] {
  return bashWords(line.split(' '));
}

/** Every spelling the parser accepts for the flags of a command path (long names and aliases), as help prints them. */
function spellingsOf(p: string): string[] {
  const spec = allCommands().find((c) => c.path === p)!.spec;
  return [...spec.flags, ...GLOBAL_FLAGS, HELP_FLAG].flatMap((d) => [d.name, ...(d.aliases ?? [])]).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
}

describe('completion bash', () => {
  test('is valid bash, prints nothing else, and writes no run log (also with a password in the environment)', async () => {
    expect(spawnSync('bash', ['-n', bashFile]).status).toBe(0);
    const cwd = path.join(dir, 'logcheck');
    fs.mkdirSync(cwd);
    // a password that is a word of the script: redaction must not touch a generated script
    const r = await run(['completion', 'bash'], { cwd, env: { VIC_MACHINE_LOG_FILE: 'vic-machine.log', VIC_MACHINE_PASSWORD: 'inspect' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(bashScript);
    expect(r.stdout).toContain("'inspect') REPLY='config help'");
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('the commands, in the registry order, then help', () => {
    expect(bash('vic-machine ')).toEqual([...COMMANDS.map((c) => c.name), 'help']);
    expect(bash('vic-machine in')).toEqual(['inspect']);
    expect(bash('vic-machine inspect ')).toEqual(['config', 'help']);
    expect(bash('vic-machine update f')).toEqual(['firewall']);
    expect(bash('vic-machine completion ')).toEqual(['bash', 'zsh', 'help']);
    // global flags before the command do not hide it
    expect(bash('vic-machine --json inspect ')).toEqual(['config', 'help']);
  });

  test.each(allCommands().map((c) => c.path))('%s: every flag and alias the parser accepts, nothing else', (p) => {
    const offered = bash(`vic-machine ${p} -`);
    expect(offered.sort()).toEqual(spellingsOf(p).sort());
  });

  test('the program\'s own flags before a command', () => {
    expect(bash('vic-machine -').sort()).toEqual(['--help', '--json', '--no-color', '--version', '-h', '-v']);
  });

  test('a flag of another command is not offered, and the parser refuses it too', async () => {
    expect(bash('vic-machine ls --image')).toEqual([]);
    expect(bash('vic-machine create --image')).toEqual(['--image-store']);
    await expect(parseArgs(['ls', '--image-store', 'ds1'])).rejects.toThrow(/flag provided but not defined: --image-store/);
  });

  test("Go's one-dash long names (-target) are completed too", () => {
    expect(bash('vic-machine create -tar')).toEqual(['-target']);
    expect(bash('vic-machine create -bn')).toEqual(['-bnr', '-bnw']);
  });

  test('after a command without subcommands, a bare word offers its flags', () => {
    expect(bash('vic-machine ls ').sort()).toEqual(spellingsOf('ls').sort());
  });

  test('inspect config --format: the formats inspect config accepts', async () => {
    expect(bash('vic-machine inspect config --format ')).toEqual([...INSPECT_CONFIG_FORMATS]);
    expect(bash('vic-machine inspect config --format y')).toEqual(['yaml']);
    // --format=v as bash splits it at '=' (COMP_WORDBREAKS), and right after the '='
    expect(bashWords(['vic-machine', 'inspect', 'config', '--format', '=', 'v'])).toEqual(['verbose']);
    expect(bashWords(['vic-machine', 'inspect', 'config', '--format', '='])).toEqual([...INSPECT_CONFIG_FORMATS]);
    // each offered value is taken without the "Invalid configuration output format" warning
    for (const f of INSPECT_CONFIG_FORMATS) {
      const parsed = await parseArgs(['inspect', 'config', '--format', f]);
      expect(parsed?.warnings).toEqual([]);
      expect(parsed?.options.format).toBe(f);
    }
  });

  test('enumerated values of --debug (also by its alias -v) and shares; offered values parse', async () => {
    expect(bash('vic-machine ls --debug ')).toEqual(['0', '1', '2', '3']);
    expect(bash('vic-machine ls -v ')).toEqual(['0', '1', '2', '3']);
    expect(bash('vic-machine create --memory-shares ')).toEqual(['low', 'normal', 'high']);
    expect(bash('vic-machine configure --cpus n')).toEqual(['normal']);
    for (const v of bash('vic-machine configure --cpu-shares ')) {
      const parsed = await parseArgs(['configure', '--cpu-shares', v]);
      expect(parsed?.options.cpuShares).toEqual({ level: v });
    }
  });

  test('files for ISOs and certificates, folders for --tls-cert-path; names with spaces stay whole', () => {
    expect(bash('vic-machine create --appliance-iso ').sort()).toEqual(['appliance one.iso', 'bootstrap.iso', 'certs dir']);
    expect(bash('vic-machine create --ai app')).toEqual(['appliance one.iso']);
    expect(bash('vic-machine upgrade --bootstrap-iso b')).toEqual(['bootstrap.iso']);
    expect(bash('vic-machine inspect --tls-cert-path ')).toEqual(['certs dir']);
    // free-text values: nothing to offer (rather than file names)
    expect(bash('vic-machine create --name ')).toEqual([]);
  });

  test('values of flags are not taken for subcommands or flags', () => {
    // the value "inspect" of --name does not make inspect's subcommands appear
    expect(bash('vic-machine create --name inspect -')).toEqual(spellingsOf('create'));
    expect(bash('vic-machine inspect --name config ').sort()).toEqual(['config', 'help']);
    expect(bashWords(['vic-machine', 'inspect', '--name', '=', 'config', ''])).toEqual(['config', 'help']);
    // a boolean flag takes no value: the next word is a subcommand
    expect(bash('vic-machine inspect --json c')).toEqual(['config']);
  });

  test('help <command>: commands and subcommands, and -x only where it exists', () => {
    expect(bash('vic-machine help ')).toEqual([...COMMANDS.map((c) => c.name), 'help']);
    expect(bash('vic-machine help ins')).toEqual(['inspect']);
    expect(bash('vic-machine help inspect ')).toEqual(['config', 'help']);
    expect(bash('vic-machine inspect help ')).toEqual(['config', 'help']);
    expect(bash('vic-machine help create -')).toEqual(['--extended-help', '-x']);
    expect(bash('vic-machine help ls -')).toEqual([]);
    expect(bash('vic-machine help ls ')).toEqual([]);
  });
});

describe('the value hints', () => {
  const valueFlags = new Map<string, boolean>();
  for (const { spec } of allCommands()) for (const d of spec.flags) valueFlags.set(d.name, !isBoolType(d.type));

  test.each(Object.keys(VALUE_HINTS))('--%s is a flag of some command that takes a value', (name) => {
    expect(valueFlags.get(name)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// zsh

const zshMissing = hasShell('zsh') ? undefined : 'zsh is not installed (scripts/setup.mjs installs it as root)';
if (zshMissing) console.warn(`completion.test.ts: zsh tests skipped: ${zshMissing}`);
const zdescribe = zshMissing ? describe.skip : describe;

// The completion system's functions, recording their arguments: `_describe ... reply` prints the names offered.
const ZSH_DRIVER = `
compdef() { print -r -- "compdef $*" }
source "$1"; shift
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
_describe() { local -a arr; arr=("\${(@P)\${@[-1]}}"); print -rl -- "\${arr[@]%%:*}" }
_files() { print -r -- "_files $*" }
compset() { return 0 }
words=("$@"); CURRENT=$#
_vic-machine`;

function zsh(line: string): string[] {
  const words = line.split(' ');
  const r = spawnSync('zsh', ['-f', '-c', ZSH_DRIVER, 'driver', zshFile, ...words], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('compdef '));
}

zdescribe('completion zsh', () => {
  test('is valid zsh; sourced, it registers itself with compdef', () => {
    expect(spawnSync('zsh', ['-n', zshFile]).status).toBe(0);
    const r = spawnSync('zsh', ['-f', '-c', 'compdef() { print -r -- "compdef $*" }; source "$1"', 'driver', zshFile], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('compdef _vic-machine vic-machine');
  });

  test('from $fpath, compinit binds it to vic-machine (#compdef)', () => {
    const fp = path.join(dir, 'fpath');
    fs.mkdirSync(fp, { recursive: true });
    fs.copyFileSync(zshFile, path.join(fp, '_vic-machine'));
    const r = spawnSync('zsh', ['-f', '-c', `fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -r -- "$_comps[vic-machine]"`, 'z', fp],
      { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect(r.stdout.trim()).toBe('_vic-machine');
  });

  test('commands with descriptions, subcommands, help', () => {
    expect(zsh('vic-machine ')).toEqual([...COMMANDS.map((c) => c.name), 'help']);
    expect(zshScript).toContain("'create:Deploy VCH'");
    expect(zsh('vic-machine inspect ')).toEqual(['config', 'help']);
    expect(zsh('vic-machine help update ')).toEqual(['firewall', 'help']);
    expect(zsh('vic-machine help create -')).toEqual(['--extended-help', '-x']);
  });

  test.each(allCommands().map((c) => c.path))('%s: every flag and alias the parser accepts', (p) => {
    expect(zsh(`vic-machine ${p} -`).sort()).toEqual(spellingsOf(p).sort());
  });

  test('values: formats, debug levels, files, folders; --flag=value; flag values skipped', () => {
    expect(zsh('vic-machine inspect config --format ')).toEqual([...INSPECT_CONFIG_FORMATS]);
    expect(zsh('vic-machine inspect config --format=v')).toEqual([...INSPECT_CONFIG_FORMATS]); // compadd filters by prefix
    expect(zsh('vic-machine ls -v ')).toEqual(['0', '1', '2', '3']);
    expect(zsh('vic-machine create --appliance-iso ')).toEqual(['_files ']);
    expect(zsh('vic-machine inspect --tls-cert-path ')).toEqual(['_files -/']);
    expect(zsh('vic-machine inspect --name config ')).toEqual(['config', 'help']);
    expect(zsh('vic-machine create -tar')).toContain('-target');
  });
});
