// Configure's new certificates (reference §5.3 step 8, §6.4), for both front ends: the CLI's `--tls-cname`,
// `--no-tlsverify`, `--tls-server-cert/--tls-server-key`, `--tls-ca`, `--organization`, `--certificate-key-size`, and
// the REST API's `auth` of a PUT/PATCH. Create's certificate step (processCertificates) decides, generates and writes
// into a certificate folder that must not exist yet; the VCH's static address stands in for a cname not given, as 1.5
// did. What comes back is what configure writes into the VCH (changes.ts ConfigureRequest.certificates).
import { ipNetString, type VirtualContainerHostConfigSpec } from '../config/index.js';
import { CertificateError, pickStaticIpForCname, processCertificates, type CertificateOptions } from '../certificates/index.js';
import type { LogEntry } from '../certificates/plan.js';
import { parsePemContents } from '../certificates/pem.js';
import type { SpecProblem } from '../spec/vch-spec.js';
import type { ConfigureRequest } from './changes.js';

export interface NewCertificatesInput {
  /** the VCH's name (file names and messages) */
  name: string;
  /** where relative paths are; certPath is made in it and must not exist */
  cwd: string;
  certPath: string;
  /** the VCH's configuration: its static addresses are cname candidates */
  config: VirtualContainerHostConfigSpec;
  noTlsVerify: boolean;
  keySize?: number;
  force?: boolean;
  cname?: string;
  /** CA files clients are verified against (with them no CA and no client certificate is generated) */
  tlsCa?: readonly string[];
  serverCert?: string;
  serverKey?: string;
  organization?: readonly string[];
  onLog?: (e: LogEntry) => void;
}

export interface NewCertificates {
  /** for the configuration (null CAs: client verification off) */
  certificates: NonNullable<ConfigureRequest['certificates']>;
  /** absolute paths of the files written into the certificate folder */
  written: string[];
  /** the client pair made (client verification with a generated CA), for the Docker API check afterwards */
  client?: { certPem: string; keyPem: string };
}

export async function newCertificates(i: NewCertificatesInput): Promise<NewCertificates> {
  const conf = i.config;
  const staticOf = (role: string) => {
    const ep = conf.executorConfig.networks[role];
    return ep ? { ...(ep.static && ep.ip?.ip ? { ip: ipNetString(ep.ip) } : {}), portGroup: ep.network.common.id } : undefined;
  };
  const nets = { client: staticOf('client'), public: staticOf('public'), management: staticOf('management') };
  const staticIp = pickStaticIpForCname(Object.fromEntries(Object.entries(nets).filter(([, v]) => v)) as Parameters<typeof pickStaticIpForCname>[0]);
  const options: CertificateOptions = {
    name: i.name, cwd: i.cwd, certPath: i.certPath, noTlsVerify: i.noTlsVerify, ...(i.keySize !== undefined ? { keySize: i.keySize } : {}),
    ...(i.force !== undefined ? { force: i.force } : {}), ...(i.cname ? { cname: i.cname } : {}), ...(i.tlsCa?.length ? { tlsCa: i.tlsCa } : {}),
    ...(i.serverCert ? { serverCert: i.serverCert } : {}), ...(i.serverKey ? { serverKey: i.serverKey } : {}),
    ...(i.organization?.length ? { organization: i.organization } : {}), ...(staticIp ? { staticIp } : {}),
  };
  const result = await processCertificates(options, i.onLog ? { onLog: i.onLog } : {});
  if (!result.serverCertPem || !result.serverKeyPem) {
    throw new CertificateError('unreadable', 'Failed to load or generate server certificates', { flag: '--tls-server-cert' });
  }
  const bytes = (s: string) => new Uint8Array(Buffer.from(s));
  return {
    certificates: { serverCertPem: bytes(result.serverCertPem), serverKeyPem: bytes(result.serverKeyPem), caPem: result.caPem ? bytes(result.caPem) : null },
    written: result.written,
    ...(result.clientCertPem && result.clientKeyPem ? { client: { certPem: result.clientCertPem, keyPem: result.clientKeyPem } } : {}),
  };
}

/**
 * A CA bundle from PEM texts given inline (`--tls-ca`'s or `--registry-ca`'s as the REST API takes them): only their
 * certificates, each text checked as the files of those flags are (a private key is never a CA and is never stored).
 * `path` names each text's field for its problem.
 */
export function caBundleOf(texts: readonly { pem: string; path: string }[], flag: string): { pem: string; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const certs: string[] = [];
  for (const t of texts) {
    const c = parsePemContents(t.pem);
    if (c.privateKeys.length || c.encryptedKeys) problems.push({ flag, path: t.path, message: 'holds a private key: give the CA\'s certificate only (PEM)' });
    else if (!c.certificates.length) problems.push({ flag, path: t.path, message: `holds no certificate (-----BEGIN CERTIFICATE-----)${c.unparsable.length ? ' that can be read' : ''}: give the CA's certificate in PEM form` });
    else certs.push(...c.certificates.map((x) => x.pem));
  }
  return { pem: certs.join(''), problems };
}
