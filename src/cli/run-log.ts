// The log of one run: every line vic-machine printed on stderr, every debug line (also those --debug did not print)
// and every traced round trip, with a UTC time, secrets redacted. Appended to a log file in the working directory
// (`vic-machine.log`, as vic-machine 1.5 does; `VIC_MACHINE_LOG_FILE` names another file, "-" writes none), kept
// private to the user (0600: it names the inventory), and its path printed when the command fails. `create` also
// uploads it to the VCH's datastore folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redact.js';

export class RunLog {
  private readonly lines: string[] = [];
  private flushed = 0;

  constructor(private readonly redactor: Redactor, readonly header: string) {
    this.add('info', header);
  }

  add(level: 'info' | 'warn' | 'error' | 'debug', message: string): void {
    const text = this.redactor.redact(message.replace(/\n$/, ''));
    const stamp = new Date().toISOString();
    for (const l of text.split('\n')) this.lines.push(`${stamp} ${level.padEnd(5)} ${l}`);
  }

  /** The whole log of this run (redacted). */
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }

  /**
   * Appends what the log file does not have yet (see logFileFor); false when that failed, which must not fail the
   * command. Called again later, it appends only the lines added since.
   */
  appendTo(file: string): boolean {
    try {
      const fresh = this.lines.slice(this.flushed);
      if (fresh.length) fs.appendFileSync(file, `${fresh.join('\n')}\n`, { mode: 0o600 });
      this.flushed = this.lines.length;
      return true;
    } catch {
      return false;
    }
  }
}

/** Where the run's log goes: VIC_MACHINE_LOG_FILE (relative to the working directory; "-" = nowhere), else ./vic-machine.log. */
export function logFileFor(cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = env['VIC_MACHINE_LOG_FILE'] ?? 'vic-machine.log';
  return name === '-' || name === '' ? undefined : path.resolve(cwd, name);
}

/** The secrets of a run: values of secret flags, the target URL's password, and password-like environment variables. */
export function runSecrets(given: readonly { values: string[]; secret: boolean; name: string }[], env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const g of given) {
    if (g.secret) out.push(...g.values);
    for (const v of g.values) {
      const m = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:([^@\s]+)@/i.exec(v) ?? /^[^/@\s:]+:([^@\s]+)@/.exec(v);
      if (m) out.push(m[1]!, safeDecode(m[1]!));
    }
  }
  for (const [k, v] of Object.entries(env)) if (v && /PASSWORD|PASSWD|TOKEN|SECRET/i.test(k)) out.push(v);
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
