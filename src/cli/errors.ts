// The CLI's error type. Every failure reaching main() becomes a CliError: a type (for --json), an exit code, one
// message line, and optionally the flag concerned and a hint. Errors of the lower layers are classified by duck
// typing (name / faultName), so that this module imports nothing and stays cheap for --help.
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { ValidationCode } from '../vic/validate/types.js';

export type ErrorType =
  | 'usage' | 'validation' | 'not-implemented' | 'internal' | 'tls-trust' | 'authentication' | 'not-found' | 'conflict'
  | 'timeout' | 'interrupted' | 'target';

const EXIT_BY_TYPE: Record<ErrorType, ExitCodeValue> = {
  usage: ExitCode.Usage,
  validation: ExitCode.Usage,
  'not-implemented': ExitCode.Usage,
  internal: ExitCode.Internal,
  'tls-trust': ExitCode.TlsTrust,
  authentication: ExitCode.Auth,
  'not-found': ExitCode.NotFound,
  conflict: ExitCode.Conflict,
  timeout: ExitCode.Timeout,
  interrupted: ExitCode.Interrupted,
  target: ExitCode.Target,
};

/**
 * What kind of usage error it is (a bad command line, before anything is looked up): with the flag, what a program
 * (a script reading --json, the interactive prompt) decides on, never the message text.
 */
export type UsageCode =
  | 'unknown-command' | 'unknown-flag' | 'unexpected-argument' | 'flag-syntax' | 'flag-value-invalid' | 'flag-value-missing'
  | 'required-flag-missing' | 'flags-conflict' | 'flag-needs-another' | 'config-file-invalid' | 'file-unreadable' | 'no-terminal'
  | 'environment-invalid' | 'certificate-location-exists';

/** The code of a usage or validation error: a usage code, or the code of the validation problem (the first, if several). */
export type ErrorCode = UsageCode | ValidationCode;

/** One of several problems reported at once (create's validation): for --json, so a script need not parse text. */
export interface CliProblem {
  /** what kind of problem it is (src/vic/validate/types.ts ValidationCode) */
  code?: ErrorCode;
  flag?: string;
  message: string;
  /** values that would work for `flag` (the text's "Suggested values for <flag>:") */
  suggestions?: string[];
  /** a command that fixes it */
  fix?: string;
}

export interface CliErrorDetails {
  /** usage and validation errors: what kind of problem it is */
  code?: ErrorCode | undefined;
  /** the flag the error is about, e.g. `--target` */
  flag?: string | undefined;
  /** what to do about it */
  hint?: string | undefined;
  /** every problem, when the error reports several (each also in the message text) */
  problems?: CliProblem[] | undefined;
  cause?: unknown;
}

type ErrorJson = { type: ErrorType; code?: ErrorCode; message: string; flag?: string; hint?: string; problems?: CliProblem[] };

export class CliError extends Error {
  override name = 'CliError';
  readonly code: ErrorCode | undefined;
  readonly flag: string | undefined;
  readonly hint: string | undefined;
  readonly problems: CliProblem[] | undefined;

  constructor(readonly type: ErrorType, message: string, details: CliErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.flag = details.flag;
    this.hint = details.hint;
    this.problems = details.problems;
  }

  get exitCode(): ExitCodeValue {
    return EXIT_BY_TYPE[this.type];
  }

  /** The `--json` error shape: `{"error":{"type","code"?,"message","flag"?,"hint"?,"problems"?}}` (docs/json.md). */
  toJSON(): { error: ErrorJson } {
    const error: ErrorJson = { type: this.type, ...(this.code !== undefined ? { code: this.code } : {}), message: this.message };
    if (this.flag !== undefined) error.flag = this.flag;
    if (this.hint !== undefined) error.hint = this.hint;
    if (this.problems !== undefined) error.problems = this.problems;
    return { error };
  }
}

/** Bad command line: unknown flag or command, bad value, positional argument, missing required input. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string, details: CliErrorDetails & { code: ErrorCode }) {
    super('usage', message, details);
  }
}

/** The command is registered and its flags are checked, but it does nothing yet. */
export class NotImplementedError extends CliError {
  override name = 'NotImplementedError';
  constructor(command: string) {
    super('not-implemented', 'not implemented yet');
    this.command = command;
  }
  readonly command: string;
}

/** Exit code for an error of any layer. */
export function exitCodeFor(err: unknown): ExitCodeValue {
  return toCliError(err).exitCode;
}

const AUTH_FAULTS = new Set(['InvalidLogin', 'NotAuthenticated', 'NoPermission', 'InvalidCertificate', 'NoClientCertificate', 'RestrictedVersion']);
const NOT_FOUND_FAULTS = new Set(['ManagedObjectNotFound', 'NotFound', 'FileNotFound']);
const CONFLICT_FAULTS = new Set(['DuplicateName', 'AlreadyExists', 'ConcurrentAccess', 'TaskInProgress']);

/**
 * Classifies any thrown value. Errors of src/vim and src/vic are recognised by name: `TlsTrustError` → tls-trust,
 * `VimFault`/`TaskError` by fault name (InvalidLogin → authentication, ...), `AbortError` → interrupted,
 * `TimeoutError` → timeout; objects with a `cliErrorType` property (one of ErrorType) are honoured as such, so
 * lower layers can classify their own errors without importing the CLI.
 */
function unansweredRequest(err: Error): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'ETIMEDOUT' && /no answer within|stalled: no data moved/.test(e.message)) return true;
    if (e.name === 'WaitTimeoutError' && / to finish$/.test(e.message)) return true;
  }
  return false;
}

export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (!(err instanceof Error)) return new CliError('internal', String(err));
  const e = err as Error & { faultName?: unknown; cliErrorType?: unknown; code?: unknown; flag?: unknown; hint?: unknown; issues?: unknown };
  const details: CliErrorDetails = { cause: err };
  if (typeof e.flag === 'string') details.flag = e.flag;
  if (typeof e.hint === 'string') details.hint = e.hint;
  // validation issues of src/vic (flag, message, suggestions?, fix?): listed for --json, the first one's flag as the flag
  if (Array.isArray(e.issues) && e.issues.every((i) => typeof (i as CliProblem)?.message === 'string')) {
    details.problems = (e.issues as CliProblem[]).map(({ code, flag, message, suggestions, fix }) => ({
      ...(code !== undefined ? { code } : {}), ...(flag !== undefined ? { flag } : {}), message,
      ...(suggestions !== undefined ? { suggestions } : {}), ...(fix !== undefined ? { fix } : {}),
    }));
    details.flag ??= details.problems[0]?.flag;
    details.code ??= details.problems[0]?.code;
  }
  // A usage or validation error of a lower layer names its own code (Node's errors have a `code` too, e.g.
  // ECONNREFUSED, but never a cliErrorType).
  if ((e.cliErrorType === 'usage' || e.cliErrorType === 'validation') && typeof e.code === 'string') details.code ??= e.code as ErrorCode;
  // A request vSphere did not answer, or a task it did not finish, within VIC_MACHINE_API_TIMEOUT (its own error or
  // the cause of a failed step).
  if (details.hint === undefined && unansweredRequest(err)) {
    details.hint = 'vSphere did not answer, or finish its task, in time; on a busy target raise VIC_MACHINE_API_TIMEOUT (default 5m)';
  }
  if (typeof e.cliErrorType === 'string' && e.cliErrorType in EXIT_BY_TYPE) return new CliError(e.cliErrorType as ErrorType, e.message, details);
  if (e.name === 'TlsTrustError') return new CliError('tls-trust', e.message, details);
  if (e.name === 'AbortError' || e.name === 'ExitPromptError') return new CliError('interrupted', e.message || 'interrupted', details);
  if (e.name === 'TimeoutError') return new CliError('timeout', e.message, details);
  if (typeof e.faultName === 'string') {
    if (AUTH_FAULTS.has(e.faultName)) return new CliError('authentication', e.message, details);
    if (NOT_FOUND_FAULTS.has(e.faultName)) return new CliError('not-found', e.message, details);
    if (CONFLICT_FAULTS.has(e.faultName)) return new CliError('conflict', e.message, details);
  }
  return new CliError('internal', e.message || e.name, details);
}
