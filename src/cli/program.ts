// The commander program: every command and flag of vic-machine 1.5, help formatted like the original
// (`--target value, -t value  REQUIRED. ... [$VIC_MACHINE_TARGET]`). Commander parses the canonical tokens produced by
// flags/normalise.ts; values stay raw strings here and are typed by flags/build.ts.
import { Command, type Help, Option } from 'commander';
import { GLOBAL_FLAGS } from './flags/groups.js';
import { dashed } from './flags/normalise.js';
import { type FlagDef, isBoolType } from './flags/types.js';
import type { TextStream } from './output.js';
import { HELP_COMMAND_DESCRIPTION, PROGRAM_DESCRIPTION } from './command-spec.js';
import { COMMANDS, type CommandSpec } from './registry.js';

export const PROGRAM_NAME = 'vic-machine';
export { PROGRAM_DESCRIPTION };
const GLOBAL_GROUP = 'Global options:';
const NO_WRAP = 100_000;

/** Called by a command's action with its commander Command (for opts() and help). */
export type ActionHandler = (spec: CommandSpec, path: string, cmd: Command) => Promise<void>;

const DEF_OF = new WeakMap<Option, FlagDef>();

/** The definition behind a commander option (undefined for --help/--version). */
export function flagDefOf(option: Option): FlagDef | undefined {
  return DEF_OF.get(option);
}

/** `--target value, -t value`, `--no-tlsverify, --kv` */
export function flagTerm(def: FlagDef): string {
  const suffix = isBoolType(def.type) ? '' : ' value';
  return [def.name.length === 1 ? `-${def.name}` : `--${def.name}`, ...(def.aliases ?? []).map(dashed)].map((n) => `${n}${suffix}`).join(', ');
}

/** The usage text plus `(default: "x")` and `[$ENV]`, as urfave prints them. */
export function flagDescription(def: FlagDef): string {
  let d = def.usage;
  if (def.default !== undefined && def.default !== '') {
    d += def.type === 'string' ? ` (default: ${JSON.stringify(def.default)})` : ` (default: ${def.default})`;
  }
  if (def.env) d += ` [$${def.env}]`;
  return d;
}

function addFlag(cmd: Command, def: FlagDef, group?: string): void {
  const o = new Option(isBoolType(def.type) ? `--${def.name} [bool]` : `--${def.name} <value>`, def.usage);
  // `--no-tls`, `--no-tlsverify`, `--no-proxy`, `--no-color` are names, not negations of --tls etc.
  if (def.name.startsWith('no-')) o.negate = false;
  if (def.hidden) o.hideHelp();
  if (group) o.helpGroup(group);
  if (def.type === 'strings') o.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  else o.argParser((v: string) => v);
  DEF_OF.set(o, def);
  cmd.addOption(o);
}

export interface ProgramIo {
  stdout: TextStream;
  stderr: TextStream;
}

/** The help of `cmd` with hidden flags listed (-x/--extended-help). */
export function extendedHelpText(cmd: Command): string {
  const hidden = cmd.options.filter((o) => o.hidden);
  for (const o of hidden) o.hidden = false;
  try {
    return cmd.helpInformation();
  } finally {
    for (const o of hidden) o.hidden = true;
  }
}

function addCommand(parent: Command, spec: CommandSpec, prefix: string, onAction: ActionHandler): void {
  const path = prefix ? `${prefix} ${spec.name}` : spec.name;
  const cmd = parent.command(spec.name).description(spec.description);
  for (const def of spec.flags) addFlag(cmd, def);
  for (const def of GLOBAL_FLAGS) addFlag(cmd, def, GLOBAL_GROUP);
  if (spec.extendedHelp) {
    cmd.addHelpText('after', `\nRun '${PROGRAM_NAME} ${path} -x' (--extended-help) to show all options, including advanced ones.`);
  }
  if (spec.subcommands) {
    cmd.helpCommand('help [command]', HELP_COMMAND_DESCRIPTION);
    for (const sub of spec.subcommands) addCommand(cmd, sub, path, onAction);
  }
  cmd.action(async (_opts: unknown, self: Command) => onAction(spec, path, self));
}

export function buildProgram(io: ProgramIo, onAction: ActionHandler): Command {
  const program = new Command(PROGRAM_NAME);
  program
    .description(PROGRAM_DESCRIPTION)
    .usage('[global options] command [command options]')
    .exitOverride()
    // options after a subcommand belong to it (inspect and inspect config both have --target)
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: () => undefined, // main() prints errors
      // wrapped to the terminal's width; not wrapped when piped (like the original), so that grep finds whole lines
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns ?? 80 : NO_WRAP),
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns ?? 80 : NO_WRAP),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .configureHelp({
      sortOptions: false,
      sortSubcommands: false,
      optionTerm(option: Option): string {
        const def = DEF_OF.get(option);
        if (def) return flagTerm(def);
        if (option.long === '--help') return '--help, -h';
        if (option.long === '--version') return '--version, -v';
        return option.flags;
      },
      optionDescription(option: Option): string {
        const def = DEF_OF.get(option);
        return def ? flagDescription(def) : option.description;
      },
      subcommandTerm(cmd: Command): string {
        return cmd.name() === 'help' ? 'help [command]' : cmd.name();
      },
      // as commander's, but continuation lines of multi-line descriptions are aligned also when not wrapping
      formatItem(term: string, termWidth: number, description: string, helper: Help): string {
        if (!description) return `  ${term}`;
        const padded = term.padEnd(termWidth + term.length - helper.displayWidth(term));
        const remaining = (helper.helpWidth ?? 80) - termWidth - 4;
        const wrapped = remaining >= helper.minWidthToWrap ? helper.boxWrap(description, remaining) : description;
        return `  ${padded}  ${wrapped.replace(/\n/g, `\n${' '.repeat(termWidth + 4)}`)}`;
      },
    })
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', HELP_COMMAND_DESCRIPTION);
  for (const def of GLOBAL_FLAGS) addFlag(program, def);
  program.addOption(new Option('-v, --version', 'print the version'));
  program.addHelpText('after', `\nRun '${PROGRAM_NAME} <command> --help' for a command's options.`);
  for (const spec of COMMANDS) addCommand(program, spec, '', onAction);
  return program;
}

/** The commander Command for a path such as ['inspect', 'config']. */
export function findCommand(program: Command, path: readonly string[]): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
  return cmd;
}
