// The checks of create's and configure's values that need nothing from vSphere: run before connecting, so that a
// value the configuration encoder or the appliance would refuse is refused with one message naming the flag(s) and
// what is valid, before a session exists and long before the resource pool and folder are made. Pure functions over
// the values as the command hands them in; each rule lives here once and is used by every command that takes the
// flag (create through createVch's local checks, configure through the CLI before it opens the VCH, and
// validateCreate for the static addresses, so that a caller that skips the local checks still gets them).
//
// The parsers are the value types' own (src/vic/spec/values/), the ones create parses its values with before it
// builds the configuration from them, so that a value accepted here is a value create accepts.
import { normalizeProxy, DEFAULT_BRIDGE_NETWORK_RANGE, DEFAULT_BRIDGE_NETWORK_WIDTH } from '../config/create.js';
import { cidrContains, formatIpv4, formatIpv4Cidr, networkOf, parseIpv4Cidr, type Ipv4Cidr } from '../spec/values/ipv4.js';
import { parseGateway, type Gateway } from '../spec/values/gateway.js';
import { parseDnsServers } from '../spec/values/ip-address.js';
import { parseByteSize } from '../spec/values/size.js';
import { InvalidValueError, tryParse } from '../spec/values/value-error.js';
import { parseDatastoreLocation } from '../spec/values/datastore-location.js';
import { parseRegistryEntry } from '../config/registries.js';
import { formatIssues } from './format.js';
import type { ValidationIssue, ValidationCode } from './types.js';

export type ApplianceRole = 'public' | 'client' | 'management';
export const APPLIANCE_ROLES: readonly ApplianceRole[] = ['public', 'client', 'management'];

/** One appliance network as given: `--<role>-network`, `--<role>-network-ip`, `--<role>-network-gateway` ("" or absent = not given). */
export interface ApplianceNetworkValues {
  network?: string | undefined;
  ip?: string | undefined;
  gateway?: string | undefined;
}

export interface PreflightCreateValues {
  networks?: Partial<Record<ApplianceRole, ApplianceNetworkValues>>;
  bridgeNetworkRange?: string | undefined;
  /** as given (a string on the command line) or already a number; NaN when it was not one */
  bridgeNetworkWidth?: string | number | undefined;
  insecureRegistries?: readonly string[] | undefined;
  whitelistRegistries?: readonly string[] | undefined;
  dnsServers?: readonly string[] | undefined;
  httpProxy?: string | undefined;
  httpsProxy?: string | undefined;
  syslogAddress?: string | undefined;
  baseImageSize?: string | undefined;
  /** --image-store as given */
  imageStore?: string | undefined;
  /** --volume-store values as given (`location:label`) */
  volumeStores?: readonly string[] | undefined;
  /** --endpoint-memory in MB */
  endpointMemoryMB?: number | undefined;
}

/** What configure takes of the same values (1.5's configure has no appliance-network, bridge or registry-list flags). */
export type PreflightConfigureValues = Pick<PreflightCreateValues, 'dnsServers' | 'httpProxy' | 'httpsProxy' | 'syslogAddress' | 'volumeStores'>;

function issue(code: ValidationCode, flag: string, message: string): ValidationIssue {
  return { code, flag, message };
}

/**
 * The static addresses of the appliance's networks (1.5 `ProcessNetwork` and the dispatcher's port-group rules):
 * a gateway needs a static IP on its network (1.5: "Gateway provided without static IP for <role> network"), the IP
 * must be IP/prefix, the gateway must parse and lie in the IP's subnet; a client or management network that shares
 * the public network's port group takes its address through the public network's options only, and two other
 * networks sharing a port group cannot both have one. Port groups are compared by the names given (a network left
 * out is its default: client → public, management → client), which is all that is known before connecting.
 */
export function checkApplianceNetworks(networks: Partial<Record<ApplianceRole, ApplianceNetworkValues>>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const given = (s: string | undefined): string => (s ?? '').trim();
  const hasStatic: Partial<Record<ApplianceRole, boolean>> = {};
  /** the routing destinations of each valid gateway given */
  const gateways: Partial<Record<ApplianceRole, number>> = {};
  for (const role of APPLIANCE_ROLES) {
    const n = networks[role] ?? {};
    const ip = given(n.ip);
    const gateway = given(n.gateway);
    if (gateway && !ip) {
      out.push(issue('gateway-without-ip', `--${role}-network-gateway`,
        `Gateway provided without static IP for ${role} network: --${role}-network-gateway ${gateway} needs --${role}-network-ip (IP/prefix, e.g. 10.0.0.2/24); leave both out for DHCP`));
      continue;
    }
    if (!ip) continue;
    hasStatic[role] = true;
    let cidr: Ipv4Cidr;
    try {
      cidr = parseIpv4Cidr(ip);
    } catch {
      out.push(issue('ip-invalid', `--${role}-network-ip`, `Failed to parse the provided ${role} network IP address ${ip}: expected IP/prefix, e.g. 10.0.0.2/24`));
      continue;
    }
    if (!gateway) {
      if (role === 'public') {
        out.push(issue('gateway-required', '--public-network-gateway',
          `public network must have both static IP and gateway specified: --public-network-ip ${ip} needs --public-network-gateway (e.g. 10.0.0.1)`));
      }
      continue;
    }
    let gw: Gateway;
    try {
      gw = parseGateway(gateway);
    } catch (e) {
      out.push(issue('gateway-invalid', `--${role}-network-gateway`, `Invalid ${role} network gateway: ${e instanceof InvalidValueError ? e.detail : (e as Error).message}`));
      continue;
    }
    if (role === 'public' && gw.destinations.length) {
      out.push(issue('gateway-invalid', '--public-network-gateway',
        `public network has the default route and must not have any routing destinations specified for gateway: give the gateway alone, e.g. --public-network-gateway ${gateway.slice(gateway.lastIndexOf(':') + 1)}`));
      continue;
    }
    gateways[role] = gw.destinations.length;
    if (!cidrContains(cidr, gw.address)) {
      out.push(issue('gateway-unreachable', `--${role}-network-gateway`, `${role} gateway with IP ${formatIpv4(gw.address)} is not reachable from ${formatIpv4Cidr(networkOf(cidr))} (--${role}-network-ip ${ip})`));
    }
  }
  // Port groups by name: client defaults to public, management to client.
  const pub = given(networks.public?.network) || 'VM Network';
  const client = given(networks.client?.network) || pub;
  const mgmt = given(networks.management?.network) || client;
  const portGroup: Record<ApplianceRole, string> = { public: pub, client, management: mgmt };
  for (const role of ['client', 'management'] as const) {
    if (hasStatic[role] && portGroup[role] === pub) {
      const how = given(networks[role]?.network) ? `--${role}-network "${portGroup[role]}" is the public network` : `--${role}-network is not given, so it is the public network "${pub}"`;
      out.push(issue('static-ip-on-shared-port-group', `--${role}-network-ip`,
        `Static IP on network sharing port group with public network - Configuration ONLY allowed through public network options (${role}): ${how}; ` +
        `give the address with --public-network-ip, or put the ${role} network on a port group of its own with --${role}-network`));
    }
  }
  // A gateway on a network of its own routes only what its destinations say (the public network has the default route).
  for (const role of ['client', 'management'] as const) {
    if (gateways[role] === 0 && portGroup[role] !== pub) {
      out.push(issue('gateway-invalid', `--${role}-network-gateway`,
        `${role} network gateway specified without at least one routing destination: give the networks to route through it, e.g. --${role}-network-gateway 10.1.0.0/16,10.2.0.0/16:${(networks[role]?.gateway ?? '').trim()}`));
    }
  }
  if (hasStatic.client && hasStatic.management && client === mgmt && client !== pub) {
    out.push(issue('static-ip-on-shared-port-group', '--management-network-ip',
      `Incorrect static IP configuration for networks on port group "${client}": --client-network-ip and --management-network-ip are both given for one port group; ` +
      'give the address once, with --client-network-ip, or put the management network on a port group of its own with --management-network'));
  }
  return out;
}

/** The bridge network's range and the width of each bridge network carved from it (1.5 `ProcessBridgeNetwork`). */
export function checkBridgeNetwork(rangeGiven: string | undefined, widthGiven: string | number | undefined): ValidationIssue[] {
  const rangeText = (rangeGiven ?? '').trim() || DEFAULT_BRIDGE_NETWORK_RANGE;
  let prefix: number;
  try {
    prefix = parseIpv4Cidr(rangeText).prefix;
  } catch {
    return [issue('bridge-range-invalid', '--bridge-network-range', `"${rangeText}" is not a network in CIDR form (e.g. --bridge-network-range 172.16.0.0/12)`)];
  }
  const widthText = widthGiven === undefined || widthGiven === '' ? String(DEFAULT_BRIDGE_NETWORK_WIDTH) : String(widthGiven).trim();
  const width = /^\d+$/.test(widthText) ? Number(widthText) : NaN;
  if (!Number.isInteger(width) || width > 30) {
    return [issue('bridge-width-invalid', '--bridge-network-width',
      `Error parsing bridge network width: ${widthText === 'NaN' ? 'not a number' : widthText}. Width must be an integer less than 31 (the prefix length of each bridge network, e.g. --bridge-network-width 16)`)];
  }
  if (width < prefix) {
    return [issue('bridge-width-invalid', '--bridge-network-width',
      `Error specifying bridge network width: ${width}. Width must be larger than prefix of bridge network ip range: --bridge-network-width ${width} with --bridge-network-range ${rangeText}; ` +
      `give a width from ${prefix} to 30, or a range with a prefix of ${width} or less (e.g. --bridge-network-range 172.16.0.0/${Math.min(width, 12)})`)];
  }
  return [];
}

/**
 * Registry lists as the encoder stores them (1.5 `registry.ParseEntry`): every entry must parse, and an insecure
 * registry is a host[:port] or a URL, never a CIDR (a CIDR only says which addresses a whitelist allows).
 */
export function checkRegistries(insecure: readonly string[], whitelist: readonly string[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const [flag, list] of [['--insecure-registry', insecure], ['--whitelist-registry', whitelist]] as const) {
    for (const r of list) {
      if (r.trim() === '') continue;
      const e = parseRegistryEntry(r);
      if (!e) {
        out.push(issue('registry-invalid', flag, `could not parse entry ${r}: give a host[:port] or URL, e.g. ${flag} registry.example.com:5000${flag === '--whitelist-registry' ? ', or a CIDR such as 10.0.0.0/8' : ''}`));
      } else if (flag === '--insecure-registry' && e.kind === 'cidr') {
        out.push(issue('registry-invalid', flag,
          `invalid insecure registry entry: ${r} is a CIDR, which only --whitelist-registry takes; --insecure-registry takes a host[:port] or URL, e.g. --insecure-registry 10.0.0.5:5000`));
      }
    }
  }
  return out;
}

/**
 * A folder on a datastore that climbs out of it (`..`): vSphere refuses it only when the folder is made (a volume
 * store while the VCH is created, the image store when the appliance starts), and where it does not, the folder lands
 * outside the datastore, where delete would remove it again. NFS volume stores are the NFS server's business.
 */
export function checkDatastorePaths(imageStore: string | undefined, volumeStores: readonly string[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  // the folder as the one datastore-location parser reads it (a value it refuses is reported where it is parsed)
  const climbs = (location: string): boolean => {
    const parsed = tryParse(() => parseDatastoreLocation(location));
    return 'value' in parsed && parsed.value.path.split('/').some((seg) => seg.trim() === '..');
  };
  if (imageStore && climbs(imageStore)) {
    out.push(issue('datastore-invalid', '--image-store', `--image-store "${imageStore}" climbs out of its datastore with "..": give a folder on the datastore, e.g. --image-store datastore1/vch-images`));
  }
  for (const vs of volumeStores) {
    const i = vs.lastIndexOf(':');
    const location = i > 0 ? vs.slice(0, i) : vs;
    if (/^nfs:\/\//i.test(location)) continue;
    if (climbs(location)) {
      out.push(issue('volume-store-invalid', '--volume-store', `--volume-store "${vs}" climbs out of its datastore with "..": give a folder on the datastore, e.g. --volume-store datastore1/volumes:default`));
    }
  }
  return out;
}

/** A --registry-ca file must hold at least one PEM certificate: the appliance would otherwise trust nothing from it. */
export function checkRegistryCa(file: string, content: string): ValidationIssue[] {
  if (/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(content)) return [];
  return [issue('certificate-invalid', '--registry-ca', `--registry-ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the registry's CA certificate in PEM form`)];
}

/** DNS servers, proxies, the syslog address and volume-store folders: the values create and configure share. */
function checkServices(v: PreflightConfigureValues): ValidationIssue[] {
  const out: ValidationIssue[] = [...checkDatastorePaths(undefined, v.volumeStores ?? [])];
  for (const d of v.dnsServers ?? []) {
    // a value may list several, separated by commas
    try {
      parseDnsServers([d]);
    } catch {
      out.push(issue('dns-server-invalid', '--dns-server', `Invalid DNS server specified: ${d} (an IP address, e.g. --dns-server 10.0.0.53)`));
    }
  }
  for (const [flag, value] of [['--http-proxy', v.httpProxy], ['--https-proxy', v.httpsProxy]] as const) {
    if (!value) continue;
    try {
      normalizeProxy(value);
    } catch (e) {
      out.push(issue('proxy-invalid', flag, (e as Error).message));
    }
  }
  if (v.syslogAddress) {
    // transport://host[:port] and nothing else (the appliance's syslog client takes no path), port a port number
    const m = /^(tcp|udp):\/\/[^/:\s]+(?::(\d{1,5}))?$/i.exec(v.syslogAddress);
    if (!m || Number(m[2] ?? 0) > 65535) {
      out.push(issue('syslog-address-invalid', '--syslog-address',
        `"${v.syslogAddress}" is not a syslog address: use transport://host[:port], where transport is udp or tcp${m ? ' and port is at most 65535' : ''}`));
    }
  }
  return out;
}

/** Every check of create's values that needs no vSphere. */
export function preflightCreate(v: PreflightCreateValues): ValidationIssue[] {
  const out: ValidationIssue[] = [...checkApplianceNetworks(v.networks ?? {}), ...checkBridgeNetwork(v.bridgeNetworkRange, v.bridgeNetworkWidth)];
  out.push(...checkRegistries(v.insecureRegistries ?? [], v.whitelistRegistries ?? []));
  out.push(...checkServices(v));
  out.push(...checkDatastorePaths(v.imageStore, []));
  // vSphere takes a VM's memory in multiples of 4 MB, and says so only when the appliance VM is created
  if (v.endpointMemoryMB !== undefined && v.endpointMemoryMB % 4 !== 0) {
    const down = v.endpointMemoryMB - (v.endpointMemoryMB % 4);
    out.push(issue('size-invalid', '--endpoint-memory',
      `--endpoint-memory ${v.endpointMemoryMB} is not a multiple of 4 MB, which vSphere requires of a VM's memory: give ${down > 0 ? `${down} or ` : ''}${down + 4}`));
  }
  if (v.baseImageSize !== undefined && v.baseImageSize !== '') {
    let bytes = NaN;
    try {
      bytes = parseByteSize(v.baseImageSize);
    } catch { /* reported below */ }
    if (!(bytes > 0)) out.push(issue('size-invalid', '--base-image-size', `invalid size: '${v.baseImageSize}': give a size such as 8GB or 8000MB`));
  }
  return out;
}

/** Every check of configure's values that needs no vSphere. */
export function preflightConfigure(v: PreflightConfigureValues): ValidationIssue[] {
  return checkServices(v);
}

/** Problems found before connecting: a validation error (exit 2), each issue with its code and flag (`issues`). */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
  readonly cliErrorType = 'validation';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.length === 1 ? formatIssues(issues).join('\n') : `${issues.length} problems with the configuration:\n${formatIssues(issues).join('\n')}`);
  }
}
