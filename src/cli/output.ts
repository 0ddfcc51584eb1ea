// Where things are printed. Human-readable log lines go to stderr; the command's result goes to stdout, as text or,
// with --json, as JSON; errors are one line on stderr (plus `{"error":{...}}` on stdout with --json). Colour only on
// stderr and only on a terminal; never with --json or --no-color (asked for on this command line: they beat the
// environment), NO_COLOR (any non-empty value, as no-color.org says) or TERM=dumb; FORCE_COLOR overrides those three
// environment rules. stdout (results, help, completion scripts) is never coloured, so piped output is plain text.
// No dependencies (chalk is not needed for this; commands that load chalk/ora later see FORCE_COLOR=0 when colour is
// off, see main.ts).
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

/** The colour rule of ecosystem-notes §5.5, with the command line first. */
export function shouldUseColor({ stream, env, noColorFlag = false, json = false }: ColorInputs): boolean {
  if (noColorFlag || json) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
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

  /** Receives every stderr line and every debug line (printed or not), unpainted: the run's log. */
  tee: ((level: 'info' | 'warn' | 'error' | 'debug', message: string) => void) | undefined;
  /** Applied to every stderr line: the run's known secrets never reach the terminal either. */
  redact: ((s: string) => string) | undefined;

  private line(s: string): void {
    const t = this.redact ? this.redact(s) : s;
    this.stderr.write(t.endsWith('\n') ? t : `${t}\n`);
  }

  /** The last progress line: what a command was doing when its --timeout ran out. */
  lastInfo: string | undefined;

  /** A progress or information line (stderr). */
  info(message: string): void {
    if (message.trim()) this.lastInfo = message.trim();
    this.tee?.('info', message);
    this.line(message);
  }

  warn(message: string): void {
    this.tee?.('warn', `Warning: ${message}`);
    this.line(`${this.paint('yellow', 'Warning:')} ${message}`);
  }

  /** An error line that is not the final failure (that one is printed by failure()). */
  error(message: string): void {
    this.tee?.('error', `Error: ${message}`);
    this.line(`${this.paint('red', 'Error:')} ${message}`);
  }

  /** Printed only when --debug >= level (always kept in the run's log). Never pass secrets. */
  debug(message: string, level = 1): void {
    this.tee?.('debug', message);
    if (this.debugLevel >= level) this.line(this.paint('dim', `DEBUG ${message}`));
  }

  /**
   * The command's result, on stdout: with --json `data` as JSON (nothing if undefined); otherwise `text` (nothing if
   * undefined).
   */
  result(data: unknown, text?: string | (() => string)): void {
    if (this.json) {
      if (data !== undefined) {
        const json = JSON.stringify(data, null, 2);
        this.stdout.write(`${this.redact ? this.redact(json) : json}\n`);
      }
      return;
    }
    const t0 = typeof text === 'function' ? text() : text;
    const t = t0 !== undefined && this.redact ? this.redact(t0) : t0;
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
  failure(err: CliError, command?: string, logFile?: string): void {
    const prefix = command ? `${this.programName} ${command}` : this.programName;
    const hint = err.hint ? ` (${err.hint})` : '';
    this.tee?.('error', `${prefix}: ${err.message}${hint}`);
    this.line(`${this.paint('red', `${prefix}:`)} ${err.message}${hint}`);
    const cause = err.cause instanceof Error ? err.cause : err;
    if (cause.stack) this.tee?.('debug', cause.stack);
    if (this.debugLevel >= 1 && cause.stack) this.line(this.paint('dim', cause.stack));
    if (logFile) this.line(`The log of this run is in ${logFile}`);
    if (this.json) {
      const json = JSON.stringify({ ...err.toJSON(), ...(logFile ? { logFile } : {}) });
      this.stdout.write(`${this.redact ? this.redact(json) : json}\n`);
    }
  }
}
