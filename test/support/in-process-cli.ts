// Runs the CLI's main() in the test process (no build, no child process), capturing stdout and stderr, with colour
// off and no terminal (so nothing prompts). For end-to-end runs of the built binary, spawn bin/vic-machine instead.
import { main } from '../../src/cli/main.js';

export interface CliRun { code: number; stdout: string; stderr: string }

export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
    env: { NO_COLOR: '1', ...env }, cwd, stdin: { isTTY: false },
  });
  return { code, stdout, stderr };
}
