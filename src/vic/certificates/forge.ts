/**
 * Lazy loader for node-forge. Forge is used only to *build and serialise* our own certificates (signatures are made
 * by Node's crypto, `cert.pfx` by `pkcs12.ts`); it is loaded on first use, never at CLI start-up, and only its
 * X.509 part.
 */
import { createRequire } from 'node:module';
import type * as ForgeNamespace from 'node-forge';

export type Forge = typeof ForgeNamespace;

let loading: Promise<Forge> | undefined;

/** The forge modules behind `lib/x509.js` (+ sha1), in dependency order. */
const FORGE_MODULES = ['util', 'jsbn', 'asn1', 'oids', 'md', 'sha1', 'sha256', 'sha512', 'pem', 'cipher', 'aes', 'des', 'prng', 'random', 'prime', 'rsa', 'mgf', 'pss', 'x509'];

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
    // Module by module (dependencies first), yielding to the event loop in between, so no single step blocks it
    // for long (the whole set is ~15 ms of synchronous work; more on a busy machine).
    try {
      const require = createRequire(import.meta.url);
      for (const mod of FORGE_MODULES) {
        require(`node-forge/lib/${mod}.js`);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
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
