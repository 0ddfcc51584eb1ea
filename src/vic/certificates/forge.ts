/**
 * Lazy loader for node-forge. Forge is used only to *build and serialise* our own certificates (signatures are made
 * by Node's crypto, `cert.pfx` by `pkcs12.ts`); it is loaded on first use, never at CLI start-up, and only its
 * X.509 part.
 */
import { createRequire } from 'node:module';
import type * as ForgeNamespace from 'node-forge';

export type Forge = typeof ForgeNamespace;

let loading: Promise<Forge> | undefined;

function unwrap(mod: unknown): Forge {
  const m = mod as { default?: Forge } & Partial<Forge>;
  const forge = (m.default ?? m) as Forge;
  const pki = forge?.pki as (Forge['pki'] & { getTBSCertificate?: unknown }) | undefined;
  if (!pki?.createCertificate || !pki.getTBSCertificate || !forge.asn1?.toDer || !forge.md?.sha1 || !forge.util?.hexToBytes) {
    throw new Error('node-forge did not load as expected');
  }
  return forge;
}

/** node-forge with `pki` (x509), `asn1`, `pem`, `oids`, `util` and `md.sha1`; cached after the first call. */
export function loadForge(): Promise<Forge> {
  loading ??= (async () => {
    // Only the X.509 part: x509.js pulls in asn1, pem, oids, rsa and util; sha1 is needed for SubjectKeyIdentifiers.
    // Every forge module extends the same root object, exported by lib/forge.js. Loaded with `require` (forge is
    // CommonJS): ~14 ms, against ~25-50 ms for `import()`, which also runs the CJS export lexer over each file —
    // this import is synchronous work on the event loop, so it counts against the spinner.
    try {
      const require = createRequire(import.meta.url);
      require('node-forge/lib/x509.js');
      require('node-forge/lib/sha1.js');
      return unwrap(require('node-forge/lib/forge.js'));
    } catch {
      return unwrap(await import('node-forge'));
    }
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
