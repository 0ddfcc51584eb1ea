// What a command is (name, description, flags, loader) and the words the program, its help and shell completion
// share. Apart from registry.ts (the commands themselves), so that what the registry loads lazily, such as the
// completion command that lists every command, can name these without importing the registry back.
import type { CommandContext, CommandModule } from './context.js';
import type { FlagDef } from './flags/types.js';

export const PROGRAM_DESCRIPTION = 'Create and manage Virtual Container Hosts';

export const HELP_COMMAND_DESCRIPTION = 'Shows a list of commands or help for one command';

/** `inspect config --format` values (shell completion offers the same list). */
export const INSPECT_CONFIG_FORMATS = ['raw', 'verbose', 'yaml', 'json'] as const;

export interface CommandSpec {
  name: string;
  description: string;
  flags: readonly FlagDef[];
  /** accepts -x/--extended-help (create, configure) */
  extendedHelp?: boolean;
  subcommands?: readonly CommandSpec[];
  /** the implementation; absent for `update`, which only groups subcommands (run alone it prints its help) */
  load?: () => Promise<CommandModule<never>>;
  /** checks across flags, after typing (throw UsageError); may normalise values */
  finalize?: (options: Record<string, unknown>, ctx: CommandContext) => void;
  /**
   * prints only what the CLI's own definitions generate and contacts nothing (completion): no run log is written,
   * and its output is not redacted (a password that happens to be a word of a completion script would corrupt it)
   */
  localOnly?: boolean;
}
