// Secret sealing for `@secret` extraConfig values (vic 1.5 `pkg/vsphere/extraconfig/secret.go`).
//
// A fresh random 32-byte key is made for every encode and stored, standard base64, in `guestinfo.ovfEnv` — a key
// vSphere hides from API reads but which the guest (and the VM's .vmx file) can see. Each secret value is
// `base64(nonce[24] || secretbox(plaintext, nonce, key))` with NaCl secretbox (XSalsa20-Poly1305).

import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { base64Decode, base64Encode } from './codec.js';

/** The extraConfig key that holds the base64 secret key. */
export const GUESTINFO_SECRET_KEY = 'guestinfo.ovfEnv';

export const SECRET_KEY_LENGTH = nacl.secretbox.keyLength; // 32
export const SECRET_NONCE_LENGTH = nacl.secretbox.nonceLength; // 24
export const SECRET_OVERHEAD = nacl.secretbox.overheadLength; // 16

/** A source of random bytes (replaceable for deterministic tests). */
export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (n) => new Uint8Array(randomBytes(n));

export class SecretKey {
  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** A fresh random key. */
  static generate(random: RandomBytes = cryptoRandomBytes): SecretKey {
    return new SecretKey(random(SECRET_KEY_LENGTH).slice());
  }

  /** From raw bytes (must be 32). */
  static fromBytes(bytes: Uint8Array): SecretKey {
    if (bytes.length !== SECRET_KEY_LENGTH) throw new Error('invalid secret key');
    return new SecretKey(new Uint8Array(bytes));
  }

  /** From the base64 form stored in guestinfo.ovfEnv (errors as the original: bad base64, or not 32 bytes). */
  static fromString(s: string): SecretKey {
    return SecretKey.fromBytes(base64Decode(s));
  }

  /** Accepts a SecretKey, its base64 string or its raw bytes. */
  static from(k: SecretKey | string | Uint8Array): SecretKey {
    if (k instanceof SecretKey) return k;
    return typeof k === 'string' ? SecretKey.fromString(k) : SecretKey.fromBytes(k);
  }

  /** Base64, as stored in guestinfo.ovfEnv. */
  toString(): string {
    return base64Encode(this.bytes);
  }

  /** Seals a value: base64(nonce || secretbox). */
  seal(plaintext: string, random: RandomBytes = cryptoRandomBytes): string {
    const nonce = random(SECRET_NONCE_LENGTH).slice();
    const box = nacl.secretbox(new Uint8Array(Buffer.from(plaintext, 'utf8')), nonce, this.bytes);
    const out = new Uint8Array(nonce.length + box.length);
    out.set(nonce, 0);
    out.set(box, nonce.length);
    return base64Encode(out);
  }

  /** Opens a sealed value; throws when it is not base64, too short, or does not authenticate under this key. */
  open(sealed: string, key = 'value'): string {
    const b = base64Decode(sealed);
    if (b.length < SECRET_NONCE_LENGTH + SECRET_OVERHEAD) throw new Error(`failed to decrypt value for ${key}`);
    const plain = nacl.secretbox.open(b.subarray(SECRET_NONCE_LENGTH), b.subarray(0, SECRET_NONCE_LENGTH), this.bytes);
    if (!plain) throw new Error(`failed to decrypt value for ${key}`);
    return Buffer.from(plain).toString('utf8');
  }
}

/** Finds the `guestinfo.ovfEnv = "<key>"` line of a .vmx file (exact key match), as `GuestInfoSecret` does. */
export function secretKeyFromVmx(vmx: string): SecretKey {
  for (const line of vmx.split(/\r?\n/)) {
    const m = /^\s*([^=\s]+)\s*=\s*"(.*)"\s*$/.exec(line);
    if (m && m[1] === GUESTINFO_SECRET_KEY) return SecretKey.fromString(m[2]!);
  }
  throw new Error('unable to find guestinfo secret');
}
