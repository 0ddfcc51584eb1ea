/**
 * Lazy loader for node-forge. Forge is used only to *build and serialise* our own certificates and the PKCS#12
 * bundle; it is loaded on first use (never at CLI start-up) and only the PKI part of it (about half the import time
 * of the whole package).
 */
import type * as ForgeNamespace from 'node-forge';

export type Forge = typeof ForgeNamespace;

let loading: Promise<Forge> | undefined;

function unwrap(mod: unknown): Forge {
  const m = mod as { default?: Forge } & Partial<Forge>;
  const forge = (m.default ?? m) as Forge;
  if (!forge?.pki?.createCertificate || !forge.pkcs12 || !forge.asn1) {
    throw new Error('node-forge did not load as expected');
  }
  return forge;
}

/** node-forge's `pki` (with `x509`, `pkcs12`, `asn1`, `sha1`); cached after the first call. */
export function loadForge(): Promise<Forge> {
  loading ??= (async () => {
    // `lib/pki.js` pulls in x509, pkcs12, asn1, pem, rsa, sha1 and oids, but not tls, ssh, ed25519, kem ...
    const subset = 'node-forge/lib/pki.js';
    try {
      return unwrap(await import(subset));
    } catch {
      return unwrap(await import('node-forge'));
    }
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
