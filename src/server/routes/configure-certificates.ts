// The certificates of a PUT/PATCH (configure): the change's TLS (src/vic/configure/tls-change.ts) made into what
// configure writes, as `vic-machine configure` makes it from its TLS flags. PEM given in the body is written to the
// request's private folder (0700, removed when the run ends) and read by configure's certificate step
// (src/vic/configure/new-certificates.ts, create's processCertificates: the same checks as --tls-server-cert/key and
// --tls-ca files: a pair that does not belong together, a key where a certificate goes, ...). A generated server
// certificate is self-signed, as configure makes it beside CAs it did not generate: this server keeps no CA key.
// Problems are named by the body's JSON path; no message carries a file of the private folder or key material.
import fs from 'node:fs';
import path from 'node:path';
import type { VirtualContainerHostConfigSpec } from '../../vic/config/index.js';
import type { ConfigureRequest } from '../../vic/configure/changes.js';
import { caBundleOf, newCertificates } from '../../vic/configure/new-certificates.js';
import type { VchSpecChange } from '../../vic/configure/spec-change.js';
import type { CertificateFieldsGiven } from '../../vic/configure/tls-change.js';
import { MODEL_PATH_OF_FLAG } from '../../vic/spec/vch-model.js';
import { SpecError, type PemSource, type SpecProblem } from '../../vic/spec/vch-spec.js';
import { pemFileWriter, withPrivateFolder } from './private-folder.js';

/** Whether the body (a PUT's model or a PATCH's merge patch) names each certificate list, null included. */
export function certificateFieldsGiven(body: unknown): CertificateFieldsGiven {
  const has = (keys: string[]): boolean => {
    let o: unknown = body;
    for (const k of keys.slice(0, -1)) {
      if (!o || typeof o !== 'object') return false;
      o = (o as Record<string, unknown>)[k];
    }
    return !!o && typeof o === 'object' && keys[keys.length - 1]! in (o as object);
  };
  return { clientCas: has(['auth', 'client', 'certificate_authorities']), registryCas: has(['registry', 'certificate_authorities']) };
}

/** The VCH's server certificate (PEM), public only. */
export function serverCertificatePemOf(config: VirtualContainerHostConfigSpec): string | undefined {
  const cert = config.certificate.hostCertificate?.cert;
  return cert?.length ? Buffer.from(cert).toString('utf8') : undefined;
}

const text = (s: PemSource): string => ('pem' in s ? s.pem : fs.readFileSync(s.file, 'utf8'));

export interface ConfigureCertificates {
  certificates?: NonNullable<ConfigureRequest['certificates']>;
  registryCaPem?: Uint8Array;
}

/**
 * What configure writes for the change's certificates (nothing when it has none). `config`: the VCH's configuration
 * (its CAs, its static addresses as cname candidates). Throws a SpecError naming the body's fields.
 */
export async function configureCertificates(change: VchSpecChange, vch: { name: string; config: VirtualContainerHostConfigSpec },
  log: (level: 'info' | 'warn', line: string) => void): Promise<ConfigureCertificates> {
  const out: ConfigureCertificates = {};
  const problems: SpecProblem[] = [];
  if (change.registryCas) {
    const bundle = caBundleOf(change.registryCas.map((pem, i) => ({ pem, path: `registry.certificate_authorities[${i}].pem` })), '--registry-ca');
    problems.push(...bundle.problems);
    out.registryCaPem = new Uint8Array(Buffer.from(bundle.pem));
  }
  const tls = change.tls;
  const clientCas = tls?.clientCas && caBundleOf(tls.clientCas.map((s, i) => ({ pem: text(s), path: `auth.client.certificate_authorities[${i}].pem` })), '--tls-ca');
  if (clientCas) problems.push(...clientCas.problems);
  if (problems.length) throw new SpecError(problems);
  if (!tls) return out;
  const bytes = (s: string) => new Uint8Array(Buffer.from(s));
  if (!tls.server) {
    // the server certificate stays: only the CAs clients are verified against change (or go, --no-tlsverify)
    out.certificates = { caPem: tls.mode === 'no-verify' ? null : bytes(clientCas!.pem) };
    return out;
  }
  const server = tls.server;
  out.certificates = await withPrivateFolder('vicm-server-configure-', async (dir) => {
    const file = pemFileWriter(dir);
    const fieldOfFile = new Map<string, string>();
    const written = (s: PemSource, field: string): string => {
      const f = (file(s) as { file: string }).file;
      fieldOfFile.set(f, field);
      return f;
    };
    // client verification goes on against the given CAs, else the VCH's own
    const cas = tls.mode === 'verify'
      ? [written({ pem: clientCas ? clientCas.pem : Buffer.from(vch.config.certificate.certificateAuthorities ?? []).toString('utf8') }, 'auth.client.certificate_authorities')]
      : undefined;
    const pair = 'certificate' in server ? { serverCert: written(server.certificate, 'auth.server.certificate'), serverKey: written(server.key, 'auth.server.private_key') } : {};
    const gen = 'generate' in server ? server.generate : undefined;
    try {
      const made = await newCertificates({
        name: vch.name, cwd: dir, certPath: 'certificates', config: vch.config, noTlsVerify: tls.mode === 'no-verify', force: false,
        ...(gen ? { keySize: gen.keySize, organization: gen.organization, ...(gen.cname ? { cname: gen.cname } : {}) } : {}),
        ...(cas ? { tlsCa: cas } : {}), ...pair,
        // the lines that name files of the private folder are not this request's business; warnings are
        onLog: (e) => { if (e.level === 'warn') log('warn', e.message); },
      });
      log('info', gen ? `New server certificate: generated, self-signed${gen.cname ? ` for ${gen.cname}` : ''}` : 'New server certificate: the one given');
      return made.certificates;
    } catch (e) {
      throw inModelTerms(e, fieldOfFile);
    }
  });
  return out;
}

/** A certificate step's problems (by flag, naming files) as problems of the body's fields. */
function inModelTerms(e: unknown, fieldOfFile: ReadonlyMap<string, string>): unknown {
  const found = (e as { problems?: readonly { flag?: string; path?: string; message: string }[] }).problems;
  if ((e as Error).name !== 'CertificateInputError' || !found) return e;
  const words = (m: string): string => {
    let s = m;
    for (const [f, field] of fieldOfFile) s = s.replace(new RegExp(`(--[a-z-]+ )?"${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'g'), field);
    return s.replaceAll(path.dirname([...fieldOfFile.keys()][0] ?? '/'), '(the request\'s folder)');
  };
  return new SpecError(found.map((p) => {
    const field = (p.path && fieldOfFile.get(p.path)) ?? (p.flag ? MODEL_PATH_OF_FLAG[p.flag] : undefined);
    return { message: words(p.message), ...(p.flag ? { flag: p.flag } : {}), ...(field ? { path: field } : {}) };
  }));
}
