// Errors of the SOAP layer. A vSphere fault keeps its vim25 name (InvalidLogin, NotAuthenticated, DuplicateName,
// ManagedObjectNotFound, ...) so that callers branch on the fault, never on message text.
import type { DataObject } from './types.js';
import { trustMessage, type PresentedFingerprints, type ThumbprintWording, type TrustProblem } from './trust-message.js';

/** A vim25 fault: a SOAP fault, a task's error, or a missingSet entry of RetrievePropertiesEx. */
export class VimFault extends Error {
  override readonly name = 'VimFault';
  constructor(
    /** the vim25 fault type, e.g. "InvalidLogin"; "ServerFault" when the server named none */
    readonly faultName: string,
    message: string,
    /** the decoded fault object (its fields, e.g. `name` of DuplicateName, `obj` of ManagedObjectNotFound) */
    readonly detail: DataObject = {},
    /** the method whose call failed */
    readonly method?: string,
  ) {
    super(message || faultName);
  }
}

/** The connection failed, or the server answered something that is not SOAP. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(message: string, readonly code?: string, readonly statusCode?: number) {
    super(message);
  }
}

/**
 * No connection within the handshake limit. Not worth a second attempt: TCP has already resent its SYN several times
 * within the limit, so a retry would only double the wait for a target that is not there.
 */
export class HandshakeTimeoutError extends TransportError {}

/**
 * The first request to the target failed: it cannot be reached (refused, no such name, no route, no answer), or what
 * answers is not vCenter or ESXi (no TLS, an HTTP error, a body that is not SOAP). Carries the CLI classification
 * (duck-typed by src/cli/errors.ts, which this layer does not import): the target class, naming --target.
 */
export class TargetConnectError extends Error {
  override readonly name = 'TargetConnectError';
  readonly cliErrorType = 'target';
  readonly flag = '--target';
  constructor(message: string, readonly reason: 'unreachable' | 'not-vsphere', readonly hint: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The server's certificate is not trusted, does not match the pinned thumbprint, or the pin is not a thumbprint at
 * all (malformed: nothing is trusted). No request byte was sent. --thumbprint is the flag that fixes each of them;
 * the message says so in the CLI's words, messageFor in another front end's (./trust-message.ts).
 */
export class TlsTrustError extends Error {
  override readonly name = 'TlsTrustError';
  readonly flag = '--thumbprint';
  readonly reason: TrustProblem['reason'];
  readonly thumbprintSHA1: string;
  readonly thumbprintSHA256: string;
  constructor(
    readonly host: string,
    readonly problem: TrustProblem,
    readonly certificate: PresentedFingerprints & { subject: string; issuer: string; validFrom: string; validTo: string },
  ) {
    super(trustMessage(host, problem, certificate));
    this.reason = problem.reason;
    this.thumbprintSHA1 = certificate.sha1;
    this.thumbprintSHA256 = certificate.sha256;
  }

  /** The message in a front end's words for passing a thumbprint. */
  messageFor(wording: ThumbprintWording): string {
    return trustMessage(this.host, this.problem, this.certificate, wording);
  }
}

/** A task ended in error: carries the task's fault. */
export class TaskError extends VimFault {}

export function isFault(err: unknown, faultName: string): err is VimFault {
  return err instanceof VimFault && err.faultName === faultName;
}
