// The VCH configuration model: TypeScript shapes of vic 1.5's `config.VirtualContainerHostConfigSpec` and
// everything it embeds (`lib/config/virtual_container_host.go`, `lib/config/executor/*.go`, `pkg/version`,
// `pkg/ip`, govmomi's ManagedObjectReference, Go's url.URL / net.IPNet / mail.Address).
//
// Property names are the Go field names in camelCase; embedded Go structs are nested objects named after the
// embedded type (e.g. `ExecutorConfig` -> `executorConfig`, an embedded `Common` -> `common`). How each field is
// keyed and scoped in extraConfig is declared once, in `descriptors.ts`; this file only has the shapes.
//
// Value conventions:
// - Go strings, bools and integers (int, int64, time.Duration in nanoseconds, named int types such as
//   TrustLevel) are string, boolean and number.
// - Go byte slices ([]byte, net.IP, net.IPMask) are Uint8Array and keep their exact length: VIC writes a
//   16-byte IPv4-in-IPv6 address for some fields and a 4-byte one for others, and both must round-trip.
//   `undefined` is the nil slice (and an empty slice: neither is written).
// - Go slices and maps are arrays and records; empty ones are not written, so a decoded config always has [] / {}.
// - Go pointers are optional properties (`undefined` = nil).
// - time.Time is kept as the string Go's Time.String() produced, so decoding and re-encoding never alter it.

/** A Go byte slice ([]byte, net.IP, net.IPMask). */
export type GoBytes = Uint8Array;

/** time.Time, as Go's `Time.String()` writes it (e.g. `2018-01-01 00:00:00 +0000 UTC`). */
export type GoTime = string;

/** The zero time.Time as Go prints it. */
export const GO_ZERO_TIME: GoTime = '0001-01-01 00:00:00 +0000 UTC';

/** net.IPNet */
export interface IPNet {
  ip?: GoBytes;
  mask?: GoBytes;
}

/**
 * net/url.URL. `User` (a pointer to a struct with only unexported fields) can never be encoded, so it is not
 * modelled. `omitHost` and `rawFragment` exist only in newer Go releases; they are written only when encoding with
 * the Go 1.19 field set (see `UrlFieldSet`).
 */
export interface GoURL {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

/** govmomi types.ManagedObjectReference */
export interface ManagedObjectReference {
  type: string;
  value: string;
}

/** net/mail.Address */
export interface MailAddress {
  name: string;
  address: string;
}

/** pkg/ip.Range */
export interface IPRange {
  firstIP?: GoBytes;
  lastIP?: GoBytes;
}

/** pkg/version.Build */
export interface VersionBuild {
  version: string;
  gitCommit: string;
  buildDate: string;
  buildNumber: string;
  state: string;
  pluginVersion: number;
}

/** executor.Common */
export interface Common {
  executionEnvironment: string;
  id: string;
  name: string;
  notes: string;
}

/** executor.ExecutorConfigCommon (like Common, but the name is hidden from the guest) */
export interface ExecutorConfigCommon {
  executionEnvironment: string;
  id: string;
  name: string;
  notes: string;
}

/** executor.SysLogConfig */
export interface SysLogConfig {
  network: string;
  rAddr: string;
}

/** executor.ExitLog */
export interface ExitLog {
  time: GoTime;
  exitStatus: number;
  message: string;
}

/** executor.Diagnostics */
export interface Diagnostics {
  debugLevel: number;
  resurrectionCount: number;
  exitLogs: ExitLog[];
  sysLogConfig?: SysLogConfig;
}

/** executor.MountSpec */
export interface MountSpec {
  source: GoURL;
  path: string;
  mode: string;
  copyMode: number;
}

/** executor.Cmd */
export interface Cmd {
  path: string;
  args: string[];
  env: string[];
  dir: string;
}

/** executor.Detail */
export interface Detail {
  createTime: number;
  startTime: number;
  stopTime: number;
}

/** executor.SessionConfig */
export interface SessionConfig {
  common: Common;
  cmd: Cmd;
  attach: boolean;
  openStdin: boolean;
  runBlock: boolean;
  active: boolean;
  tty: boolean;
  exitStatus: number;
  started: string;
  restart: boolean;
  stopSignal: string;
  diagnostics: Diagnostics;
  user: string;
  group: string;
  detail: Detail;
}

/** Container network firewall trust levels (executor.TrustLevel). */
export const TrustLevel = {
  Unspecified: 0,
  Published: 1,
  Open: 2,
  Closed: 3,
  Outbound: 4,
  Peers: 5,
} as const;
export type TrustLevelValue = (typeof TrustLevel)[keyof typeof TrustLevel];

/** The anonymous `Assigned` struct of executor.ContainerNetwork (written by the guest). */
export interface ContainerNetworkAssigned {
  gateway: IPNet;
  nameservers: GoBytes[];
}

/** executor.ContainerNetwork */
export interface ContainerNetwork {
  common: Common;
  type: string;
  destinations: IPNet[];
  gateway: IPNet;
  default: boolean;
  nameservers: GoBytes[];
  pools: IPRange[];
  aliases: string[];
  trustLevel: number;
  assigned: ContainerNetworkAssigned;
}

/** executor.NetworkEndpoint */
export interface NetworkEndpoint {
  common: Common;
  static: boolean;
  ip?: IPNet;
  assigned: IPNet;
  network: ContainerNetwork;
  ports: string[];
  internal: boolean;
}

/** executor.ExecutorConfig (the appliance's `init` section) */
export interface ExecutorConfig {
  common: ExecutorConfigCommon;
  createTime: number;
  diagnostics: Diagnostics;
  sessions: Record<string, SessionConfig>;
  execs: Record<string, SessionConfig>;
  mounts: Record<string, MountSpec>;
  networks: Record<string, NetworkEndpoint>;
  key?: GoBytes;
  layerID: string;
  imageID: string;
  annotations: Record<string, string>;
  repoName: string;
  version?: VersionBuild;
  asymmetricRouting: boolean;
  hostname: string;
  domainname: string;
}

/** config.Connection */
export interface Connection {
  target: string;
  username: string;
  /** secret: sealed in extraConfig */
  token: string;
  targetThumbprint: string;
  /** time.Duration, nanoseconds */
  keepalive: number;
}

/** config.Contacts */
export interface Contacts {
  admin: MailAddress[];
  infrastructureAdmin: MailAddress[];
}

/** config.RawCertificate — PEM bytes; the key is secret. */
export interface RawCertificate {
  key?: GoBytes;
  cert?: GoBytes;
}

/** config.Certificate */
export interface Certificate {
  /** Never written: the original's encoder cannot encode a slice of pointers (it logs an error and skips it). */
  userCertificates: RawCertificate[];
  networkCertificates: Record<string, RawCertificate>;
  hostCertificate?: RawCertificate;
  certificateAuthorities?: GoBytes;
  registryCertificateAuthorities?: GoBytes;
  hostCertificates: Record<string, RawCertificate>;
}

/** config.Storage */
export interface Storage {
  imageStores: GoURL[];
  /** bytes */
  storageQuota: number;
  volumeLocations: Record<string, GoURL>;
  /** KB (1000 bytes) */
  scratchSize: number;
}

/** config.Network */
export interface Network {
  bridgeNetwork: string;
  containerNetworks: Record<string, ContainerNetwork>;
  bridgeIPRange?: IPNet;
  /** a net.IPMask */
  bridgeNetworkWidth?: GoBytes;
}

/** config.Container (ContainerVMSize and ContainerStores carry `recurse:"depth=0"` and are never written) */
export interface Container {
  computeResources: ManagedObjectReference[];
  bootstrapImagePath: string;
  containerNameConvention: string;
  useVMGroup: boolean;
  vmGroupName: string;
  containerCount: number;
}

/** config.Registry (RegistryBlacklist carries `recurse:"depth=0"` and is never written) */
export interface Registry {
  registryWhitelist: string[];
  insecureRegistries: string[];
}

/** config.VirtualContainerHostConfigSpec */
export interface VirtualContainerHostConfigSpec {
  executorConfig: ExecutorConfig;
  connection: Connection;
  contacts: Contacts;
  certificate: Certificate;
  storage: Storage;
  network: Network;
  container: Container;
  registry: Registry;
  createBridgeNetwork: boolean;
  grantPermsLevel: string;
  vicMachineCreateOptions: string[];
}

// ---- well-known values (lib/config/virtual_container_host.go) ----

/** ExecutorConfig.ID of a VCH whose VM moref is not known yet. */
export const CREATING_VCH = 'CreatingVCH';
export const PUBLIC_NETWORK_NAME = 'public';
export const CLIENT_NETWORK_NAME = 'client';
export const MANAGEMENT_NETWORK_NAME = 'management';
export const BRIDGE_NETWORK_NAME = 'bridge';
export const PERSONA_SERVICE = 'docker-personality';
export const PORT_LAYER_SERVICE = 'port-layer';
export const VICADMIN_SERVICE = 'vicadmin';
/** GrantPermsLevel value for `--ops-grant-perms`. */
export const ADD_PERMS = 'ADD';
/** The plugin version vic-machine 1.5 writes (feature.MaxPluginVersion - 1). */
export const PLUGIN_VERSION = 10;

/** `VirtualMachine:vm-42` */
export function moRefString(ref: ManagedObjectReference): string {
  return `${ref.type}:${ref.value}`;
}

/** Parses `Type:value` (the first ":" splits); undefined when there is none. */
export function parseMoRefString(s: string): ManagedObjectReference | undefined {
  const i = s.indexOf(':');
  if (i <= 0 || i === s.length - 1) return undefined;
  return { type: s.slice(0, i), value: s.slice(i + 1) };
}

/** TrustLevel.String() */
export function trustLevelString(t: number): string {
  switch (t) {
    case TrustLevel.Unspecified: return '';
    case TrustLevel.Open: return 'open';
    case TrustLevel.Closed: return 'closed';
    case TrustLevel.Published: return 'published';
    case TrustLevel.Outbound: return 'outbound';
    case TrustLevel.Peers: return 'peers';
    default: return 'published';
  }
}

/** executor.ParseTrustLevel */
export function parseTrustLevel(value: string): number {
  switch (value.toLowerCase()) {
    case 'open': return TrustLevel.Open;
    case 'closed': return TrustLevel.Closed;
    case 'published': return TrustLevel.Published;
    case 'outbound': return TrustLevel.Outbound;
    case 'peers': return TrustLevel.Peers;
    case '': return TrustLevel.Unspecified;
    default: throw new Error(`Unrecognized container trust level ${value}.`);
  }
}

/** version.Build.ShortVersion(): `<Version>-<BuildNumber>-<GitCommit>`, or `unknown` when there is no version. */
export function shortVersion(b: VersionBuild | undefined): string {
  return b ? `${b.version}-${b.buildNumber}-${b.gitCommit}` : 'unknown';
}
