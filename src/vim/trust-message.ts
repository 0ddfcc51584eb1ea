// The words of a refused target certificate, in one place for every front end: what was wrong, the fingerprints the
// server presented, and how to pass a thumbprint, named as the front end takes it (the CLI's `--thumbprint X`, the
// REST API's `?thumbprint=X`). TlsTrustError (./faults.ts) carries the facts and says them in the CLI's words.

/** How a front end takes a thumbprint. */
export interface ThumbprintWording {
  /** the thumbprint's name alone: `--thumbprint` */
  readonly name: string;
  /** a value passed as the front end takes it: `--thumbprint AB:CD:…` */
  pass(value: string): string;
}

/** The CLI's flag. */
export const FLAG_WORDING: ThumbprintWording = { name: '--thumbprint', pass: (v) => `--thumbprint ${v}` };

/** Why the certificate was refused. */
export type TrustProblem =
  /** no CA vouches for it, or it names another host */
  | { readonly reason: 'untrusted'; readonly why: string }
  /** another certificate was pinned */
  | { readonly reason: 'mismatch'; readonly pinned: string }
  /** the pin is not a thumbprint, so nothing was trusted */
  | { readonly reason: 'malformed'; readonly given: string; readonly problem: string };

/** The fingerprints of the certificate the server presented (colon-separated upper-case hex). */
export interface PresentedFingerprints {
  readonly sha1: string;
  readonly sha256: string;
}

function presented(c: PresentedFingerprints): string {
  return `  The server presented SHA-256 ${c.sha256}\n                    SHA-1   ${c.sha1}\n`;
}

export function trustMessage(host: string, p: TrustProblem, c: PresentedFingerprints, w: ThumbprintWording = FLAG_WORDING): string {
  switch (p.reason) {
    case 'untrusted':
      return `The certificate of ${host} is not trusted (${p.why}).\n` +
        `  SHA-256 thumbprint: ${c.sha256}\n  SHA-1 thumbprint:   ${c.sha1}\n` +
        `Verify the thumbprint out of band (for example on the vCenter or ESXi console, or with ` +
        `"openssl s_client -connect ${host} </dev/null | openssl x509 -noout -fingerprint -sha1"), ` +
        `then pass ${w.pass(c.sha1)} (or the SHA-256 value).`;
    case 'mismatch':
      return `The certificate of ${host} does not match ${w.pass(p.pinned)}: this may be a man-in-the-middle attack.\n` +
        presented(c) +
        `Verify the thumbprint out of band before passing it with ${w.name}.`;
    case 'malformed':
      // A truncated or mistyped paste: nothing was trusted, and the admin sees what to compare with the console
      // instead of having to find the thumbprints elsewhere.
      return `${w.pass(`"${p.given}"`)} is not a certificate thumbprint (${p.problem}), so the certificate of ${host} was not trusted.\n` +
        presented(c) +
        `Verify the thumbprint out of band, then pass it whole with ${w.pass(c.sha1)} (or the SHA-256 value).`;
  }
}
