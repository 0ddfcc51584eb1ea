/**
 * RSA key generation with Node's asynchronous `crypto.generateKeyPair`: the work runs on libuv's thread pool, so the
 * event loop (and the CLI spinner) keeps moving, and several keys are generated in parallel.
 */
import { generateKeyPair as generateKeyPairCb, type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';

export const DEFAULT_KEY_SIZE = 2048;
/** Smallest size we generate without complaint; Go (docker) clients refuse RSA keys below 1024 bits. */
export const MIN_KEY_SIZE = 1024;
export const RECOMMENDED_MIN_KEY_SIZE = 2048;
export const MAX_KEY_SIZE = 16384;

export interface RsaKeyPair {
  /** PKCS#1 PEM (`RSA PRIVATE KEY`), as vic-machine 1.5 wrote it. */
  privateKeyPem: string;
  /** SPKI PEM (`PUBLIC KEY`). */
  publicKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  bits: number;
}

/** Generate one RSA key pair (public exponent 65537) off the main thread. */
export function generateRsaKeyPair(bits: number = DEFAULT_KEY_SIZE): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPairCb(
      'rsa',
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => {
        if (err) {
          reject(err);
          return;
        }
        resolve({
          privateKeyPem,
          publicKeyPem,
          privateKey: createPrivateKey(privateKeyPem),
          publicKey: createPublicKey(publicKeyPem),
          bits,
        });
      },
    );
  });
}

/** Generate `count` key pairs concurrently. */
export function generateRsaKeyPairs(count: number, bits: number = DEFAULT_KEY_SIZE): Promise<RsaKeyPair[]> {
  return Promise.all(Array.from({ length: count }, () => generateRsaKeyPair(bits)));
}
