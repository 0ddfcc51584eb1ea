// `vic-machine completion bash|zsh`: prints a completion script generated from the command registry and the flag
// definitions the CLI parses with (src/cli/completion/), so the script and the CLI cannot disagree. Local only:
// contacts nothing and writes no run log (the script is typically sourced by every new shell).
import { bashScript } from '../completion/bash.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';
import type { CommandContext, CommandModule, CommandResult } from '../context.js';
import { type CommandSpec, PROGRAM_DESCRIPTION } from '../command-spec.js';
import { packageVersion } from '../version.js';

/** `completion` takes no flags of its own. */
export type CompletionOptions = Record<string, never>;

const RENDERERS = { bash: bashScript, zsh: zshScript } as const;

/** The command printing `shell`'s script for `commands` (the registry passes its own, which it loads this from). */
export function completionCommand(shell: keyof typeof RENDERERS, commands: readonly CommandSpec[]): CommandModule<CompletionOptions> {
  return {
    async run(_options: CompletionOptions, ctx: CommandContext): Promise<CommandResult> {
      const script = RENDERERS[shell](completionModel(ctx.out.programName, PROGRAM_DESCRIPTION, commands), packageVersion());
      return { text: script, data: { shell, script } };
    },
  };
}
