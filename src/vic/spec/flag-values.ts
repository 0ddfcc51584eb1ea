// The flag groups create and configure share, as the domain takes their values: one property per flag, named by
// camel-casing the long flag name. The CLI's option types (src/cli/options.ts) are built on these (the domain cannot
// import the CLI), and the flag definitions type-check them there; create's whole set is ./flags.ts CreateFlagValues,
// configure's ../configure/request.ts ConfigureFlagValues. Optional values are absent when the flag is not given.
import type { Shares } from './values/shares.js';

export type { ContainerNetworkFlagValues } from './values/container-network.js';

/** --ops-user, --ops-password, --ops-grant-perms (their rules together: ./flags.ts opsProblems) */
export interface OpsFlagValues {
  opsUser?: string;
  opsPassword?: string;
  opsGrantPerms?: boolean;
}

/** --memory, --memory-reservation (MB), --memory-shares; --cpu, --cpu-reservation (MHz), --cpu-shares; the limits */
export interface ResourceFlagValues {
  memory?: number;
  memoryReservation?: number;
  memoryShares?: Shares;
  cpu?: number;
  cpuReservation?: number;
  cpuShares?: Shares;
  /** `--storage-quota` in GB */
  storageQuota?: number;
  /** `--containers` */
  containers?: number;
}

/** The TLS flags of the VCH's certificates (where they are written locally, --tls-cert-path, is the front end's) */
export interface TlsFlagValues {
  tlsServerKey: string;
  tlsServerCert: string;
  tlsCname: string;
  noTlsverify: boolean;
  organization: readonly string[];
  /** default 2048 */
  certificateKeySize: number;
  tlsCa: readonly string[];
}

export interface ProxyFlagValues {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
}

export interface DebugFlagValue {
  /** `--debug/-v N`: absent = 0 */
  debug?: number;
}
