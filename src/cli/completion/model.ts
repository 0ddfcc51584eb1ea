// What shell completion knows, derived from the command registry and the flag definitions the parser uses, so that a
// completion script can never offer a flag the CLI refuses or miss one it accepts. The shell scripts (bash.ts, zsh.ts)
// only render this model.
import { GLOBAL_FLAGS, HELP_FLAG } from '../flags/groups.js';
import { dashed } from '../flags/normalise.js';
import { type FlagDef, isBoolType } from '../flags/types.js';
import { type CommandSpec, HELP_COMMAND_DESCRIPTION, INSPECT_CONFIG_FORMATS } from '../command-spec.js';

/** How the value of a flag is completed. */
export type ValueCompletion =
  | { kind: 'none' } // a boolean: no value (only `--flag=true|false`)
  | { kind: 'any' } // free text: nothing is offered
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'file' }
  | { kind: 'directory' };

export interface CompletionFlag {
  /** the long name without dashes */
  name: string;
  /** every name without dashes (long name first, then aliases) */
  names: string[];
  /** how each name is spelled in help and offered: `--target`, `-t`, `--bnr` */
  spellings: string[];
  description: string;
  value: ValueCompletion;
}

export interface CompletionCommand {
  /** `inspect config`; '' for the program itself */
  path: string;
  name: string;
  description: string;
  flags: CompletionFlag[];
  subcommands: CompletionCommand[];
}

/**
 * Values that can be listed, and flags that name files or folders. Keyed by long name; a unit test checks that each
 * key is a flag of some command that takes a value, so a renamed flag fails the build of the model instead of
 * silently losing its completion.
 */
export const VALUE_HINTS: Readonly<Record<string, ValueCompletion>> = {
  format: { kind: 'words', words: INSPECT_CONFIG_FORMATS },
  debug: { kind: 'words', words: ['0', '1', '2', '3'] },
  'memory-shares': { kind: 'words', words: ['low', 'normal', 'high'] },
  'cpu-shares': { kind: 'words', words: ['low', 'normal', 'high'] },
  'certificate-key-size': { kind: 'words', words: ['2048', '3072', '4096'] },
  'appliance-iso': { kind: 'file' },
  'bootstrap-iso': { kind: 'file' },
  'tls-server-key': { kind: 'file' },
  'tls-server-cert': { kind: 'file' },
  'tls-ca': { kind: 'file' },
  'registry-ca': { kind: 'file' },
  'authorized-key': { kind: 'file' },
  config: { kind: 'file' },
  'tls-cert-path': { kind: 'directory' },
};

function flagOf(def: FlagDef): CompletionFlag {
  const names = [def.name, ...(def.aliases ?? [])];
  const value: ValueCompletion = isBoolType(def.type) ? { kind: 'none' } : VALUE_HINTS[def.name] ?? { kind: 'any' };
  const description = def.usage.split('\n')[0]!;
  return { name: def.name, names, spellings: names.map(dashed), description, value };
}

const COMMON_FLAGS = [...GLOBAL_FLAGS, HELP_FLAG];

function commandOf(spec: CommandSpec, prefix: string): CompletionCommand {
  const path = prefix ? `${prefix} ${spec.name}` : spec.name;
  return {
    path,
    name: spec.name,
    description: spec.description,
    // hidden flags are real flags (they are only left out of the short help), so they are completed too
    flags: [...spec.flags, ...COMMON_FLAGS].map(flagOf),
    subcommands: (spec.subcommands ?? []).map((s) => commandOf(s, path)),
  };
}

/** The program with every command, in the registry's order; `help` is completed as a command of its own. */
export function completionModel(programName: string, description: string, commands: readonly CommandSpec[]): CompletionCommand {
  const version: CompletionFlag = {
    name: 'version', names: ['version', 'v'], spellings: ['--version', '-v'], description: 'print the version', value: { kind: 'none' },
  };
  return {
    path: '',
    name: programName,
    description,
    flags: [...COMMON_FLAGS.map(flagOf), version],
    subcommands: commands.map((s) => commandOf(s, '')),
  };
}

export const HELP_WORD = { name: 'help', description: HELP_COMMAND_DESCRIPTION } as const;

/** Every command of the model, depth first (the program itself first). */
export function walk(cmd: CompletionCommand): CompletionCommand[] {
  return [cmd, ...cmd.subcommands.flatMap(walk)];
}

/** The names (long and aliases, without dashes) of a command's flags that take a value, space-separated with a
 * space at each end, so that a shell finds one with a `*" name "*` match. */
export function valueFlagNames(cmd: CompletionCommand): string {
  return ` ${cmd.flags.filter((f) => f.value.kind !== 'none').flatMap((f) => f.names).join(' ')} `;
}
