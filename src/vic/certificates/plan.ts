/**
 * vic-machine 1.5's `CertFactory.ProcessCertificates` decision (§6.3) as a pure function:
 * options + a snapshot of the files (`inputs.ts`) → which certificates to load, which to generate, log lines, and
 * every input problem (each naming the flag to change).
 *
 * Differences from the original, on purpose:
 *  - all input problems are reported together, and nothing is created on disk when there is one (the original
 *    left an empty `./<name>` behind, §11.5.9);
 *  - a missing cname is only fatal when a CA-signed server certificate has to be *generated*;
 *  - switched cert/key files, a key given as `--tls-ca`, DER files, encrypted keys, cert/key mismatches, expired
 *    certificates and certificates without serverAuth are recognised and named;
 *  - an existing server certificate is reused when it is valid for the cname by its SANs (not only by its CN).
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { CertificateError, type CertificateProblemCode } from './errors.js';
import { CERT_FILES, type CertificateInputs, type FileState } from './inputs.js';
import { DEFAULT_KEY_SIZE, MAX_KEY_SIZE, MIN_KEY_SIZE, RECOMMENDED_MIN_KEY_SIZE } from './keys.js';
import { certPathOf, type CertificateOptions, type CnameNetwork, type TlsMode } from './options.js';
import {
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  allowsExtendedKeyUsage,
  certificateMatchesKey,
  certificateTimeProblem,
  certificateValidFor,
  issuedBy,
  keyType,
  subjectCommonNames,
} from './pem.js';
import { normaliseCname, organizationFor, serverAltNames, stripCidr, type SubjectAltNames } from './subject.js';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface LoadedPair {
  /** Leaf first, then any further certificates of the file (chain). */
  certPem: string;
  keyPem: string;
  leaf: X509Certificate;
  key: KeyObject;
  certFile: string;
  keyFile: string;
  source: 'flags' | 'cert-path';
}

export interface LoadedCa {
  /** Concatenated PEM bundle of every CA certificate (what the VCH stores as CertificateAuthorities). */
  pem: string;
  certificates: X509Certificate[];
  files: string[];
  source: 'tls-ca' | 'cert-path';
}

export type ServerGeneration = 'ca-signed' | 'self-signed';

export interface PlannedFile {
  /** File name inside the cert path. */
  name: string;
  mode: number;
}

export interface CertificatePlan {
  mode: TlsMode;
  name: string;
  /** The cert path as given (default the VCH name), for messages. */
  certPath: string;
  certPathAbsolute: string;
  /** Whether the cert path directory does not exist yet. */
  certPathMissing: boolean;
  cname?: string;
  cnameSource?: 'tls-cname' | `${CnameNetwork}-network-ip`;
  organization: string[];
  keySize: number;
  /** SANs for a generated server certificate. */
  serverAltNames: SubjectAltNames;
  server?: LoadedPair;
  ca?: LoadedCa;
  client?: LoadedPair;
  generate: { ca: boolean; server: ServerGeneration | null; client: boolean; pfx: boolean };
  /** Files that generation will write (empty when nothing is generated). */
  files: PlannedFile[];
  log: LogEntry[];
  /** Lines to show after generation (the original's step-7 summary warning). */
  closingLog: LogEntry[];
  problems: CertificateError[];
}

/** `--certificate-key-size` check; returns a problem or a warning. */
export function checkKeySize(size: number): { problem?: string; warning?: string } {
  if (!Number.isInteger(size)) return { problem: `--certificate-key-size must be a whole number of bits, not ${size}` };
  if (size < MIN_KEY_SIZE) return { problem: `--certificate-key-size ${size} is too small: use at least ${RECOMMENDED_MIN_KEY_SIZE} (docker clients refuse RSA keys below ${MIN_KEY_SIZE} bits)` };
  if (size > MAX_KEY_SIZE) return { problem: `--certificate-key-size ${size} is too large: at most ${MAX_KEY_SIZE} bits` };
  if (size < RECOMMENDED_MIN_KEY_SIZE) return { warning: `--certificate-key-size ${size} is weak; ${RECOMMENDED_MIN_KEY_SIZE} or more is recommended` };
  if (size % 8 !== 0) return { problem: `--certificate-key-size ${size} must be a multiple of 8` };
  return {};
}

/** The four hint lines vic-machine printed when a Common Name is needed (§6.3 step 6). */
export const CNAME_HINTS: readonly string[] = [
  '  --tls-cname=<FQDN or static IP> # for the appliance VM',
  '  --tls-cname=<*.yourdomain.com>  # if DNS has entries in that form for DHCP addresses (less secure)',
  '  --no-tlsverify                  # disables client authentication (anyone can connect to the VCH)',
  '  --no-tls                        # disables TLS entirely',
];

interface Ctx {
  log: LogEntry[];
  problems: CertificateError[];
  force: boolean;
  now: Date;
}

function problem(ctx: Ctx, code: CertificateProblemCode, message: string, details: { flag?: string; path?: string; hints?: readonly string[] } = {}): void {
  ctx.problems.push(new CertificateError(code, message, details));
}

/** Where a file came from, for messages: `--tls-server-cert "a.pem"` or `"vch1/server-cert.pem" in the certificate path (--tls-cert-path)`. */
function describe(file: FileState, flag: string, explicit: boolean): string {
  return explicit ? `${flag} "${file.path}"` : `"${file.path}" in the certificate path (${flag})`;
}

interface FileProblem {
  code: CertificateProblemCode;
  message: string;
  /** Which file of a pair is at fault. */
  side?: 'cert' | 'key' | 'both';
}

function certFileProblem(file: FileState, what: string): FileProblem | undefined {
  if (file.state === 'missing') return { code: 'unreadable', message: `${what} does not exist` };
  if (file.state === 'unreadable') return { code: 'unreadable', message: `${what} cannot be read: ${file.reason}` };
  const c = file.contents;
  if (c.certificates.length > 0) return undefined;
  if (c.privateKeys.length > 0 || c.encryptedKeys > 0) return { code: 'key-not-cert', message: `${what} contains a private key, not a certificate` };
  if (file.der === 'certificate') {
    return { code: 'not-pem', message: `${what} is a DER (binary) certificate; convert it to PEM: openssl x509 -inform der -in "${file.path}" -out cert.pem` };
  }
  if (file.der === 'private-key') return { code: 'key-not-cert', message: `${what} contains a (DER) private key, not a certificate` };
  if (c.unparsable.length > 0) return { code: 'not-pem', message: `${what} contains a ${c.unparsable[0]} block that cannot be parsed` };
  if (c.otherLabels.length > 0) return { code: 'not-pem', message: `${what} contains ${c.otherLabels[0]}, not a certificate` };
  return { code: 'not-pem', message: `${what} does not contain a PEM certificate` };
}

function keyFileProblem(file: FileState, what: string): FileProblem | undefined {
  if (file.state === 'missing') return { code: 'unreadable', message: `${what} does not exist` };
  if (file.state === 'unreadable') return { code: 'unreadable', message: `${what} cannot be read: ${file.reason}` };
  const c = file.contents;
  if (c.privateKeys.length > 0) return undefined;
  if (c.encryptedKeys > 0) {
    return { code: 'encrypted-key', message: `${what} is protected by a passphrase; give an unencrypted key (openssl rsa -in "${file.path}" -out server-key.pem)` };
  }
  if (c.certificates.length > 0) return { code: 'cert-not-key', message: `${what} contains a certificate, not a private key` };
  if (file.der === 'private-key') {
    return { code: 'not-pem', message: `${what} is a DER (binary) private key; convert it to PEM: openssl pkey -inform der -in "${file.path}" -out key.pem` };
  }
  if (file.der === 'certificate') return { code: 'cert-not-key', message: `${what} contains a (DER) certificate, not a private key` };
  if (c.unparsable.length > 0) return { code: 'not-pem', message: `${what} contains a ${c.unparsable[0]} block that cannot be parsed` };
  return { code: 'not-pem', message: `${what} does not contain a PEM private key` };
}

/** True when a file holds only keys (no certificates) — for spotting swapped files. */
function onlyKeys(f: FileState): boolean {
  return f.state === 'ok' && f.contents.certificates.length === 0 && (f.contents.privateKeys.length > 0 || f.contents.encryptedKeys > 0 || f.der === 'private-key');
}
function onlyCerts(f: FileState): boolean {
  return f.state === 'ok' && f.contents.privateKeys.length === 0 && f.contents.encryptedKeys === 0 && (f.contents.certificates.length > 0 || f.der === 'certificate');
}

interface PairCheck {
  pair?: LoadedPair;
  problems: FileProblem[];
  warnings: string[];
}

/** Checks a certificate file and a key file that should form a pair. `role` selects the EKU that must be allowed. */
function checkPair(
  certFile: FileState,
  keyFile: FileState,
  labels: { cert: string; key: string },
  role: 'server' | 'client',
  source: LoadedPair['source'],
): PairCheck {
  const out: PairCheck = { problems: [], warnings: [] };
  if (onlyKeys(certFile) && onlyCerts(keyFile)) {
    out.problems.push({ code: 'swapped', side: 'both', message: `${labels.cert} contains a private key and ${labels.key} contains a certificate: the two files are swapped` });
    return out;
  }
  const cp = certFileProblem(certFile, labels.cert);
  const kp = keyFileProblem(keyFile, labels.key);
  if (cp) out.problems.push({ ...cp, side: 'cert' });
  if (kp) out.problems.push({ ...kp, side: 'key' });
  if (cp || kp || certFile.state !== 'ok' || keyFile.state !== 'ok') return out;

  const certs = certFile.contents.certificates;
  const keys = keyFile.contents.privateKeys;
  let leafIndex = -1;
  let keyIndex = -1;
  for (let k = 0; k < keys.length && leafIndex < 0; k++) {
    const i = certs.findIndex((c) => certificateMatchesKey(c.x509, keys[k]!.key));
    if (i >= 0) {
      leafIndex = i;
      keyIndex = k;
    }
  }
  if (leafIndex < 0) {
    out.problems.push({ code: 'pair-mismatch', side: 'both', message: `${labels.cert} and ${labels.key} do not belong together: the private key does not match the certificate's public key` });
    return out;
  }
  const key = keys[keyIndex]!;
  const type = keyType(key.key);
  if (type !== 'rsa' && type !== 'ec') {
    out.problems.push({ code: 'not-rsa-or-ec', side: 'key', message: `${labels.key} is a ${type} key; the VCH appliance supports RSA and ECDSA keys only` });
    return out;
  }
  const leaf = certs[leafIndex]!;
  const ordered = [leaf, ...certs.filter((_, i) => i !== leafIndex)];
  if (certFile.contents.privateKeys.length > 0 || certFile.contents.encryptedKeys > 0) {
    out.warnings.push(`${labels.cert} also contains a private key; only its certificates are used (keep private keys out of certificate files)`);
  }
  const eku = role === 'server' ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH;
  if (!allowsExtendedKeyUsage(leaf.x509, eku)) {
    out.problems.push({
      code: 'wrong-usage',
      side: 'cert',
      message: `${labels.cert} is not valid for ${role === 'server' ? 'TLS servers (no serverAuth extended key usage)' : 'TLS clients (no clientAuth extended key usage)'}`,
    });
    return out;
  }
  out.pair = {
    certPem: ordered.map((c) => c.pem).join(''),
    keyPem: key.pem,
    leaf: leaf.x509,
    key: key.key,
    certFile: certFile.path,
    keyFile: keyFile.path,
    source,
  };
  return out;
}

function namesOf(cert: X509Certificate): string {
  const parts = subjectCommonNames(cert).map((cn) => `CN=${cn}`);
  if (cert.subjectAltName) parts.push(cert.subjectAltName);
  return parts.join(', ') || 'no names';
}

function fileModes(generate: CertificatePlan['generate']): PlannedFile[] {
  const files: PlannedFile[] = [];
  if (generate.ca) files.push({ name: CERT_FILES.ca, mode: 0o644 }, { name: CERT_FILES.caKey, mode: 0o600 });
  if (generate.server) files.push({ name: CERT_FILES.serverCert, mode: 0o644 }, { name: CERT_FILES.serverKey, mode: 0o600 });
  // A self-signed server certificate is also saved as ca.pem, the file docker reads from DOCKER_CERT_PATH.
  if (generate.server === 'self-signed') files.push({ name: CERT_FILES.ca, mode: 0o644 });
  if (generate.client) files.push({ name: CERT_FILES.clientCert, mode: 0o644 }, { name: CERT_FILES.clientKey, mode: 0o600 });
  if (generate.pfx) files.push({ name: CERT_FILES.pfx, mode: 0o600 });
  return files;
}

/**
 * Decide what to load and generate. Pure: reads nothing, writes nothing; `now` is only used for validity checks.
 * `plan.problems` non-empty means the inputs must be fixed (nothing should be written).
 */
export function planCertificates(options: CertificateOptions, inputs: CertificateInputs, now: Date = new Date()): CertificatePlan {
  const ctx: Ctx = { log: [], problems: [], force: options.force === true, now };
  const { log } = ctx;
  const certPath = certPathOf(options);
  const mode: TlsMode = options.noTls ? 'none' : options.noTlsVerify ? 'tls' : 'tlsverify';
  const keySize = options.keySize ?? DEFAULT_KEY_SIZE;
  const plan: CertificatePlan = {
    mode,
    name: options.name,
    certPath,
    certPathAbsolute: inputs.certPath.absolute,
    certPathMissing: !inputs.certPath.exists,
    organization: [],
    keySize,
    serverAltNames: { dns: [], ip: [] },
    generate: { ca: false, server: null, client: false, pfx: false },
    files: [],
    log,
    closingLog: [],
    problems: ctx.problems,
  };

  // §6.3 step 2: --no-tls → no certificates at all.
  if (mode === 'none') {
    log.push({ level: 'warn', message: 'Configuring without TLS - all communications will be insecure' });
    const ignored = [
      options.noTlsVerify && '--no-tlsverify',
      options.cname && '--tls-cname',
      options.serverCert && '--tls-server-cert',
      options.serverKey && '--tls-server-key',
      options.tlsCa?.length && '--tls-ca',
    ].filter((f): f is string => typeof f === 'string');
    if (ignored.length > 0) log.push({ level: 'warn', message: `--no-tls disables TLS: ignoring ${ignored.join(', ')}` });
    return plan;
  }

  const ks = checkKeySize(keySize);
  if (ks.problem) problem(ctx, 'key-size', ks.problem, { flag: '--certificate-key-size' });
  if (ks.warning) log.push({ level: 'warn', message: ks.warning });

  // Step 3: explicit server cert and key go together.
  const explicitPair = Boolean(options.serverCert) || Boolean(options.serverKey);
  if (Boolean(options.serverCert) !== Boolean(options.serverKey)) {
    const [given, missing] = options.serverCert ? ['--tls-server-cert', '--tls-server-key'] : ['--tls-server-key', '--tls-server-cert'];
    problem(ctx, 'pair-incomplete', `key and cert should be specified at the same time: ${given} was given without ${missing}`, { flag: missing });
  }

  // Step 4: cname.
  if (options.cname !== undefined && options.cname !== '') {
    const n = normaliseCname(options.cname);
    if ('problem' in n) {
      problem(ctx, 'cname-invalid', `--tls-cname "${options.cname}" is not usable: ${n.problem}`, { flag: '--tls-cname' });
    } else {
      plan.cname = n.cname;
      plan.cnameSource = 'tls-cname';
    }
  } else if (options.staticIp?.address) {
    const ip = stripCidr(options.staticIp.address);
    const network = options.staticIp.network ?? 'client';
    plan.cname = ip;
    plan.cnameSource = `${network}-network-ip`;
    log.push({ level: 'info', message: `Using ${network}-network-ip as cname where needed - use --tls-cname to override: ${ip}` });
  }
  const extraIps = options.staticIp?.address && plan.cnameSource === 'tls-cname' ? [stripCidr(options.staticIp.address)] : [];
  plan.serverAltNames = serverAltNames(plan.cname, extraIps);
  plan.organization = organizationFor(options.name, options.organization, plan.cname);

  // The cert path must be a directory if it exists.
  const dir = inputs.certPath;
  const dirUsable = !dir.exists || (dir.isDirectory && dir.unreadable === undefined);
  if (dir.exists && !dir.isDirectory) {
    problem(ctx, dir.unreadable ? 'unreadable' : 'cert-path-not-directory',
      dir.unreadable ? `--tls-cert-path "${certPath}" cannot be read: ${dir.unreadable}` : `--tls-cert-path "${certPath}" is a file, not a directory`,
      { flag: '--tls-cert-path', path: certPath });
  } else if (dir.unreadable) {
    problem(ctx, 'unreadable', `--tls-cert-path "${certPath}" cannot be listed: ${dir.unreadable}`, { flag: '--tls-cert-path', path: certPath });
  }

  // Step 5: load. Server pair: explicit files, else the cert path's defaults.
  const fits = (pair: LoadedPair, flagForMismatch: string, where: string): void => {
    const time = certificateTimeProblem(pair.leaf, ctx.now);
    if (time) {
      const msg = time === 'expired'
        ? `${where} expired on ${new Date(pair.leaf.validTo).toISOString()}`
        : `${where} is not valid before ${new Date(pair.leaf.validFrom).toISOString()}`;
      if (ctx.force) log.push({ level: 'warn', message: `${msg} - using it anyway because of --force` });
      else problem(ctx, 'expired', `${msg}; replace it${pair.source === 'cert-path' ? ' or choose another --tls-cert-path' : ''}`, { flag: flagForMismatch, path: pair.certFile });
    }
    if (plan.cname && !certificateValidFor(pair.leaf, plan.cname)) {
      const msg = `Provided cname does not match that in existing server certificate: --tls-cname ${plan.cname} is not among the names of ${where} (${namesOf(pair.leaf)})`;
      if (ctx.force) log.push({ level: 'warn', message: `${msg} - using it anyway because of --force` });
      else {
        problem(ctx, 'cname-mismatch',
          pair.source === 'cert-path'
            ? `${msg}; give the matching --tls-cname, remove the old certificates, or choose another --tls-cert-path`
            : `${msg}; give the matching --tls-cname or a certificate issued for ${plan.cname}`,
          { flag: '--tls-cname', path: pair.certFile });
      }
    }
  };

  if (explicitPair) {
    if (inputs.serverCert && inputs.serverKey) {
      const labels = { cert: describe(inputs.serverCert, '--tls-server-cert', true), key: describe(inputs.serverKey, '--tls-server-key', true) };
      const r = checkPair(inputs.serverCert, inputs.serverKey, labels, 'server', 'flags');
      for (const w of r.warnings) log.push({ level: 'warn', message: w });
      for (const p of r.problems) {
        const flag = p.side === 'key' ? '--tls-server-key' : '--tls-server-cert';
        problem(ctx, p.code, p.message, { flag, path: p.side === 'key' ? inputs.serverKey.path : inputs.serverCert.path });
      }
      if (r.pair) {
        plan.server = r.pair;
        log.push({ level: 'info', message: `Loaded server certificate ${r.pair.certFile}` });
        fits(r.pair, '--tls-server-cert', labels.cert);
      }
    }
  } else if (dirUsable && dir.exists) {
    const { serverCert, serverKey } = inputs.existing;
    if (serverCert.state === 'missing' && serverKey.state === 'missing') {
      log.push({ level: 'debug', message: 'Unable to locate existing server certificate in cert path' });
    } else {
      const labels = { cert: describe(serverCert, '--tls-cert-path', false), key: describe(serverKey, '--tls-cert-path', false) };
      const r = checkPair(serverCert, serverKey, labels, 'server', 'cert-path');
      for (const w of r.warnings) log.push({ level: 'warn', message: w });
      if (r.problems.length > 0) {
        for (const p of r.problems) {
          if (ctx.force) log.push({ level: 'warn', message: `Ignoring error loading certificates due to --force: ${p.message}` });
          else problem(ctx, p.code === 'unreadable' && (serverCert.state === 'missing' || serverKey.state === 'missing') ? 'incomplete-cert-path' : p.code,
            `Unable to load certificates: ${p.message}`, { flag: '--tls-cert-path', path: certPath });
        }
      } else if (r.pair) {
        plan.server = r.pair;
        log.push({ level: 'info', message: `Loaded server certificate ${r.pair.certFile}` });
        fits(r.pair, '--tls-cert-path', labels.cert);
      }
    }
  } else if (!dir.exists) {
    log.push({ level: 'debug', message: 'Unable to locate existing server certificate in cert path' });
  }

  // CA (tlsverify only): --tls-ca files, else <certpath>/ca.pem (+ the client pair next to it).
  if (mode === 'tlsverify') {
    if (options.tlsCa && options.tlsCa.length > 0) {
      const certificates: X509Certificate[] = [];
      const pems: string[] = [];
      const files: string[] = [];
      for (const f of inputs.tlsCa) {
        const what = describe(f, '--tls-ca', true);
        const p = certFileProblem(f, what);
        if (p) {
          problem(ctx, p.code, p.code === 'key-not-cert' ? `${what} contains a private key, not a CA certificate` : p.message, { flag: '--tls-ca', path: f.path });
          continue;
        }
        if (f.state !== 'ok') continue;
        if (f.contents.privateKeys.length > 0 || f.contents.encryptedKeys > 0) {
          log.push({ level: 'warn', message: `${what} also contains a private key; only its certificates are used (keep private keys out of CA files)` });
        }
        for (const c of f.contents.certificates) {
          if (!c.x509.ca) log.push({ level: 'warn', message: `${what} holds a certificate that is not a CA (${namesOf(c.x509)}); client certificates cannot be verified against it` });
          const t = certificateTimeProblem(c.x509, ctx.now);
          if (t === 'expired') log.push({ level: 'warn', message: `${what} holds a CA certificate that expired on ${new Date(c.x509.validTo).toISOString()}` });
          certificates.push(c.x509);
          pems.push(c.pem);
        }
        files.push(f.path);
        log.push({ level: 'info', message: `Loaded CA from ${f.path}` });
      }
      if (certificates.length > 0) plan.ca = { pem: pems.join(''), certificates, files, source: 'tls-ca' };
    } else if (dirUsable && dir.exists) {
      const caFile = inputs.existing.ca;
      if (caFile.state === 'missing') {
        log.push({ level: 'debug', message: 'Unable to locate existing CA in cert path' });
      } else {
        const what = describe(caFile, '--tls-cert-path', false);
        const p = certFileProblem(caFile, what);
        if (p) {
          const msg = `Failed to load authority from certificate path ${certPath}: ${p.code === 'key-not-cert' ? `${what} contains a private key, not a CA certificate` : p.message}`;
          if (ctx.force) log.push({ level: 'warn', message: `Ignoring error loading certificates due to --force: ${msg}` });
          else problem(ctx, p.code, msg, { flag: '--tls-cert-path', path: caFile.path });
        } else if (caFile.state === 'ok' && !caFile.contents.certificates.some((c) => c.x509.ca)) {
          // Written for --no-tlsverify (or --tls-ca): the self-signed server certificate, so docker can use
          // DOCKER_CERT_PATH. Nothing can be issued from it.
          const msg = `${what} is not a CA certificate (it is the self-signed server certificate saved for --no-tlsverify); client certificates cannot be issued from it: choose another --tls-cert-path for a VCH with client authentication, or use --no-tlsverify`;
          if (ctx.force) log.push({ level: 'warn', message: `Ignoring error loading certificates due to --force: ${msg}` });
          else problem(ctx, 'not-ca', msg, { flag: '--tls-cert-path', path: caFile.path });
        } else if (caFile.state === 'ok') {
          const certificates = caFile.contents.certificates.map((c) => c.x509);
          plan.ca = { pem: caFile.contents.certificates.map((c) => c.pem).join(''), certificates, files: [caFile.path], source: 'cert-path' };
          log.push({ level: 'info', message: `Loaded CA with default name from certificate path ${certPath}` });
          if (plan.server && plan.server.source === 'cert-path' && !certificates.some((ca) => issuedBy(plan.server!.leaf, ca))) {
            log.push({ level: 'warn', message: `${plan.server.certFile} is not signed by ${caFile.path}; docker clients that trust only that CA will reject the VCH` });
          }
          // Client pair next to the CA: problems are warnings only (it is used for the API check).
          const { clientCert, clientKey } = inputs.existing;
          const labels = { cert: describe(clientCert, '--tls-cert-path', false), key: describe(clientKey, '--tls-cert-path', false) };
          const r = checkPair(clientCert, clientKey, labels, 'client', 'cert-path');
          if (!r.pair) {
            const why = r.problems.map((x) => x.message).join('; ');
            log.push({ level: 'warn', message: `Unable to load client certificate - validation of API endpoint will be best effort only: ${why}` });
          } else if (!certificates.some((ca) => issuedBy(r.pair!.leaf, ca))) {
            log.push({ level: 'warn', message: 'Client certificate in certificate path does not validate with provided CA - continuing without client certificate' });
          } else {
            plan.client = r.pair;
            log.push({ level: 'info', message: `Loaded client certificate with default name from certificate path ${certPath}` });
          }
        }
      }
    }
  }

  // Step 6: what to generate.
  const needServer = !plan.server && !explicitPair;
  const needCaAndClient = mode === 'tlsverify' && !plan.ca && !(options.tlsCa && options.tlsCa.length > 0);
  plan.generate = {
    ca: needCaAndClient,
    server: needServer ? (needCaAndClient ? 'ca-signed' : 'self-signed') : null,
    client: needCaAndClient,
    pfx: needCaAndClient,
  };
  if (plan.generate.server === 'ca-signed' && !plan.cname) {
    problem(ctx, 'cname-required',
      'provide Common Name for server certificate: use --tls-cname=<FQDN or static IP of the VCH>, or --no-tlsverify to turn off client certificate authentication',
      { flag: '--tls-cname', hints: CNAME_HINTS });
  }
  plan.files = fileModes(plan.generate);
  if (plan.files.length > 0 && dir.exists && dir.isDirectory && dir.entries.length > 0) {
    const what = [plan.generate.ca && 'a CA', plan.generate.server && 'a server certificate', plan.generate.client && 'a client certificate'].filter(Boolean).join(', ');
    problem(ctx, 'cert-path-not-empty',
      `Specified directory to store certificates is not empty. Specify a new path in which to store generated certificates using --tls-cert-path or remove the contents of "${certPath}" and run vic-machine again. ` +
        `(${what} must be generated; it contains ${dir.entries.slice(0, 8).join(', ')}${dir.entries.length > 8 ? ', ...' : ''})`,
      { flag: '--tls-cert-path', path: certPath });
  }

  // Step 7: summary.
  if (mode === 'tls' && ctx.problems.length === 0) {
    plan.closingLog.push({ level: 'warn', message: 'Configuring without TLS verify - certificate-based authentication disabled' });
  }
  return plan;
}

/** File path as displayed in log lines (`vch1/server-key.pem`). */
export function displayPath(plan: Pick<CertificatePlan, 'certPath'>, file: string): string {
  return join(plan.certPath, file);
}
