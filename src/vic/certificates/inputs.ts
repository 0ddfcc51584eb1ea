/**
 * Reads everything the certificate decision depends on (the files named by flags and what is already in the cert
 * path) into a plain snapshot, so the decision itself (`plan.ts`) is a pure function of options + snapshot.
 * Reading never creates anything.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { parsePemContents, type PemContents } from './pem.js';
import type { CertificateOptions } from './options.js';
import { certPathOf } from './options.js';

/** Files larger than this are not PEM certificate/key files (protects against `--tls-ca appliance.iso`). */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;

export type FileState =
  | { path: string; state: 'ok'; contents: PemContents; der?: 'certificate' | 'private-key' }
  | { path: string; state: 'missing' }
  | { path: string; state: 'unreadable'; reason: string };

export interface CertPathState {
  /** As the user gave it (or the default `<name>`), used in messages: `vch1/server-key.pem`. */
  path: string;
  absolute: string;
  exists: boolean;
  isDirectory: boolean;
  /** Directory entries (sorted) when it is a readable directory. */
  entries: string[];
  /** Why the directory could not be listed, if it could not. */
  unreadable?: string;
}

export interface CertificateInputs {
  certPath: CertPathState;
  /** One per `--tls-ca` file, in order. */
  tlsCa: FileState[];
  /** `--tls-server-cert` / `--tls-server-key`, when given. */
  serverCert?: FileState;
  serverKey?: FileState;
  /** The default file names inside the cert path. */
  existing: {
    serverCert: FileState;
    serverKey: FileState;
    ca: FileState;
    clientCert: FileState;
    clientKey: FileState;
  };
}

/** Default file names (vic-machine 1.5 `pkg/certificate/certificate.go`, docker's own names for the client pair). */
export const CERT_FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server-cert.pem',
  serverKey: 'server-key.pem',
  clientCert: 'cert.pem',
  clientKey: 'key.pem',
  pfx: 'cert.pfx',
} as const;

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e?.message ?? String(err);
  }
}

function detectDer(buf: Buffer): 'certificate' | 'private-key' | undefined {
  if (buf.length === 0 || buf[0] !== 0x30) return undefined;
  try {
    new X509Certificate(buf);
    return 'certificate';
  } catch {
    /* not a DER certificate */
  }
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      createPrivateKey({ key: buf, format: 'der', type });
      return 'private-key';
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Read and classify one file. */
export async function readPemFile(path: string): Promise<FileState> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { path, state: 'unreadable', reason: 'it is a directory' };
    if (st.size > MAX_PEM_FILE_BYTES) return { path, state: 'unreadable', reason: `too large for a PEM file (${st.size} bytes)` };
    const buf = await readFile(path);
    const contents = parsePemContents(buf.toString('latin1'));
    const empty = contents.certificates.length + contents.privateKeys.length + contents.encryptedKeys + contents.unparsable.length + contents.otherLabels.length === 0;
    if (empty) {
      const der = detectDer(buf);
      if (der) return { path, state: 'ok', contents, der };
    }
    return { path, state: 'ok', contents };
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return { path, state: 'missing' };
    return { path, state: 'unreadable', reason: reasonOf(err) };
  }
}

async function readCertPath(path: string, absolute: string): Promise<CertPathState> {
  try {
    const st = await stat(absolute);
    if (!st.isDirectory()) return { path, absolute, exists: true, isDirectory: false, entries: [] };
    try {
      return { path, absolute, exists: true, isDirectory: true, entries: (await readdir(absolute)).sort() };
    } catch (err) {
      return { path, absolute, exists: true, isDirectory: true, entries: [], unreadable: reasonOf(err) };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return { path, absolute, exists: false, isDirectory: false, entries: [] };
    return { path, absolute, exists: true, isDirectory: false, entries: [], unreadable: reasonOf(err) };
  }
}

/** Snapshot of every file the decision may need. Files are read concurrently; nothing is written. */
export async function readCertificateInputs(options: CertificateOptions): Promise<CertificateInputs> {
  const cwd = options.cwd ?? process.cwd();
  const certPath = certPathOf(options);
  const absolute = isAbsolute(certPath) ? certPath : resolve(cwd, certPath);
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const inDir = (f: string): Promise<FileState> =>
    readPemFile(join(absolute, f)).then((s) => ({ ...s, path: join(certPath, f) }) as FileState);
  const keepPath = (given: string) => (s: FileState): FileState => ({ ...s, path: given }) as FileState;

  const [dir, tlsCa, serverCert, serverKey, eServerCert, eServerKey, eCa, eClientCert, eClientKey] = await Promise.all([
    readCertPath(certPath, absolute),
    Promise.all((options.tlsCa ?? []).map((f) => readPemFile(abs(f)).then(keepPath(f)))),
    options.serverCert ? readPemFile(abs(options.serverCert)).then(keepPath(options.serverCert)) : undefined,
    options.serverKey ? readPemFile(abs(options.serverKey)).then(keepPath(options.serverKey)) : undefined,
    inDir(CERT_FILES.serverCert),
    inDir(CERT_FILES.serverKey),
    inDir(CERT_FILES.ca),
    inDir(CERT_FILES.clientCert),
    inDir(CERT_FILES.clientKey),
  ]);
  const inputs: CertificateInputs = {
    certPath: dir,
    tlsCa,
    existing: { serverCert: eServerCert, serverKey: eServerKey, ca: eCa, clientCert: eClientCert, clientKey: eClientKey },
  };
  if (serverCert) inputs.serverCert = serverCert;
  if (serverKey) inputs.serverKey = serverKey;
  return inputs;
}
