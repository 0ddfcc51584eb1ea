// The terminal prompts (inquirer, imported on first use only: it costs 0.3-0.6 s to load). Written to stderr so that
// stdout stays clean for results and --json. Callers prompt only when the context says stdin and stdout are terminals.
import type { TextStream } from './output.js';

async function promptModule(output: TextStream) {
  const { default: inquirer } = await import('inquirer');
  return inquirer.createPromptModule({ output: output as NodeJS.WritableStream });
}

export async function promptPassword(message: string, output: TextStream = process.stderr): Promise<string> {
  const prompt = await promptModule(output);
  const answers = await prompt<{ password: string }>([{ type: 'password', name: 'password', message, mask: '*' }]);
  return answers.password;
}

/** A yes/no question; `no` unless the user types yes (the safe answer for trust decisions). */
export async function promptConfirm(message: string, output: TextStream = process.stderr): Promise<boolean> {
  const prompt = await promptModule(output);
  const answers = await prompt<{ ok: boolean }>([{ type: 'confirm', name: 'ok', message, default: false }]);
  return answers.ok;
}

/** One value out of a list (arrow keys and enter). */
export async function promptSelect(message: string, choices: readonly { name: string; value: string; description?: string }[],
  output: TextStream = process.stderr): Promise<string> {
  const prompt = await promptModule(output);
  const answers = await prompt<{ value: string }>([{ type: 'select', name: 'value', message, choices: [...choices], pageSize: 12 }]);
  return answers.value;
}
