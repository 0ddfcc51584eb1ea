// The VCH specification: the one description of what a VCH should be. Every front end builds it and every writer
// reads it:
//   - the CLI from flags, VIC_MACHINE_* and --config YAML (./flags.ts specFromCreateFlags),
//   - the REST API from vic-machine-server's VCH model (./vch-model.ts vchSpecOfModel),
//   - `inspect config` from what vSphere holds for a VCH (../vch/inspect-config.ts vchSpecOf), written back as flags,
//     YAML or the VCH model; each form reads back into the same specification.
// create turns it into a validated, resolved plan and the extraConfig; configure compares the VCH's specification
// with the requested one.
//
// What is NOT in it, on purpose: how to reach vSphere (target, credentials, thumbprint: the connection, not the VCH),
// and how one run goes (--force, --timeout, --dry-run, ISO files, where certificates are written locally).
//
// Values are held in the canonical text of their 1.5 flag (`10.0.0.1/24`, `ds://LocalDS_0/images`, `8GB`) or as
// numbers in the flag's unit; a setting left out holds its default (DEFAULTS), so two specifications of one VCH
// compare equal whichever front end made them.

import type { ValidationCode } from '../validate/types.js';
import type { Shares } from './values/shares.js';

/** vSphere inventory object named by name or inventory path (the CLI, `{name}` in the model) or by moref id (`{id}`). */
export type InventoryRef = { name: string } | { id: string };

/** Resource-pool shares: a named level, or a custom share count (its one parser: ./values/shares.ts). */
export type { Shares };

export type ContainerNetworkFirewall = 'closed' | 'outbound' | 'peers' | 'published' | 'open';
export const FIREWALL_LEVELS: readonly ContainerNetworkFirewall[] = ['closed', 'outbound', 'peers', 'published', 'open'];

/** A resource pool's allocation as the VCH's own pool gets it; absent fields are vSphere's defaults. */
export interface PoolAllocationSpec {
  /** MHz (cpu) or MB (memory); 0 and absent = unlimited */
  limit?: number;
  /** MHz or MB */
  reservation?: number;
  shares?: Shares;
}

/** A gateway with the networks routed through it: `--public-network-gateway 10.1.0.0/16,10.2.0.0/16:10.0.0.1`. */
export interface GatewaySpec {
  address: string;
  /** CIDRs routed through the gateway (none: the default route) */
  routingDestinations: string[];
}

/** The public, client or management network of the appliance. */
export interface ApplianceNetworkSpec {
  portGroup: InventoryRef;
  /** static address with prefix, `10.0.0.5/24`; absent = DHCP */
  staticIp?: string;
  gateway?: GatewaySpec;
}

/** `--container-network vsphere-name[:alias]` with its `--container-network-*` values. */
export interface ContainerNetworkSpec {
  portGroup: InventoryRef;
  /** the name containers use (the vSphere name when none was given) */
  alias: string;
  /** gateway address and subnet, `10.1.0.1/24` */
  gateway?: string;
  /** CIDRs or first-last ranges */
  ipRanges: string[];
  dns: string[];
  firewall?: ContainerNetworkFirewall;
}

/** `--volume-store location:label`: `ds://datastore/path`, `datastore/path`, `[datastore] path` or `nfs://host/path?opts`. */
export interface VolumeStoreSpec {
  label: string;
  location: string;
}

/** PEM text given inline (the REST API) or as a file to read (the CLI). */
export type PemSource = { file: string } | { pem: string };

export type TlsMode = 'verify' | 'no-verify' | 'none';

export interface TlsSpec {
  /** `verify`: client certificates checked (default); `no-verify`: --no-tlsverify; `none`: --no-tls */
  mode: TlsMode;
  /** --tls-cname: the generated server certificate's common name */
  cname?: string;
  /** --organization (generated certificates) */
  organization: string[];
  /** --certificate-key-size, bits */
  keySize: number;
  /** --tls-server-cert / --tls-server-key: a certificate of one's own instead of a generated one */
  serverCertificate?: PemSource;
  serverKey?: PemSource;
  /** --tls-ca: CAs whose client certificates are accepted */
  clientCas: PemSource[];
}

/** The operations user: the one the appliance talks to vSphere as. Absent = the admin user who runs create. */
export interface OpsCredentialsSpec {
  user: string;
  /** secret: never written out by any writer */
  password?: string;
  /** --ops-grant-perms */
  grantPermissions: boolean;
}

export interface VchSpec {
  /** --name */
  name: string;
  /** --debug (0 = off) */
  debug: number;
  compute: {
    /** --compute-resource; absent = the only cluster or host */
    resource?: InventoryRef;
    cpu: PoolAllocationSpec;
    memory: PoolAllocationSpec;
    /** --affinity-vm-group */
    affinityVmGroup: boolean;
  };
  endpoint: {
    /** --endpoint-cpu */
    cpus: number;
    /** --endpoint-memory, MB */
    memoryMB: number;
    operationsCredentials?: OpsCredentialsSpec;
  };
  storage: {
    /** --image-store; absent = the only datastore */
    imageStore?: string;
    volumeStores: VolumeStoreSpec[];
    /** --base-image-size, decimal units as 1.5 takes them (`8GB`) */
    baseImageSize: string;
    /** --storage-quota, GB; absent = unlimited */
    quotaGB?: number;
  };
  network: {
    bridge: {
      /** --bridge-network; absent = a port group named after the VCH */
      portGroup?: InventoryRef;
      /** --bridge-network-range */
      ipRange: string;
      /** --bridge-network-width (prefix length of each bridge network) */
      width: number;
    };
    /** --public-network[-ip|-gateway] */
    public: ApplianceNetworkSpec;
    /** --client-network[-ip|-gateway]; absent = on the public network */
    client?: ApplianceNetworkSpec;
    /** --management-network[-ip|-gateway]; absent = on the client network */
    management?: ApplianceNetworkSpec;
    /** --dns-server (all appliance networks) */
    dns: string[];
    container: ContainerNetworkSpec[];
    /** --asymmetric-routes */
    asymmetricRoutes: boolean;
  };
  tls: TlsSpec;
  registry: {
    /** --insecure-registry */
    insecure: string[];
    /** --whitelist-registry */
    whitelist: string[];
    /** --registry-ca */
    certificateAuthorities: PemSource[];
  };
  /** --http-proxy, --https-proxy, --no-proxy */
  proxy: { http?: string; https?: string; noProxy?: string };
  /** --syslog-address, `udp://host[:port]` or `tcp://...` */
  syslogAddress?: string;
  container: {
    /** --container-name-convention */
    nameConvention?: string;
    /** --containers: at most this many containers; absent = unlimited */
    maxContainers?: number;
  };
}

/** The defaults vic-machine 1.5 applies to a setting left out. */
export const DEFAULTS = {
  name: 'virtual-container-host',
  publicNetwork: 'VM Network',
  bridgeIpRange: '172.16.0.0/12',
  bridgeWidth: 16,
  baseImageSize: '8GB',
  endpointCpus: 1,
  endpointMemoryMB: 2048,
  keySize: 2048,
} as const;

/** The specification of a VCH given nothing but its name: what `create --name <name>` asks for. */
export function defaultSpec(name: string = DEFAULTS.name): VchSpec {
  return {
    name,
    debug: 0,
    compute: { cpu: {}, memory: {}, affinityVmGroup: false },
    endpoint: { cpus: DEFAULTS.endpointCpus, memoryMB: DEFAULTS.endpointMemoryMB },
    storage: { volumeStores: [], baseImageSize: DEFAULTS.baseImageSize },
    network: {
      bridge: { ipRange: DEFAULTS.bridgeIpRange, width: DEFAULTS.bridgeWidth },
      public: { portGroup: { name: DEFAULTS.publicNetwork } },
      dns: [],
      container: [],
      asymmetricRoutes: false,
    },
    tls: { mode: 'verify', organization: [], keySize: DEFAULTS.keySize, clientCas: [] },
    registry: { insecure: [], whitelist: [], certificateAuthorities: [] },
    proxy: {},
    container: {},
  };
}

/** The name of a reference given by name; undefined for one given by id. */
export function refName(r: InventoryRef | undefined): string | undefined {
  return r && 'name' in r ? r.name : undefined;
}

/** How a reference reads in a message: its name, or `id <moref>`. */
export function refText(r: InventoryRef): string {
  return 'name' in r ? r.name : `id ${r.id}`;
}

/** A problem with the input that makes the specification, named by the flag (CLI) and the model's JSON path (REST). */
export interface SpecProblem {
  /** what kind of problem it is, for programs (--json, the interactive prompt): never the message text */
  code?: ValidationCode;
  /** the flag, e.g. `--container-network-gateway` */
  flag?: string;
  /** the JSON path in the VCH model, e.g. `network.container[0].gateway.address` */
  path?: string;
  message: string;
  /** values that would work */
  suggestions?: string[];
}

/** Input that cannot make a specification: every problem at once, before anything connects (exit 2). */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly cliErrorType = 'usage';
  readonly flag: string | undefined;
  /** the first problem's code */
  readonly code: ValidationCode | undefined;
  /** for the CLI's --json problems (src/cli/errors.ts toCliError) */
  readonly issues: { code?: ValidationCode; flag?: string; message: string; suggestions?: string[] }[];
  constructor(readonly problems: SpecProblem[]) {
    super(problems.length === 1 ? problemText(problems[0]!) : `${problems.length} problems with the input:\n${problems.map((p) => `  ${problemText(p)}`).join('\n')}`);
    this.flag = problems[0]?.flag;
    this.code = problems[0]?.code;
    this.issues = problems.map((p) => ({
      ...(p.code !== undefined ? { code: p.code } : {}),
      ...(p.flag !== undefined ? { flag: p.flag } : p.path !== undefined ? { flag: p.path } : {}),
      message: p.message, ...(p.suggestions ? { suggestions: p.suggestions } : {}),
    }));
  }
}

/** A problem's line: named by its flag (as create's validation names it) or by its field. */
function problemText(p: SpecProblem): string {
  if (p.flag !== undefined) return p.message.includes(p.flag) ? p.message : `${p.message} (${p.flag})`;
  return p.path !== undefined ? `${p.path}: ${p.message}` : p.message;
}
