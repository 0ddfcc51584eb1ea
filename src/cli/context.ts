// What a command implementation receives besides its options.
import type { GivenFlag } from './flags/build.js';
import type { Output } from './output.js';

export interface CommandContext {
  /** the command as typed: `create`, `inspect config`, `update firewall` */
  readonly command: string;
  /** logging (stderr) and result rendering (stdout; JSON with --json) */
  readonly out: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** aborted on SIGINT (the process then exits 130 after the cleanups have run) */
  readonly signal: AbortSignal;
  /**
   * The flags the user set (command line or environment), in definition order, with raw values — what create
   * records as vic_machine_create_options. Values of `secret` flags and URL passwords must not be logged.
   */
  readonly given: readonly GivenFlag[];
  /** stdin and stdout are terminals: prompting is allowed */
  readonly interactive: boolean;
  /** Masked password prompt on the terminal (inquirer, loaded on first use). Only call when `interactive`. */
  promptPassword(message: string): Promise<string>;
  /** The log of this run so far (secrets redacted): what create uploads to the VCH's datastore folder. */
  readonly runLog?: () => string;
  /** Registers work to run when the command ends, whatever the outcome (also on SIGINT); last registered runs first. */
  onCleanup(fn: () => unknown): void;
}

/** What run() may return: `data` is printed as JSON with --json, `text` otherwise (both on stdout). */
export interface CommandResult {
  data?: unknown;
  text?: string;
}

/** The shape of src/cli/commands/<name>.ts. */
export interface CommandModule<O> {
  run(options: O, ctx: CommandContext): Promise<CommandResult | void>;
}
