// Process exit statuses of vic-machine (ecosystem-notes §5.4). The original used 0/1 only (and 0 for flag errors);
// these let scripts tell a typo from a bad password from a missing VCH.
export const ExitCode = {
  /** success, --help, -x, version */
  Ok: 0,
  /** unexpected or internal error */
  Internal: 1,
  /** usage or validation error: unknown flag, bad value, missing --target, invalid configuration, not implemented */
  Usage: 2,
  /** the target's TLS certificate is not trusted, or does not match --thumbprint */
  TlsTrust: 3,
  /** authentication failed, or the user lacks a permission */
  Auth: 4,
  /** the VCH (or another named object) does not exist */
  NotFound: 5,
  /** the name exists already, or another operation is in progress */
  Conflict: 6,
  /** --timeout exceeded */
  Timeout: 7,
  /** the target cannot be reached (refused, no such name, no route, no answer), or is not vCenter or ESXi */
  Target: 8,
  /** SIGINT */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
