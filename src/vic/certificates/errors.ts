/**
 * Errors raised while checking certificate inputs or producing certificates.
 *
 * Every problem names the flag the user has to change (`--tls-cname`, `--tls-server-cert`, ...), so the CLI can
 * print one clear line per problem. Messages never contain key material: only paths, flag names and reasons.
 */

/** Stable identifiers for every problem the certificate module can report. */
export type CertificateProblemCode =
  | 'pair-incomplete' // --tls-server-cert without --tls-server-key or vice versa
  | 'cname-required' // tlsverify generation without a Common Name
  | 'cname-invalid' // --tls-cname is not an IP, CIDR, host name or wildcard name
  | 'cname-mismatch' // a loaded server certificate is not valid for the requested cname
  | 'key-size' // --certificate-key-size out of range
  | 'unreadable' // a file could not be read (missing, permissions, directory)
  | 'not-pem' // no PEM block in the file
  | 'swapped' // --tls-server-cert holds a key and --tls-server-key holds a certificate
  | 'key-not-cert' // a private key where a certificate was expected
  | 'cert-not-key' // a certificate where a private key was expected
  | 'encrypted-key' // a passphrase-protected private key
  | 'not-rsa-or-ec' // key type we cannot use
  | 'pair-mismatch' // certificate and key do not belong together
  | 'not-ca' // the cert path's ca.pem is not a CA (the --no-tlsverify self-signed server certificate)
  | 'wrong-usage' // a certificate whose extended key usage forbids its role (e.g. no serverAuth)
  | 'expired' // certificate no longer (or not yet) valid
  | 'incomplete-cert-path' // cert path holds only half of a pair
  | 'cert-path-not-empty' // generation needed but the cert path already holds files
  | 'cert-path-not-directory' // --tls-cert-path names a file
  | 'write-failed'; // writing the generated files failed

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  readonly code: CertificateProblemCode;
  /** The flag the user should look at, e.g. `--tls-server-cert`; absent for internal failures. */
  readonly flag?: string;
  /** The file concerned, if any. */
  readonly path?: string;
  /** Extra lines for the user (the original printed these as INFO lines), e.g. the `--tls-cname` hints. */
  readonly hints: readonly string[];

  constructor(
    code: CertificateProblemCode,
    message: string,
    details: { flag?: string; path?: string; hints?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.flag !== undefined) this.flag = details.flag;
    if (details.path !== undefined) this.path = details.path;
    this.hints = details.hints ?? [];
  }
}

/**
 * Thrown by `processCertificates` when the inputs have one or more problems. `problems` holds every problem found
 * (they are independent and all reported at once); `message` lists them, one per line.
 */
export class CertificateInputError extends Error {
  override readonly name = 'CertificateInputError';
  readonly problems: readonly CertificateError[];

  constructor(problems: readonly CertificateError[]) {
    super(
      problems.length === 1
        ? problems[0]!.message
        : `${problems.length} problems with the certificate options:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
