// The masked password prompt (inquirer, imported on first use only: it costs 0.3-0.6 s to load). Written to stderr so
// that stdout stays clean for results and --json.
import type { TextStream } from './output.js';

export async function promptPassword(message: string, output: TextStream = process.stderr): Promise<string> {
  const { default: inquirer } = await import('inquirer');
  const prompt = inquirer.createPromptModule({ output: output as NodeJS.WritableStream });
  const answers = await prompt<{ password: string }>([{ type: 'password', name: 'password', message, mask: '*' }]);
  return answers.password;
}
