// A certificate thumbprint (fingerprint): the one value type for --thumbprint, the pin of every connection, the
// certificate a connection saw, and the `target_thumbprint` a VCH's configuration stores.
//
// Parsed once, at the edge, from any spelling an admin may paste: SHA-1 (20 bytes) or SHA-256 (32 bytes), upper or
// lower case, with colons, spaces or hyphens between the bytes or without separators, and with openssl's
// "SHA1 Fingerprint=" / "sha256 Fingerprint=" prefix. Formatted one way: upper-case hex, a colon between bytes
// ("2C:11:ED:...") as vSphere prints it and as the VIC 1.5 appliance expects it in its configuration. Two spellings
// of the same thumbprint are the same value (equals), so that configure never sees a respelling as a change.
import { createHash, X509Certificate } from 'node:crypto';

export type ThumbprintAlgorithm = 'SHA-1' | 'SHA-256';

const BYTES: Record<ThumbprintAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32 };

/** Why a text is not a thumbprint, said in terms of what was given (a truncated paste names its byte count). */
export class ThumbprintSyntaxError extends TypeError {
  override readonly name = 'ThumbprintSyntaxError';
  constructor(readonly given: string, readonly problem: string) {
    super(`"${given}" is not a certificate thumbprint: ${problem}`);
  }
}

export class Thumbprint {
  private constructor(
    readonly algorithm: ThumbprintAlgorithm,
    /** upper-case hex without separators */
    private readonly hex: string,
  ) {}

  /** Parses any accepted spelling (see the file comment); throws ThumbprintSyntaxError. */
  static parse(text: string): Thumbprint {
    let body = text.trim();
    let named: ThumbprintAlgorithm | undefined;
    // openssl x509 -fingerprint prints "SHA1 Fingerprint=AA:BB:..." (OpenSSL 3: "sha1 Fingerprint=...")
    const prefix = /^(sha-?(1|256))\s*fingerprint\s*=\s*/i.exec(body);
    if (prefix) {
      named = prefix[2] === '1' ? 'SHA-1' : 'SHA-256';
      body = body.slice(prefix[0].length);
    }
    const hex = body.replace(/[:\s-]/g, '').toUpperCase();
    if (hex === '') throw new ThumbprintSyntaxError(text, 'it holds no hex digits');
    const bad = /[^0-9A-F]/.exec(hex);
    if (bad) throw new ThumbprintSyntaxError(text, `"${bad[0]}" is not a hex digit`);
    const algorithm = hex.length === 40 ? 'SHA-1' : hex.length === 64 ? 'SHA-256' : undefined;
    if (!algorithm) {
      const bytes = hex.length % 2 ? `${hex.length} hex digits` : `${hex.length / 2} bytes`;
      throw new ThumbprintSyntaxError(text, `it has ${bytes}, where a SHA-1 thumbprint has 20 bytes and a SHA-256 thumbprint 32`);
    }
    if (named && named !== algorithm) {
      throw new ThumbprintSyntaxError(text, `it is named ${named} but has the ${BYTES[algorithm]} bytes of a ${algorithm} thumbprint`);
    }
    return new Thumbprint(algorithm, hex);
  }

  /** The thumbprint, or undefined for a text that is not one (e.g. a configuration value written by hand). */
  static tryParse(text: string | undefined): Thumbprint | undefined {
    if (!text) return undefined;
    try {
      return Thumbprint.parse(text);
    } catch {
      return undefined;
    }
  }

  /** The thumbprint of a certificate (DER bytes or a parsed certificate) with the given algorithm. */
  static of(certificate: Buffer | X509Certificate, algorithm: ThumbprintAlgorithm = 'SHA-1'): Thumbprint {
    const der = certificate instanceof X509Certificate ? certificate.raw : certificate;
    const hash = createHash(algorithm === 'SHA-1' ? 'sha1' : 'sha256').update(der).digest('hex').toUpperCase();
    return new Thumbprint(algorithm, hash);
  }

  /** Upper-case hex, colon between bytes: "2C:11:ED:...:5B:B9". */
  format(): string {
    return this.hex.match(/../g)!.join(':');
  }

  toString(): string {
    return this.format();
  }

  toJSON(): string {
    return this.format();
  }

  equals(other: Thumbprint | undefined): boolean {
    return !!other && other.algorithm === this.algorithm && other.hex === this.hex;
  }

  /** Whether this is the thumbprint of the certificate (with this thumbprint's algorithm). */
  matches(certificate: Buffer | X509Certificate): boolean {
    return this.equals(Thumbprint.of(certificate, this.algorithm));
  }
}

/**
 * A --thumbprint that could not be parsed. It is still a pin: it matches no certificate, so the first connection
 * fails with the server's real thumbprints (what the admin needs to correct a truncated paste) and sends nothing.
 */
export class MalformedThumbprint {
  constructor(readonly given: string, readonly problem: string) {}

  toString(): string {
    return this.given;
  }
}

/** What --thumbprint pins a connection to: a thumbprint, or a malformed one that trusts nothing. */
export type CertificatePin = Thumbprint | MalformedThumbprint;

/** Reads --thumbprint without failing: a malformed value becomes a pin that matches nothing. */
export function readPin(text: string): CertificatePin {
  try {
    return Thumbprint.parse(text);
  } catch (e) {
    if (e instanceof ThumbprintSyntaxError) return new MalformedThumbprint(text, e.problem);
    throw e;
  }
}
