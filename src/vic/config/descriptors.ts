// The descriptor table: for every struct of the VCH configuration, its fields in Go declaration order with the
// Go field name, the `vic:"0.1"` tags exactly as written in vic 1.5's source (key / scope / recurse), and the
// value type. `codec.ts` walks these tables both to encode and to decode, so the two can never disagree.
//
// A field without `tag` has no `vic` tag in Go: it is keyed by its Go name and inherits its parent's scope.
// A field with `tag: {}` is tagged `vic:"0.1"` with no scope (hidden + read-only) and no key (Go name).
// `prop` is the TypeScript property name (see model.ts); '' marks Go fields that are never encoded or decoded
// (recurse depth 0) and therefore are not modelled.

import type { FieldTag } from './keys.js';

export type TypeDesc =
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  /** Go int/int64/time.Duration and named int types, decimal */
  | { readonly kind: 'int' }
  /** Go float32/float64, strconv 'E' format */
  | { readonly kind: 'float' }
  /** time.Time, kept as its String() form */
  | { readonly kind: 'time' }
  /** []byte / net.IPMask: standard base64 */
  | { readonly kind: 'bytes' }
  /** net.IP: base64 like []byte, but slices of it are written element by element (`key|i`) */
  | { readonly kind: 'ip' }
  | { readonly kind: 'struct'; readonly struct: StructDesc }
  | { readonly kind: 'ptr'; readonly elem: TypeDesc }
  | { readonly kind: 'slice'; readonly elem: TypeDesc }
  /** map with string keys */
  | { readonly kind: 'map'; readonly elem: TypeDesc }
  /** a Go type that is never encoded (only used with recurse depth=0) */
  | { readonly kind: 'opaque'; readonly goType: string };

export interface FieldDesc {
  /** TypeScript property ('' = not modelled) */
  readonly prop: string;
  /** Go field name (for an embedded struct, its type name) */
  readonly go: string;
  readonly type: TypeDesc;
  /** present when the Go field carries `vic:"0.1"` */
  readonly tag?: FieldTag;
  /** the field exists only in newer Go releases (url.URL.OmitHost / RawFragment) */
  readonly sinceGo?: 'go1.19';
}

export interface StructDesc {
  /** Go type name, for documentation and errors */
  readonly name: string;
  readonly fields: readonly FieldDesc[];
}

const STRING: TypeDesc = { kind: 'string' };
const BOOL: TypeDesc = { kind: 'bool' };
const INT: TypeDesc = { kind: 'int' };
const TIME: TypeDesc = { kind: 'time' };
const BYTES: TypeDesc = { kind: 'bytes' };
const IP: TypeDesc = { kind: 'ip' };
const struct = (s: StructDesc): TypeDesc => ({ kind: 'struct', struct: s });
const ptr = (elem: TypeDesc): TypeDesc => ({ kind: 'ptr', elem });
const slice = (elem: TypeDesc): TypeDesc => ({ kind: 'slice', elem });
const map = (elem: TypeDesc): TypeDesc => ({ kind: 'map', elem });
const opaque = (goType: string): TypeDesc => ({ kind: 'opaque', goType });
const RO = 'read-only';
const RW = 'read-write';

// ---- Go standard library ----

/** net.IPNet */
export const IPNET: StructDesc = {
  name: 'net.IPNet',
  fields: [
    { prop: 'ip', go: 'IP', type: IP },
    { prop: 'mask', go: 'Mask', type: BYTES },
  ],
};

/** net/url.URL. `User *Userinfo` has no exported fields, so it never yields a key and is left out. */
export const URL: StructDesc = {
  name: 'url.URL',
  fields: [
    { prop: 'scheme', go: 'Scheme', type: STRING },
    { prop: 'opaque', go: 'Opaque', type: STRING },
    { prop: 'host', go: 'Host', type: STRING },
    { prop: 'path', go: 'Path', type: STRING },
    { prop: 'rawPath', go: 'RawPath', type: STRING },
    { prop: 'omitHost', go: 'OmitHost', type: BOOL, sinceGo: 'go1.19' },
    { prop: 'forceQuery', go: 'ForceQuery', type: BOOL },
    { prop: 'rawQuery', go: 'RawQuery', type: STRING },
    { prop: 'fragment', go: 'Fragment', type: STRING },
    { prop: 'rawFragment', go: 'RawFragment', type: STRING, sinceGo: 'go1.19' },
  ],
};

/** net/mail.Address */
export const MAIL_ADDRESS: StructDesc = {
  name: 'mail.Address',
  fields: [
    { prop: 'name', go: 'Name', type: STRING },
    { prop: 'address', go: 'Address', type: STRING },
  ],
};

/** govmomi types.ManagedObjectReference */
export const MOREF: StructDesc = {
  name: 'types.ManagedObjectReference',
  fields: [
    { prop: 'type', go: 'Type', type: STRING },
    { prop: 'value', go: 'Value', type: STRING },
  ],
};

// ---- pkg/ip, pkg/version ----

export const IP_RANGE: StructDesc = {
  name: 'ip.Range',
  fields: [
    { prop: 'firstIP', go: 'FirstIP', type: IP, tag: { scope: RO, key: 'first' } },
    { prop: 'lastIP', go: 'LastIP', type: IP, tag: { scope: RO, key: 'last' } },
  ],
};

export const VERSION_BUILD: StructDesc = {
  name: 'version.Build',
  fields: [
    { prop: 'version', go: 'Version', type: STRING },
    { prop: 'gitCommit', go: 'GitCommit', type: STRING },
    { prop: 'buildDate', go: 'BuildDate', type: STRING },
    { prop: 'buildNumber', go: 'BuildNumber', type: STRING },
    { prop: 'state', go: 'State', type: STRING },
    { prop: 'pluginVersion', go: 'PluginVersion', type: INT },
  ],
};

// ---- lib/config/executor ----

export const COMMON: StructDesc = {
  name: 'executor.Common',
  fields: [
    { prop: 'executionEnvironment', go: 'ExecutionEnvironment', type: STRING },
    { prop: 'id', go: 'ID', type: STRING, tag: { scope: RO, key: 'id' } },
    { prop: 'name', go: 'Name', type: STRING, tag: { scope: RO, key: 'name' } },
    { prop: 'notes', go: 'Notes', type: STRING, tag: { scope: 'hidden', key: 'notes' } },
  ],
};

export const EXECUTOR_CONFIG_COMMON: StructDesc = {
  name: 'executor.ExecutorConfigCommon',
  fields: [
    { prop: 'executionEnvironment', go: 'ExecutionEnvironment', type: STRING },
    { prop: 'id', go: 'ID', type: STRING, tag: { scope: RO, key: 'id' } },
    { prop: 'name', go: 'Name', type: STRING, tag: { scope: 'hidden', key: 'name' } },
    { prop: 'notes', go: 'Notes', type: STRING, tag: { scope: 'hidden', key: 'notes' } },
  ],
};

export const SYSLOG_CONFIG: StructDesc = {
  name: 'executor.SysLogConfig',
  fields: [
    { prop: 'network', go: 'Network', type: STRING },
    { prop: 'rAddr', go: 'RAddr', type: STRING },
  ],
};

export const EXIT_LOG: StructDesc = {
  name: 'executor.ExitLog',
  fields: [
    { prop: 'time', go: 'Time', type: TIME },
    { prop: 'exitStatus', go: 'ExitStatus', type: INT },
    { prop: 'message', go: 'Message', type: STRING },
  ],
};

export const DIAGNOSTICS: StructDesc = {
  name: 'executor.Diagnostics',
  fields: [
    { prop: 'debugLevel', go: 'DebugLevel', type: INT, tag: { scope: RO, key: 'debug' } },
    { prop: 'resurrectionCount', go: 'ResurrectionCount', type: INT, tag: { scope: RW, key: 'resurrections' } },
    { prop: 'exitLogs', go: 'ExitLogs', type: slice(struct(EXIT_LOG)), tag: { scope: RW, key: 'exitlogs' } },
    { prop: 'sysLogConfig', go: 'SysLogConfig', type: ptr(struct(SYSLOG_CONFIG)), tag: { scope: RO, key: 'syslog' } },
  ],
};

export const MOUNT_SPEC: StructDesc = {
  name: 'executor.MountSpec',
  fields: [
    { prop: 'source', go: 'Source', type: struct(URL), tag: { scope: RO, key: 'source' } },
    { prop: 'path', go: 'Path', type: STRING, tag: { scope: RO, key: 'dest' } },
    { prop: 'mode', go: 'Mode', type: STRING, tag: { scope: RO, key: 'mode' } },
    { prop: 'copyMode', go: 'CopyMode', type: INT, tag: { scope: RO, key: 'copymode' } },
  ],
};

export const CMD: StructDesc = {
  name: 'executor.Cmd',
  fields: [
    { prop: 'path', go: 'Path', type: STRING, tag: { scope: RO, key: 'Path' } },
    { prop: 'args', go: 'Args', type: slice(STRING), tag: { scope: RO, key: 'Args' } },
    { prop: 'env', go: 'Env', type: slice(STRING), tag: { scope: RO, key: 'Env' } },
    { prop: 'dir', go: 'Dir', type: STRING, tag: { scope: RO, key: 'Dir' } },
  ],
};

export const DETAIL: StructDesc = {
  name: 'executor.Detail',
  fields: [
    { prop: 'createTime', go: 'CreateTime', type: INT, tag: { scope: RW, key: 'createtime' } },
    { prop: 'startTime', go: 'StartTime', type: INT, tag: { scope: RW, key: 'starttime' } },
    { prop: 'stopTime', go: 'StopTime', type: INT, tag: { scope: RW, key: 'stoptime' } },
  ],
};

export const SESSION_CONFIG: StructDesc = {
  name: 'executor.SessionConfig',
  fields: [
    { prop: 'common', go: 'Common', type: struct(COMMON), tag: { scope: RO, key: 'common' } },
    { prop: 'cmd', go: 'Cmd', type: struct(CMD), tag: { scope: RO, key: 'cmd' } },
    { prop: 'attach', go: 'Attach', type: BOOL, tag: { scope: RO, key: 'attach' } },
    { prop: 'openStdin', go: 'OpenStdin', type: BOOL, tag: { scope: RO, key: 'openstdin' } },
    { prop: 'runBlock', go: 'RunBlock', type: BOOL, tag: { scope: RW, key: 'runblock' } },
    { prop: 'active', go: 'Active', type: BOOL, tag: { scope: RO, key: 'active' } },
    { prop: 'tty', go: 'Tty', type: BOOL, tag: { scope: RO, key: 'tty' } },
    { prop: 'exitStatus', go: 'ExitStatus', type: INT, tag: { scope: RW, key: 'status' } },
    { prop: 'started', go: 'Started', type: STRING, tag: { scope: RW, key: 'started' } },
    { prop: 'restart', go: 'Restart', type: BOOL, tag: { scope: RO, key: 'restart' } },
    { prop: 'stopSignal', go: 'StopSignal', type: STRING, tag: { scope: RO, key: 'stopSignal' } },
    { prop: 'diagnostics', go: 'Diagnostics', type: struct(DIAGNOSTICS), tag: { scope: RO, key: 'diagnostics' } },
    { prop: 'user', go: 'User', type: STRING, tag: { scope: RO, key: 'User' } },
    { prop: 'group', go: 'Group', type: STRING, tag: { scope: RO, key: 'Group' } },
    { prop: 'detail', go: 'Detail', type: struct(DETAIL), tag: { scope: RW, key: 'detail' } },
  ],
};

export const CONTAINER_NETWORK_ASSIGNED: StructDesc = {
  name: 'executor.ContainerNetwork.Assigned',
  fields: [
    { prop: 'gateway', go: 'Gateway', type: struct(IPNET), tag: { scope: RW, key: 'gateway' } },
    { prop: 'nameservers', go: 'Nameservers', type: slice(IP), tag: { scope: RW, key: 'dns' } },
  ],
};

export const CONTAINER_NETWORK: StructDesc = {
  name: 'executor.ContainerNetwork',
  fields: [
    { prop: 'common', go: 'Common', type: struct(COMMON) },
    { prop: 'type', go: 'Type', type: STRING, tag: { scope: RW, key: 'type' } },
    { prop: 'destinations', go: 'Destinations', type: slice(struct(IPNET)), tag: { scope: RO, key: 'destinations' } },
    { prop: 'gateway', go: 'Gateway', type: struct(IPNET), tag: { scope: RO, key: 'gateway' } },
    { prop: 'default', go: 'Default', type: BOOL, tag: { scope: RO, key: 'default' } },
    { prop: 'nameservers', go: 'Nameservers', type: slice(IP), tag: { scope: RO, key: 'dns' } },
    { prop: 'pools', go: 'Pools', type: slice(struct(IP_RANGE)), tag: { scope: RO, key: 'pools' } },
    { prop: 'aliases', go: 'Aliases', type: slice(STRING), tag: { scope: 'hidden', key: 'aliases' } },
    { prop: 'trustLevel', go: 'TrustLevel', type: INT },
    { prop: 'assigned', go: 'Assigned', type: struct(CONTAINER_NETWORK_ASSIGNED), tag: { scope: RW, key: 'assigned' } },
  ],
};

export const NETWORK_ENDPOINT: StructDesc = {
  name: 'executor.NetworkEndpoint',
  fields: [
    { prop: 'common', go: 'Common', type: struct(COMMON) },
    { prop: 'static', go: 'Static', type: BOOL, tag: { scope: RO, key: 'static' } },
    { prop: 'ip', go: 'IP', type: ptr(struct(IPNET)), tag: { scope: RO, key: 'ip' } },
    { prop: 'assigned', go: 'Assigned', type: struct(IPNET), tag: { scope: RW, key: 'assigned' } },
    { prop: 'network', go: 'Network', type: struct(CONTAINER_NETWORK), tag: { scope: RO, key: 'network' } },
    { prop: 'ports', go: 'Ports', type: slice(STRING), tag: { scope: RO, key: 'ports' } },
    { prop: 'internal', go: 'Internal', type: BOOL, tag: { scope: RO, key: 'internal' } },
  ],
};

export const EXECUTOR_CONFIG: StructDesc = {
  name: 'executor.ExecutorConfig',
  fields: [
    { prop: 'common', go: 'ExecutorConfigCommon', type: struct(EXECUTOR_CONFIG_COMMON), tag: { scope: RO, key: 'common' } },
    { prop: 'createTime', go: 'CreateTime', type: INT, tag: { scope: RW, key: 'createtime' } },
    { prop: 'diagnostics', go: 'Diagnostics', type: struct(DIAGNOSTICS), tag: { scope: RO, key: 'diagnostics' } },
    { prop: 'sessions', go: 'Sessions', type: map(ptr(struct(SESSION_CONFIG))), tag: { scope: RO, key: 'sessions' } },
    { prop: 'execs', go: 'Execs', type: map(ptr(struct(SESSION_CONFIG))), tag: { scope: 'read-only,non-persistent', key: 'execs' } },
    { prop: 'mounts', go: 'Mounts', type: map(struct(MOUNT_SPEC)), tag: { scope: RO, key: 'mounts' } },
    { prop: 'networks', go: 'Networks', type: map(ptr(struct(NETWORK_ENDPOINT))), tag: { scope: RO, key: 'networks' } },
    { prop: 'key', go: 'Key', type: BYTES, tag: { scope: RO, key: 'key' } },
    { prop: 'layerID', go: 'LayerID', type: STRING, tag: { scope: RO, key: 'layerid' } },
    { prop: 'imageID', go: 'ImageID', type: STRING, tag: { scope: RO, key: 'imageid' } },
    { prop: 'annotations', go: 'Annotations', type: map(STRING), tag: { scope: 'hidden', key: 'annotations' } },
    { prop: 'repoName', go: 'RepoName', type: STRING, tag: { scope: RO, key: 'repo' } },
    { prop: 'version', go: 'Version', type: ptr(struct(VERSION_BUILD)), tag: { scope: RO, key: 'version' } },
    { prop: 'asymmetricRouting', go: 'AsymmetricRouting', type: BOOL, tag: { scope: RO, key: 'asymrouting' } },
    { prop: 'hostname', go: 'Hostname', type: STRING, tag: { scope: RO, key: 'hostname' } },
    { prop: 'domainname', go: 'Domainname', type: STRING, tag: { scope: RO, key: 'domainname' } },
  ],
};

// ---- lib/config ----

export const CONNECTION: StructDesc = {
  name: 'config.Connection',
  fields: [
    { prop: 'target', go: 'Target', type: STRING, tag: { scope: RO, key: 'target' } },
    { prop: 'username', go: 'Username', type: STRING, tag: { scope: RO, key: 'username' } },
    { prop: 'token', go: 'Token', type: STRING, tag: { scope: 'secret', key: 'token' } },
    { prop: 'targetThumbprint', go: 'TargetThumbprint', type: STRING, tag: { scope: RO, key: 'target_thumbprint' } },
    { prop: 'keepalive', go: 'Keepalive', type: INT, tag: { scope: RO, key: 'keepalive' } },
  ],
};

export const CONTACTS: StructDesc = {
  name: 'config.Contacts',
  fields: [
    { prop: 'admin', go: 'Admin', type: slice(struct(MAIL_ADDRESS)) },
    { prop: 'infrastructureAdmin', go: 'InfrastructureAdmin', type: slice(struct(MAIL_ADDRESS)) },
  ],
};

export const RAW_CERTIFICATE: StructDesc = {
  name: 'config.RawCertificate',
  fields: [
    { prop: 'key', go: 'Key', type: BYTES, tag: { scope: 'secret' } },
    { prop: 'cert', go: 'Cert', type: BYTES },
  ],
};

export const CERTIFICATE: StructDesc = {
  name: 'config.Certificate',
  fields: [
    { prop: 'userCertificates', go: 'UserCertificates', type: slice(ptr(struct(RAW_CERTIFICATE))) },
    { prop: 'networkCertificates', go: 'NetworkCertificates', type: map(ptr(struct(RAW_CERTIFICATE))) },
    { prop: 'hostCertificate', go: 'HostCertificate', type: ptr(struct(RAW_CERTIFICATE)), tag: { scope: RO } },
    { prop: 'certificateAuthorities', go: 'CertificateAuthorities', type: BYTES, tag: { scope: RO } },
    { prop: 'registryCertificateAuthorities', go: 'RegistryCertificateAuthorities', type: BYTES, tag: { scope: RO } },
    { prop: 'hostCertificates', go: 'HostCertificates', type: map(ptr(struct(RAW_CERTIFICATE))) },
  ],
};

export const STORAGE: StructDesc = {
  name: 'config.Storage',
  fields: [
    { prop: 'imageStores', go: 'ImageStores', type: slice(struct(URL)), tag: { scope: RO, key: 'image_stores' } },
    { prop: 'storageQuota', go: 'StorageQuota', type: INT, tag: { scope: RO, key: 'storage_quota' } },
    { prop: 'volumeLocations', go: 'VolumeLocations', type: map(ptr(struct(URL))), tag: { scope: RO } },
    { prop: 'scratchSize', go: 'ScratchSize', type: INT, tag: { scope: RO, key: 'scratch_size' } },
  ],
};

export const NETWORK: StructDesc = {
  name: 'config.Network',
  fields: [
    { prop: 'bridgeNetwork', go: 'BridgeNetwork', type: STRING, tag: { scope: RO, key: 'bridge_network' } },
    { prop: 'containerNetworks', go: 'ContainerNetworks', type: map(ptr(struct(CONTAINER_NETWORK))), tag: { scope: RO, key: 'container_networks' } },
    { prop: 'bridgeIPRange', go: 'BridgeIPRange', type: ptr(struct(IPNET)), tag: { scope: RO, key: 'bridge-ip-range' } },
    { prop: 'bridgeNetworkWidth', go: 'BridgeNetworkWidth', type: ptr(BYTES), tag: { scope: RO, key: 'bridge-net-width' } },
  ],
};

export const CONTAINER: StructDesc = {
  name: 'config.Container',
  fields: [
    { prop: '', go: 'ContainerVMSize', type: opaque('config.Resources'), tag: { scope: RO, recurse: 'depth=0' } },
    { prop: 'computeResources', go: 'ComputeResources', type: slice(struct(MOREF)), tag: { scope: RO } },
    { prop: 'bootstrapImagePath', go: 'BootstrapImagePath', type: STRING, tag: { scope: RO, key: 'bootstrap_image_path' } },
    { prop: 'containerNameConvention', go: 'ContainerNameConvention', type: STRING },
    { prop: 'useVMGroup', go: 'UseVMGroup', type: BOOL },
    { prop: 'vmGroupName', go: 'VMGroupName', type: STRING },
    { prop: '', go: 'ContainerStores', type: opaque('[]url.URL'), tag: { scope: RO, recurse: 'depth=0' } },
    { prop: 'containerCount', go: 'ContainerCount', type: INT, tag: { scope: RO, key: 'container_count' } },
  ],
};

export const REGISTRY: StructDesc = {
  name: 'config.Registry',
  fields: [
    { prop: 'registryWhitelist', go: 'RegistryWhitelist', type: slice(STRING), tag: { scope: RO, key: 'whitelist_registries' } },
    { prop: '', go: 'RegistryBlacklist', type: opaque('[]string'), tag: { scope: RO, recurse: 'depth=0' } },
    { prop: 'insecureRegistries', go: 'InsecureRegistries', type: slice(STRING), tag: { scope: RO, key: 'insecure_registries' } },
  ],
};

export const VIRTUAL_CONTAINER_HOST_CONFIG_SPEC: StructDesc = {
  name: 'config.VirtualContainerHostConfigSpec',
  fields: [
    { prop: 'executorConfig', go: 'ExecutorConfig', type: struct(EXECUTOR_CONFIG), tag: { scope: RO, key: 'init' } },
    { prop: 'connection', go: 'Connection', type: struct(CONNECTION), tag: { scope: RO, key: 'connect' } },
    { prop: 'contacts', go: 'Contacts', type: struct(CONTACTS), tag: { scope: RO, key: 'contact' } },
    { prop: 'certificate', go: 'Certificate', type: struct(CERTIFICATE), tag: { scope: RO, key: 'cert' } },
    { prop: 'storage', go: 'Storage', type: struct(STORAGE), tag: { scope: RO, key: 'storage' } },
    { prop: 'network', go: 'Network', type: struct(NETWORK), tag: { scope: RO, key: 'network' } },
    { prop: 'container', go: 'Container', type: struct(CONTAINER), tag: { scope: RO, key: 'container' } },
    { prop: 'registry', go: 'Registry', type: struct(REGISTRY), tag: { scope: RO, key: 'registry' } },
    { prop: 'createBridgeNetwork', go: 'CreateBridgeNetwork', type: BOOL, tag: { scope: RO, key: 'create_bridge_network' } },
    { prop: 'grantPermsLevel', go: 'GrantPermsLevel', type: STRING, tag: { scope: RO, key: 'grant_permissions' } },
    { prop: 'vicMachineCreateOptions', go: 'VicMachineCreateOptions', type: slice(STRING), tag: { scope: RO, key: 'vic_machine_create_options' } },
  ],
};

/** Every struct descriptor, for introspection and consistency tests. */
export const ALL_STRUCTS: readonly StructDesc[] = [
  IPNET, URL, MAIL_ADDRESS, MOREF, IP_RANGE, VERSION_BUILD, COMMON, EXECUTOR_CONFIG_COMMON, SYSLOG_CONFIG, EXIT_LOG,
  DIAGNOSTICS, MOUNT_SPEC, CMD, DETAIL, SESSION_CONFIG, CONTAINER_NETWORK_ASSIGNED, CONTAINER_NETWORK,
  NETWORK_ENDPOINT, EXECUTOR_CONFIG, CONNECTION, CONTACTS, RAW_CERTIFICATE, CERTIFICATE, STORAGE, NETWORK,
  CONTAINER, REGISTRY, VIRTUAL_CONTAINER_HOST_CONFIG_SPEC,
];
