// `vic-machine completion bash|zsh`: prints a completion script generated from the command registry and the flag
// definitions the CLI parses with (src/cli/completion/), so the script and the CLI cannot disagree. Local only:
// contacts nothing and writes no run log (the script is typically sourced by every new shell).
import { bashScript } from '../completion/bash.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';
import type { CommandContext, CommandModule, CommandResult } from '../context.js';
import { PROGRAM_DESCRIPTION } from '../program.js';
import { packageVersion } from '../version.js';

/** `completion` takes no flags of its own. */
export type CompletionOptions = Record<string, never>;

function shell(render: (root: ReturnType<typeof completionModel>, version: string) => string, name: string): CommandModule<CompletionOptions> {
  return {
    async run(_options: CompletionOptions, ctx: CommandContext): Promise<CommandResult> {
      const script = render(completionModel(ctx.out.programName, PROGRAM_DESCRIPTION), packageVersion());
      return { text: script, data: { shell: name, script } };
    },
  };
}

export const bash = shell(bashScript, 'bash');
export const zsh = shell(zshScript, 'zsh');
