// Runs the CLI in-process with captured output.
import { main, type CliIo } from '../../../src/cli/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FakeIo extends Partial<CliIo> {
  tty?: boolean;
}

export async function run(argv: string[], io: FakeIo = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const tty = io.tty ?? false;
  const code = await main(argv, {
    cwd: process.cwd(),
    handleSignals: false,
    stdin: { isTTY: tty },
    ...io,
    // no run log files from these tests unless a test asks for one (main.test.ts has the test of the log file)
    env: { VIC_MACHINE_LOG_FILE: '-', ...io.env },
    stdout: { write: (s: string) => { stdout += s; return true; }, isTTY: tty, columns: 200 },
    stderr: { write: (s: string) => { stderr += s; return true; }, isTTY: tty },
  });
  return { code, stdout, stderr };
}
