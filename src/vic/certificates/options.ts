/** Inputs of the certificate decision: the TLS flags of `create` (and `configure`), plus what the caller knows. */
import { stripCidr } from './subject.js';

export type TlsMode =
  /** `--no-tls`: plain HTTP on 2375, no certificates. */
  | 'none'
  /** `--no-tlsverify`: TLS on 2376, no client authentication. */
  | 'tls'
  /** default: TLS on 2376 with client certificates verified against the CA(s). */
  | 'tlsverify';

export type CnameNetwork = 'client' | 'public' | 'management';

/** A static IP that stands in for `--tls-cname` when none is given (§6.3 step 4). */
export interface StaticIpCname {
  /** IP, with or without a `/prefix`. */
  address: string;
  /** Which network it came from; used in the info line. Default `client`. */
  network?: CnameNetwork;
}

export interface CertificateOptions {
  /** `--name`, the VCH display name. */
  name: string;
  /** `--tls-cert-path`; default `<name>` relative to `cwd`. */
  certPath?: string;
  /** `--tls-cname`. */
  cname?: string;
  /** `--no-tlsverify`. */
  noTlsVerify?: boolean;
  /** `--no-tls`. */
  noTls?: boolean;
  /** `--tls-ca` files (repeatable). */
  tlsCa?: readonly string[];
  /** `--tls-server-cert`. */
  serverCert?: string;
  /** `--tls-server-key`. */
  serverKey?: string;
  /** `--organization` (repeatable). */
  organization?: readonly string[];
  /** `--certificate-key-size`; default 2048. */
  keySize?: number;
  /** First static IP of the VCH (client, else public/management per §6.3), if any. */
  staticIp?: StaticIpCname;
  /** `--force`: reuse certificates that do not fit, ignore unreadable files in the cert path. */
  force?: boolean;
  /** Working directory for relative paths; default `process.cwd()`. */
  cwd?: string;
}

/** The cert path as shown in messages: `--tls-cert-path` or the VCH name (original: `./<name>`, printed `vch1/...`). */
export function certPathOf(options: Pick<CertificateOptions, 'certPath' | 'name'>): string {
  return options.certPath && options.certPath.length > 0 ? options.certPath : options.name;
}

export interface NetworkAddress {
  /** Static IP (optionally CIDR) of the network, if static. */
  ip?: string;
  /** vSphere port group backing the network. */
  portGroup?: string;
}

/**
 * vic-machine's choice of a static IP to use as cname (§6.3 step 4): the client IP; else the public IP when the
 * public network shares the client port group (or no client network was given); else the management IP when it
 * shares the client port group (or, with no client network, the public one).
 */
export function pickStaticIpForCname(networks: { client?: NetworkAddress; public?: NetworkAddress; management?: NetworkAddress }): StaticIpCname | undefined {
  const { client, public: pub, management } = networks;
  if (client?.ip) return { address: stripCidr(client.ip), network: 'client' };
  const clientPg = client?.portGroup;
  if (pub?.ip && (!clientPg || pub.portGroup === clientPg)) return { address: stripCidr(pub.ip), network: 'public' };
  if (management?.ip && ((clientPg && management.portGroup === clientPg) || (!clientPg && management.portGroup === pub?.portGroup))) {
    return { address: stripCidr(management.ip), network: 'management' };
  }
  return undefined;
}
