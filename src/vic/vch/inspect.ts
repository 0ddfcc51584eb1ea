// `inspect`: the facts of reference §7.2 from the decoded configuration (no secrets are needed or unsealed).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decodeVchConfigDetailed, ipNetString, ipString, isUnspecifiedIP, maskSize, shortVersion,
  type NetworkEndpoint, type VirtualContainerHostConfigSpec,
} from '../config/index.js';
import type { VchRecord } from './find.js';
import { upgradeStatus, type InstallerVersion, type UpgradeStatusKind } from './status.js';

export interface NicState {
  /** client, public, management, bridge */
  role: string;
  /** the port group's moref as stored (`Network:network-7`), when recorded */
  network: string;
  /** the address the appliance reported, or null when it has none yet */
  assignedIp: string | null;
  /** the static address configured for it, if any */
  staticIp: string | null;
}

export interface InspectFacts {
  id: string;
  moref: string;
  name: string;
  powerState: string;
  creating: boolean;
  installerVersion: string | null;
  vchVersion: string;
  upgradeStatus: { kind: UpgradeStatusKind; lines: string[] };
  /** host address dockers use (the client interface's address); null when the appliance has no IP yet */
  hostAddress: string | null;
  adminPortal: string | null;
  bridgeNetworkRange: string;
  bridgeNetworkWidth: number;
  publishedPortsAddress: string | null;
  managementAddress: string | null;
  tls: 'none' | 'server' | 'verify';
  dockerPort: number;
  /** the directory whose cert.pem/key.pem verify against the VCH's CA, when found */
  clientCertPath: string | null;
  dockerEnvironment: Record<string, string> | null;
  dockerCommand: string | null;
  nics: NicState[];
  /** what was said along the way (warnings) */
  warnings: string[];
  /** info lines of the certificate search */
  notes: string[];
}

export interface InspectOptions {
  cwd: string;
  /** --tls-cert-path ("" = not given) */
  tlsCertPath: string;
  home?: string;
  /** look for the docker client's certificates on this machine (default true; vic-machine-server has none to look for) */
  findClientCerts?: boolean;
}

function ipOf(e: NetworkEndpoint | undefined): string | null {
  const ip = e?.assigned?.ip;
  if (!ip || ip.length === 0 || isUnspecifiedIP(ip)) return null;
  return ipString(ip);
}

function bytesText(b: Uint8Array | undefined): string {
  return b && b.length ? Buffer.from(b).toString('utf8') : '';
}

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** cert.pem + key.pem in `dir` that belong together and were signed by one of the CAs. */
function clientCertsIn(dir: string, cas: X509Certificate[]): boolean {
  try {
    const cert = new X509Certificate(fs.readFileSync(path.join(dir, 'cert.pem')));
    const key = createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem')));
    if (!cert.checkPrivateKey(key)) return false;
    return cas.some((ca) => { try { return cert.verify(ca.publicKey); } catch { return false; } });
  } catch {
    return false;
  }
}

export function inspectFacts(vch: VchRecord, installer: InstallerVersion, o: InspectOptions): InspectFacts {
  const { config } = decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false });
  return factsFromConfig(vch, config, installer, o);
}

export function factsFromConfig(vch: VchRecord, config: VirtualContainerHostConfigSpec, installer: InstallerVersion, o: InspectOptions): InspectFacts {
  const warnings: string[] = [];
  const notes: string[] = [];
  const version = config.executorConfig.version;
  const status = upgradeStatus(installer, version, vch.extraConfig);
  const nets = config.executorConfig.networks;
  const client = ipOf(nets['client']);
  const pub = ipOf(nets['public']);
  const mgmt = nets['management'] ? ipOf(nets['management']) : null;

  const hostCertPem = bytesText(config.certificate.hostCertificate?.cert);
  const caPem = bytesText(config.certificate.certificateAuthorities);
  const cas = pemBlocks(caPem).flatMap((p) => { try { return [new X509Certificate(p)]; } catch { return []; } });
  const tls: InspectFacts['tls'] = caPem ? 'verify' : hostCertPem ? 'server' : 'none';
  const dockerPort = hostCertPem ? 2376 : 2375;

  let host = client;
  if (host && hostCertPem) {
    // The original looks for a name the certificate is valid for (reverse DNS, then the certificate's names by
    // forward DNS). Without DNS lookups: the client IP is used when the certificate names it and a VCH CA signed it.
    let ok = false;
    try {
      const cert = new X509Certificate(hostCertPem);
      ok = cert.checkIP(host) !== undefined && cas.some((ca) => { try { return cert.verify(ca.publicKey); } catch { return false; } });
    } catch { /* unreadable: fall through */ }
    if (!ok) warnings.push('Unable to identify address acceptable to host certificate, using assigned client IP as host address.');
  }

  let clientCertPath: string | null = null;
  if (caPem && o.findClientCerts !== false) {
    let dirs: string[];
    if (o.tlsCertPath) {
      notes.push(`--tls-cert-path supplied - only checking for certs in ${o.tlsCertPath}/`);
      dirs = [o.tlsCertPath];
    } else {
      const home = o.home ?? os.homedir();
      notes.push(`--tls-cert-path not supplied - checking for certs in current directory, ${vch.name}/ and ${home}/.docker/`);
      dirs = [vch.name, '.', path.join(home, '.docker')];
    }
    for (const d of dirs) {
      const abs = path.resolve(o.cwd, d);
      if (clientCertsIn(abs, cas)) { clientCertPath = abs; break; }
    }
    if (!clientCertPath) {
      warnings.push('Unable to find valid client certs');
      warnings.push('DOCKER_CERT_PATH must be provided in environment or certificates specified individually via CLI arguments');
    }
  }

  const nics: NicState[] = Object.entries(nets).map(([role, e]) => ({
    role, network: e.network?.common?.id ?? '', assignedIp: ipOf(e),
    // an unset address (the bridge's 0.0.0.0 with no mask) is no static IP
    staticIp: e.ip?.ip?.length && !isUnspecifiedIP(e.ip.ip) && e.ip.mask?.length ? ipNetString(e.ip) : null,
  }));

  let env: Record<string, string> | null = null;
  let cmd: string | null = null;
  if (host) {
    env = {};
    if (caPem) env['DOCKER_TLS_VERIFY'] = '1';
    if (clientCertPath) env['DOCKER_CERT_PATH'] = clientCertPath;
    env['DOCKER_HOST'] = `${host}:${dockerPort}`;
    env['COMPOSE_TLS_VERSION'] = 'TLSv1_2';
    cmd = `docker -H ${host}:${dockerPort}${caPem ? ' --tlsverify' : hostCertPem ? ' --tls' : ''} info`;
  }
  const width = config.network.bridgeNetworkWidth;
  return {
    id: vch.id, moref: `VirtualMachine:${vch.id}`, name: vch.name, powerState: vch.powerState, creating: vch.creating,
    installerVersion: installer.short ?? null, vchVersion: shortVersion(version),
    upgradeStatus: { kind: status.kind, lines: status.long },
    hostAddress: host, adminPortal: host ? `https://${host}:2378` : null,
    bridgeNetworkRange: config.network.bridgeIPRange?.ip ? ipNetString(config.network.bridgeIPRange) : '172.16.0.0/12',
    bridgeNetworkWidth: width && width.length ? maskSize(width)[0] : 16,
    publishedPortsAddress: pub, managementAddress: mgmt, tls, dockerPort, clientCertPath,
    dockerEnvironment: env, dockerCommand: cmd, nics, warnings, notes,
  };
}
