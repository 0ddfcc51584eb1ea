// Where things are printed. Human-readable log lines go to stderr; the command's result goes to stdout, as text or,
// with --json, as JSON; errors are one line on stderr (plus `{"error":{...}}` on stdout with --json). Colour only on a
// terminal, never with --json, --no-color, NO_COLOR or TERM=dumb; FORCE_COLOR overrides. No dependencies (chalk is
// not needed for this; commands that load chalk/ora later see FORCE_COLOR=0 when colour is off, see main.ts).
import type { CliError } from './errors.js';

export interface TextStream {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ColorInputs {
  stream: TextStream;
  env: Readonly<Record<string, string | undefined>>;
  noColorFlag?: boolean;
  json?: boolean;
}

/** The colour rule of ecosystem-notes §5.5. */
export function shouldUseColor({ stream, env, noColorFlag = false, json = false }: ColorInputs): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (noColorFlag || json) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const ANSI = { red: [31, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] } as const;

export interface OutputSettings {
  json: boolean;
  /** colour on stderr */
  color: boolean;
  /** --debug level; debug lines are printed at >= 1 */
  debugLevel?: number;
  /** `vic-machine` */
  programName?: string;
}

export class Output {
  json: boolean;
  color: boolean;
  debugLevel: number;
  readonly programName: string;

  constructor(readonly stdout: TextStream, readonly stderr: TextStream, settings: OutputSettings) {
    this.json = settings.json;
    this.color = settings.color;
    this.debugLevel = settings.debugLevel ?? 0;
    this.programName = settings.programName ?? 'vic-machine';
  }

  private paint(style: keyof typeof ANSI, s: string): string {
    if (!this.color) return s;
    const [on, off] = ANSI[style];
    return `\u001b[${on}m${s}\u001b[${off}m`;
  }

  private line(s: string): void {
    this.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  }

  /** A progress or information line (stderr). */
  info(message: string): void {
    this.line(message);
  }

  warn(message: string): void {
    this.line(`${this.paint('yellow', 'Warning:')} ${message}`);
  }

  /** An error line that is not the final failure (that one is printed by failure()). */
  error(message: string): void {
    this.line(`${this.paint('red', 'Error:')} ${message}`);
  }

  /** Printed only when --debug >= level. Never pass secrets. */
  debug(message: string, level = 1): void {
    if (this.debugLevel >= level) this.line(this.paint('dim', `DEBUG ${message}`));
  }

  /**
   * The command's result, on stdout: with --json `data` as JSON (nothing if undefined); otherwise `text` (nothing if
   * undefined).
   */
  result(data: unknown, text?: string | (() => string)): void {
    if (this.json) {
      if (data !== undefined) this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    const t = typeof text === 'function' ? text() : text;
    if (t !== undefined && t !== '') this.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
  }

  /** Plain text to stdout (help), regardless of --json. */
  raw(text: string): void {
    this.stdout.write(text);
  }

  /**
   * The final error: one line `vic-machine <command>: <message> (<hint>)` on stderr; with --json also the error object
   * on stdout. The stack trace only at --debug >= 1.
   */
  failure(err: CliError, command?: string): void {
    const prefix = command ? `${this.programName} ${command}` : this.programName;
    const hint = err.hint ? ` (${err.hint})` : '';
    this.line(`${this.paint('red', `${prefix}:`)} ${err.message}${hint}`);
    if (this.debugLevel >= 1) {
      const cause = err.cause instanceof Error ? err.cause : err;
      if (cause.stack) this.line(this.paint('dim', cause.stack));
    }
    if (this.json) this.stdout.write(`${JSON.stringify(err.toJSON())}\n`);
  }
}
