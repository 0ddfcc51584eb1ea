// RSA key pairs made with WebCrypto (crypto.subtle: in the browser in a secure context, and in Node 20), exported as
// DER (SubjectPublicKeyInfo, PKCS#8), and the key identifier of a public key. The private keys are extractable
// because the page hands them to the admin as key.pem files; they go nowhere else.
import { TAG, type Bytes } from './der.js';
import { children, readElement } from './der-reader.js';

type Subtle = typeof globalThis.crypto.subtle;
/** WebCrypto's CryptoKey, as both the DOM library and Node's types name it. */
export type Key = Parameters<Subtle['sign']>[1];
export interface KeyPair {
  publicKey: Key;
  privateKey: Key;
  /** SubjectPublicKeyInfo */
  spki: Bytes;
}

/** What every certificate here is signed with: RSASSA-PKCS1-v1_5 with SHA-256 (sha256WithRSAEncryption). */
export const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** The CLI's default key size (--certificate-key-size 2048). */
export const KEY_BITS = 2048;

export async function generateKeyPair(bits = KEY_BITS): Promise<KeyPair> {
  const subtle = globalThis.crypto.subtle;
  const pair = await subtle.generateKey({ ...SIGNING, modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1) }, true, ['sign', 'verify']) as unknown as { publicKey: Key; privateKey: Key };
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return { ...pair, spki };
}

/** The private key as PKCS#8 DER (PEM label PRIVATE KEY, which docker and openssl read). */
export async function pkcs8Of(key: Key): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', key));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes (without its unused-bits octet). */
export async function keyIdentifier(spki: Bytes): Promise<Bytes> {
  const [, bits] = children(readElement(spki).content);
  if (!bits || bits.tag !== TAG.BIT_STRING) throw new Error('not a SubjectPublicKeyInfo');
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', bits.content.subarray(1)));
}
