/**
 * `processCertificates`: read inputs → plan (pure) → generate (async, keys in parallel) → write. Nothing is written
 * when the inputs have problems; the generated files appear all at once (or not at all).
 */
import { createCaCertificate, createClientCertificate, createPfx, createServerCertificate, type IssuedCertificate, type ValidityOptions } from './build.js';
import { CertificateInputError } from './errors.js';
import { CERT_FILES, readCertificateInputs } from './inputs.js';
import { generateRsaKeyPairs } from './keys.js';
import { loadForge } from './forge.js';
import type { CertificateOptions, TlsMode } from './options.js';
import { displayPath, planCertificates, type CertificatePlan, type LogEntry } from './plan.js';
import { caSubject, clientSubject, serverSubject } from './subject.js';
import { CERT_MODE, KEY_MODE, writeCertificateFiles, type FileToWrite } from './files.js';

export interface GeneratedCertificates {
  ca?: IssuedCertificate;
  server?: IssuedCertificate;
  client?: IssuedCertificate;
  pfx?: Buffer;
  /** For a self-signed server certificate: the same certificate, saved as `ca.pem` so docker can use DOCKER_CERT_PATH. */
  serverTrustPem?: string;
  /** Log lines in vic-machine's order (`Generating CA certificate/key pair - private key in vch1/ca-key.pem`, ...). */
  log: LogEntry[];
}

/**
 * Lets the event loop run between the signing steps (each a few ms of synchronous node-forge work), so that a spinner
 * and the session keep-alive are never held up by more than one step.
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Generate what `plan.generate` asks for, in memory. All keys are generated concurrently off the main thread. */
export async function generateCertificates(plan: CertificatePlan, validity: ValidityOptions = {}): Promise<GeneratedCertificates> {
  const g = plan.generate;
  const out: GeneratedCertificates = { log: [] };
  const count = (g.ca ? 1 : 0) + (g.server ? 1 : 0) + (g.client ? 1 : 0);
  if (count === 0) return out;
  // Keys are generated on the thread pool; load node-forge meanwhile.
  const [keys] = await Promise.all([generateRsaKeyPairs(count, plan.keySize), loadForge()]);
  const caKey = g.ca ? keys.shift() : undefined;
  const serverKey = g.server ? keys.shift() : undefined;
  const clientKey = g.client ? keys.shift() : undefined;

  if (g.server === 'self-signed') {
    out.log.push({ level: 'info', message: `Generating self-signed certificate/key pair - private key in ${displayPath(plan, CERT_FILES.serverKey)}` });
    await breathe();
    out.server = await createServerCertificate(serverKey!, serverSubject(plan.name, plan.organization, plan.cname), plan.serverAltNames, undefined, validity);
    out.serverTrustPem = out.server.certPem;
    out.log.push({ level: 'info', message: `Saved the self-signed server certificate as ${displayPath(plan, CERT_FILES.ca)} for docker clients (DOCKER_CERT_PATH)` });
  }
  if (caKey) {
    out.log.push({ level: 'info', message: `Generating CA certificate/key pair - private key in ${displayPath(plan, CERT_FILES.caKey)}` });
    await breathe();
    out.ca = await createCaCertificate(caKey, caSubject(plan.name, plan.organization), validity);
    const issuer = { certPem: out.ca.certPem, privateKey: caKey.privateKey };
    if (g.server === 'ca-signed') {
      out.log.push({ level: 'info', message: `Generating server certificate/key pair - private key in ${displayPath(plan, CERT_FILES.serverKey)}` });
      await breathe();
      out.server = await createServerCertificate(serverKey!, serverSubject(plan.name, plan.organization, plan.cname), plan.serverAltNames, issuer, validity);
    }
    if (clientKey) {
      out.log.push({ level: 'info', message: `Generating client certificate/key pair - private key in ${displayPath(plan, CERT_FILES.clientKey)}` });
      await breathe();
      out.client = await createClientCertificate(clientKey, clientSubject(plan.name, plan.organization), issuer, validity);
    }
  }
  if (g.pfx && out.client && out.ca) {
    try {
      await breathe();
      out.pfx = await createPfx(out.client.keyPem, out.client.certPem, [out.ca.certPem], { friendlyName: `${plan.name} docker client` });
      out.log.push({ level: 'info', message: `Generated browser friendly PFX client certificate - certificate in ${displayPath(plan, CERT_FILES.pfx)}` });
    } catch (err) {
      out.log.push({ level: 'warn', message: `Failed to generate browser friendly PFX client certificate: ${(err as Error).message}` });
    }
  }
  return out;
}

/** The files to write for generated certificates, with their modes. */
export function filesFor(generated: GeneratedCertificates): FileToWrite[] {
  const files: FileToWrite[] = [];
  if (generated.ca) files.push({ name: CERT_FILES.ca, content: generated.ca.certPem, mode: CERT_MODE }, { name: CERT_FILES.caKey, content: generated.ca.keyPem, mode: KEY_MODE });
  if (generated.server) files.push({ name: CERT_FILES.serverCert, content: generated.server.certPem, mode: CERT_MODE }, { name: CERT_FILES.serverKey, content: generated.server.keyPem, mode: KEY_MODE });
  if (generated.serverTrustPem && !generated.ca) files.push({ name: CERT_FILES.ca, content: generated.serverTrustPem, mode: CERT_MODE });
  if (generated.client) files.push({ name: CERT_FILES.clientCert, content: generated.client.certPem, mode: CERT_MODE }, { name: CERT_FILES.clientKey, content: generated.client.keyPem, mode: KEY_MODE });
  if (generated.pfx) files.push({ name: CERT_FILES.pfx, content: generated.pfx, mode: KEY_MODE });
  return files;
}

export interface CertificateResult {
  mode: TlsMode;
  /** Cert path as given / defaulted (`vch1`), and absolute. */
  certPath: string;
  certPathAbsolute: string;
  cname?: string;
  /** Server certificate chain (leaf first) and key for the VCH (`HostCertificate`); absent with `--no-tls`. */
  serverCertPem?: string;
  serverKeyPem?: string;
  /** CA bundle the VCH verifies client certificates against (`CertificateAuthorities`); tlsverify only. */
  caPem?: string;
  /** Client pair (generated or found in the cert path), for the docker API check. */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** What was generated this run. */
  generated: Array<'ca' | 'server' | 'client' | 'pfx'>;
  /** Absolute paths of files written this run. */
  written: string[];
  /** Every log line, in order (the plan's, then generation's). Never contains key material. */
  log: LogEntry[];
}

export interface ProcessCertificatesOptions {
  /** Called for each log line as it happens (so a spinner/logger can show progress). */
  onLog?: (entry: LogEntry) => void;
  validity?: ValidityOptions;
  /** Reference time for validity checks. */
  now?: Date;
}

/**
 * vic-machine's certificate step for `create`: load or generate, write the generated files into the cert path.
 * Throws `CertificateInputError` (with every problem) before touching the disk when the inputs are wrong, and
 * `CertificateError('write-failed')` when writing fails (after removing what it wrote).
 */
export async function processCertificates(options: CertificateOptions, run: ProcessCertificatesOptions = {}): Promise<CertificateResult> {
  const inputs = await readCertificateInputs(options);
  const plan = planCertificates(options, inputs, run.now);
  const log: LogEntry[] = [];
  const emit = (e: LogEntry): void => {
    log.push(e);
    run.onLog?.(e);
  };
  plan.log.forEach(emit);
  if (plan.problems.length > 0) {
    for (const p of plan.problems) {
      emit({ level: 'error', message: p.message });
      for (const h of p.hints) emit({ level: 'info', message: h });
    }
    throw new CertificateInputError(plan.problems);
  }
  const result: CertificateResult = {
    mode: plan.mode,
    certPath: plan.certPath,
    certPathAbsolute: plan.certPathAbsolute,
    generated: [],
    written: [],
    log,
  };
  if (plan.cname) result.cname = plan.cname;
  if (plan.mode === 'none') {
    plan.closingLog.forEach(emit);
    return result;
  }

  const generated = await generateCertificates(plan, run.validity);
  generated.log.forEach(emit);
  const files = filesFor(generated);
  if (files.length > 0) result.written = await writeCertificateFiles(plan.certPathAbsolute, files, plan.certPath);
  if (generated.ca) result.generated.push('ca');
  if (generated.server) result.generated.push('server');
  if (generated.client) result.generated.push('client');
  if (generated.pfx) result.generated.push('pfx');
  plan.closingLog.forEach(emit);

  const server = generated.server ?? (plan.server && { certPem: plan.server.certPem, keyPem: plan.server.keyPem });
  if (server) {
    result.serverCertPem = server.certPem;
    // Keys loaded from user files may be PKCS#8 or SEC1; hand the appliance what it was given.
    result.serverKeyPem = server.keyPem;
  }
  if (plan.mode === 'tlsverify') {
    const caPem = generated.ca?.certPem ?? plan.ca?.pem;
    if (caPem) result.caPem = caPem;
    const client = generated.client ?? (plan.client && { certPem: plan.client.certPem, keyPem: plan.client.keyPem });
    if (client) {
      result.clientCertPem = client.certPem;
      result.clientKeyPem = client.keyPem;
    }
  }
  return result;
}
