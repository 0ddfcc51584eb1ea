// The certificate part of a configure asked for as a whole specification (the REST API's PUT/PATCH): what changes
// between the VCH's TLS (as its VCH model shows it: the mode, the server certificate and its cname and organizations,
// the client CAs) and the requested one, in the terms of `vic-machine configure`'s TLS flags.
//
// A GET answers the server certificate and the client CAs (never a key), as 1.5's did: carried back they are the
// VCH's own, compared as certificates (line ends and text around them aside), so a PUT of GET's model changes no
// certificate; a certificate field a request leaves out keeps what the VCH has. The rules:
//   - a server certificate is made when the request's `generate` (cname, organizations, key size) differs from the
//     VCH's (`--tls-cname`, `--organization`, `--certificate-key-size`); a `certificate` with its `private_key`
//     replaces it (`--tls-server-cert/--tls-server-key`); a certificate alone must be the VCH's own;
//   - `client.certificate_authorities` other than the VCH's replace the CAs clients are verified against (`--tls-ca`),
//     turning verification on; `no_tls_verify: true` turns it off (`--no-tlsverify`: the CAs are removed).
//     Verification cannot be turned on without CAs: the client certificates configure would generate come with
//     private keys, which an answer never carries;
//   - TLS cannot be turned off (configure has no `--no-tls`): 409; a VCH without TLS gets it with a server certificate.
import { isDeepStrictEqual } from 'node:util';
import { splitPem } from '../certificates/pem.js';
import type { PemSource, SpecProblem, TlsSpec } from '../spec/vch-spec.js';

/** The TLS configure is to write. */
export interface TlsChange {
  /** client verification after the change */
  mode: 'verify' | 'no-verify';
  /** a new server certificate: generated (as `--tls-cname` makes it) or the given pair; absent: the VCH's is kept */
  server?: { generate: { cname?: string; organization: string[]; keySize: number } } | { certificate: PemSource; key: PemSource };
  /** verify: the CAs clients are verified against, replacing the VCH's; absent: the VCH's are kept */
  clientCas?: PemSource[];
}

/** Which certificate lists the request's body names (a `[]` given is not the same as one left out). */
export interface CertificateFieldsGiven {
  clientCas: boolean;
  registryCas: boolean;
}

export interface TlsChangeResult {
  change?: TlsChange;
  /** bad input (400) */
  problems: SpecProblem[];
  /** what configure cannot do (409) */
  unchangeable: SpecProblem[];
}

/** PEM sources as their blocks in one spelling (line ends, blank lines, text around them aside), for comparing. */
export function pemBlocks(sources: readonly PemSource[]): string[] {
  return sources.flatMap((c) => ('pem' in c ? splitPem(c.pem).map((b) => b.pem) : [`file ${c.file}`]));
}

const samePem = (a: readonly PemSource[], b: readonly PemSource[]): boolean => isDeepStrictEqual(pemBlocks(a), pemBlocks(b));

/**
 * `current`: the VCH's TLS as its model shows it; `currentCertificatePem`: its server certificate (when `current` does
 * not carry it), so that a request carrying it back (without its key) is no change.
 */
export function tlsChange(current: TlsSpec, requested: TlsSpec, given: CertificateFieldsGiven, currentCertificatePem?: string): TlsChangeResult {
  const problems: SpecProblem[] = [];
  const unchangeable: SpecProblem[] = [];
  if (requested.mode === 'none') {
    if (current.mode !== 'none') {
      unchangeable.push({ path: 'auth.no_tls', message: 'configure cannot turn TLS off (vic-machine configure has no --no-tls); make a new VCH for that' });
    }
    return { problems, unchangeable };
  }

  const own = current.serverCertificate ?? (currentCertificatePem ? { pem: currentCertificatePem } : undefined);
  let server: TlsChange['server'];
  const cert = requested.serverCertificate;
  const key = requested.serverKey;
  if (cert && key) {
    server = { certificate: cert, key };
  } else if (cert && !(own && samePem([cert], [own]))) {
    problems.push({ flag: '--tls-server-key', path: 'auth.server.private_key', message: 'is missing: a new server certificate needs its private key (PEM); leave auth.server.certificate out to keep the VCH\'s' });
  } else if (current.mode === 'none' || requested.cname !== current.cname || !isDeepStrictEqual(requested.organization, current.organization) || requested.keySize !== current.keySize) {
    server = { generate: { ...(requested.cname ? { cname: requested.cname } : {}), organization: [...requested.organization], keySize: requested.keySize } };
  }

  let clientCas: PemSource[] | undefined;
  if (requested.mode === 'no-verify') {
    // CAs the body did not name are the VCH's own (a merge patch's base): verification off removes them
    if (requested.clientCas.length && given.clientCas) {
      problems.push({ flag: '--no-tlsverify', path: 'auth.client.no_tls_verify', message: 'is true while certificate_authorities are given: to verify clients against these CAs send no_tls_verify false (or null) with them' });
    }
  } else if (requested.clientCas.length) {
    // the VCH's own CAs (a GET's, sent back) are no change
    if (current.mode !== 'verify' || !samePem(requested.clientCas, current.clientCas)) clientCas = requested.clientCas;
  } else if (given.clientCas) {
    problems.push({ flag: '--tls-ca', path: 'auth.client.certificate_authorities', message: 'is empty: client verification needs at least one CA (PEM); no_tls_verify: true turns verification off' });
  } else if (current.mode !== 'verify') {
    problems.push({
      flag: '--tls-ca', path: 'auth.client.certificate_authorities',
      message: 'is missing: to verify clients give the CA (PEM) whose client certificates the VCH is to accept; configure through this API makes no client certificates (their private keys would have to be in an answer)',
    });
  }

  const modeChanges = requested.mode !== current.mode;
  if (problems.length || (!server && !clientCas && !modeChanges)) return { problems, unchangeable };
  return { change: { mode: requested.mode, ...(server ? { server } : {}), ...(clientCas ? { clientCas } : {}) }, problems, unchangeable };
}
