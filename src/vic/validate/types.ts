// Types of the create-time validation: what the command line hands in (already split into typed values), the
// problems found (every one of them, each naming the flag to change and what exists instead), and the resolved
// plan that the create step executes.
import type { MoRef } from '../../vim/types.js';

import type { DatastoreLocation } from '../spec/values/datastore-location.js';
import type { VolumeStore } from '../spec/values/volume-store.js';
import type { Ipv4, Ipv4Cidr } from '../spec/values/ipv4.js';
import type { Ipv4Range } from '../spec/values/ip-range.js';
import type { Gateway } from '../spec/values/gateway.js';

export type { DatastoreLocation, VolumeStore, Ipv4, Ipv4Cidr, Ipv4Range, Gateway };

export type ContainerNetworkFirewall = 'closed' | 'outbound' | 'peers' | 'published' | 'open';

export interface ContainerNetworkInput {
  /** the vSphere port group (name or path) */
  vsphereName: string;
  /** the name containers use; the vSphere name when none was given */
  alias: string;
  /** `gateway/prefix`, e.g. 172.16.0.1/16 */
  gateway?: string;
  /** CIDR or first-last, e.g. 172.16.0.0/24 or 172.16.0.10-172.16.0.20 */
  ipRange?: string | string[];
  dns?: string | string[];
  /** closed, outbound, peers, published or open (any case) */
  firewall?: string;
}

/**
 * A static address for an appliance network as given: `--<role>-network-ip` (IP/prefix) and `--<role>-network-gateway`
 * (checked by preflight.ts's rules through the value parsers; create writes the parsed values).
 */
export interface StaticIpInput {
  ip: string;
  gateway?: string;
}

/** The resource pool settings given with --cpu, --memory and friends (only whether they were given matters here). */
export interface VchPoolSettingsInput {
  cpuLimit?: number;
  cpuReservation?: number;
  cpuShares?: string | number;
  memoryLimit?: number;
  memoryReservation?: number;
  memoryShares?: string | number;
}

export interface ValidateCreateInput {
  /** the datacenter path from --target's path ("" or undefined when --target has no path) */
  datacenter?: string;
  /** --compute-resource: cluster, host, resource pool or vApp; name, path relative to the host folder, or absolute */
  computeResource?: string;
  /** --name */
  name: string;
  /** --image-store; no datastore named → the only datastore */
  imageStore?: DatastoreLocation;
  volumeStores?: VolumeStore[];
  /** --bridge-network; defaults to the VCH name */
  bridgeNetwork?: string;
  /** --public-network; defaults to "VM Network" */
  publicNetwork?: string;
  /** --client-network; defaults to the public network */
  clientNetwork?: string;
  /** --management-network; defaults to the client network */
  managementNetwork?: string;
  containerNetworks?: ContainerNetworkInput[];
  /** static addresses per appliance network (DHCP when absent) */
  staticIp?: { public?: StaticIpInput; client?: StaticIpInput; management?: StaticIpInput };
  /** --storage-quota in GB (unset or 0 = unlimited) */
  storageQuotaGB?: number;
  /** --affinity-vm-group */
  affinityVmGroup?: boolean;
  /** the VCH resource pool settings the user gave (ignored, with a warning, on a cluster without DRS) */
  vchPool?: VchPoolSettingsInput;
  /** how the user wrote --target (no credentials), for the commands the issues suggest */
  target?: string;
  /** --thumbprint (formatted), for the commands the issues suggest */
  thumbprint?: string;
  /**
   * Inventory objects given by moref id rather than by name (the REST API's `{"id": "dvportgroup-13"}`): each is
   * looked up in the inventory validation reads anyway, and its field then holds the object's inventory path.
   */
  byId?: IdReference[];
}

/** A field of the input given by moref id: compute resource, a port group, or a container network (by its alias). */
export interface IdReference {
  field: 'computeResource' | 'bridgeNetwork' | 'publicNetwork' | 'clientNetwork' | 'managementNetwork' | 'containerNetwork';
  /** the container network's alias (field containerNetwork) */
  alias?: string;
  id: string;
}

/**
 * What kind of problem a validation issue is, for programs (the interactive prompt, --json): with the flag it names,
 * it says what to do without reading the message, whose words may change.
 */
export type ValidationCode =
  // the VCH's name
  | 'name-invalid' | 'name-in-use'
  // --target's datacenter and the target itself
  | 'datacenter-required' | 'datacenter-not-found' | 'datacenter-ambiguous' | 'target-path-invalid' | 'target-managed-by-vcenter'
  | 'license-insufficient'
  // --compute-resource
  | 'compute-resource-required' | 'compute-resource-not-found' | 'compute-resource-ambiguous' | 'compute-resource-invalid'
  | 'compute-resource-no-hosts'
  // --image-store, --volume-store
  | 'datastore-required' | 'datastore-not-found' | 'datastore-ambiguous' | 'datastore-invalid' | 'datastore-inaccessible'
  | 'volume-store-invalid' | 'storage-quota-invalid' | 'storage-quota-exceeds-free-space'
  // networks: port groups
  | 'network-not-found' | 'network-ambiguous' | 'network-wrong-type' | 'network-shared' | 'network-hosts-missing'
  | 'container-network-invalid'
  // networks: addresses
  | 'ip-invalid' | 'gateway-invalid' | 'gateway-required' | 'gateway-without-ip' | 'gateway-unreachable' | 'static-ip-on-shared-port-group'
  | 'ip-range-invalid' | 'dns-server-invalid' | 'firewall-level-invalid' | 'bridge-range-invalid' | 'bridge-width-invalid'
  // hosts
  | 'host-firewall-blocked' | 'affinity-group-unsupported' | 'affinity-group-exists'
  // registries, proxies, syslog, sizes
  | 'registry-invalid' | 'proxy-invalid' | 'syslog-address-invalid' | 'size-invalid'
  // local files and credentials
  | 'iso-invalid' | 'iso-version-mismatch' | 'certificate-invalid' | 'ops-user-invalid' | 'ops-user-is-admin'
  // configure: what the VCH has must be given again, unchanged (container networks and volume stores are added only)
  | 'existing-value-missing' | 'existing-value-changed' | 'vch-pool-not-found'
  // finding a VCH, debug
  | 'vch-ambiguous' | 'authorized-key-invalid';

export interface ValidationIssue {
  /** what kind of problem it is (with `flag`, what a program decides on; never the message text) */
  code: ValidationCode;
  /** the flag to change, e.g. "--compute-resource" */
  flag: string;
  message: string;
  /** values that would work for `flag` (names or paths relative to the datacenter's folder) */
  suggestions?: string[];
  /** a command that fixes the problem, e.g. `vic-machine update firewall ... --allow` */
  fix?: string;
}

export type NetworkType = 'Network' | 'DistributedVirtualPortgroup' | 'OpaqueNetwork';

export interface ResolvedNetwork {
  ref: MoRef;
  name: string;
  /** inventory path */
  path: string;
  type: NetworkType;
  /** distributed port groups: the port group key and its switch's uuid (for the NIC backing) */
  dvs?: { portgroupKey: string; switchUuid: string };
  /** opaque (NSX-T) networks */
  opaque?: { id: string; type: string };
}

export interface ResolvedContainerNetwork {
  alias: string;
  network: ResolvedNetwork;
  gateway?: Ipv4Cidr;
  ipRanges: Ipv4Range[];
  dns: Ipv4[];
  firewall?: ContainerNetworkFirewall;
}

export interface ResolvedDatastore {
  ref: MoRef;
  name: string;
  /** inventory path */
  path: string;
  /** summary.url */
  url?: string;
  type?: string;
  capacity?: number;
  freeSpace?: number;
}

export interface ResolvedHost {
  ref: MoRef;
  name: string;
  path: string;
  networkSystem?: MoRef;
  firewallSystem?: MoRef;
}

export type ResolvedVolumeStore =
  | { label: string; kind: 'datastore'; datastore: ResolvedDatastore; path: string; /** ds://name/path */ url: string }
  | { label: string; kind: 'nfs'; url: string; host: string; path: string; options: Record<string, string> };

export interface CreatePlan {
  isVC: boolean;
  name: string;
  datacenter: { ref: MoRef; name: string; path: string; vmFolder: MoRef; hostFolder: MoRef; networkFolder: MoRef; datastoreFolder: MoRef };
  compute: {
    /** the cluster or standalone host's compute resource */
    ref: MoRef;
    type: 'ClusterComputeResource' | 'ComputeResource';
    name: string;
    path: string;
    /** its root resource pool ("Resources") */
    rootPool: MoRef;
    /** what --compute-resource resolved to: the root pool, a resource pool or a vApp */
    pool: { ref: MoRef; path: string; type: 'ResourcePool' | 'VirtualApp' };
    /** clusters only: configurationEx.drsConfig.enabled (undefined for a standalone host) */
    drsEnabled: boolean | undefined;
  };
  /** where the VCH's resource pool goes */
  vchPool: {
    /** the pool to create it under, or (useParent) to use as is */
    parent: MoRef;
    /** inventory path of the VCH's pool: <parent>/<name>, or the parent itself when useParent */
    path: string;
    /** a cluster without DRS: the VCH lives directly in the cluster's root pool */
    useParent: boolean;
    /** an empty pool of that name already exists and is reused */
    existing?: MoRef;
  };
  /** hosts that can run the appliance: connected, not in maintenance, seeing all its datastores and networks */
  hosts: ResolvedHost[];
  /** the host to create the VM on: ESXi, or a cluster without DRS (vSphere places it otherwise) */
  placementHost?: MoRef;
  imageStore: { datastore: ResolvedDatastore; /** folder on the datastore, "" = the VM's folder */ path: string; /** ds://name[/path] */ url: string };
  volumeStores: ResolvedVolumeStore[];
  networks: {
    public: ResolvedNetwork;
    client: ResolvedNetwork;
    management: ResolvedNetwork;
    /** undefined when it is created (createBridge) */
    bridge?: ResolvedNetwork;
    container: ResolvedContainerNetwork[];
  };
  /** ESXi: the bridge port group does not exist; create a vSwitch and port group of this name */
  createBridge?: { name: string; host: MoRef; hostNetworkSystem: MoRef };
  /** vCenter: config.vpxd.SerialPort.PersistNetworkBacking is not "true" and must be set before the VM is created */
  setPersistNetworkBacking: boolean;
  /** resource pool flags that do not apply (cluster without DRS) */
  ignoredPoolFlags: string[];
  warnings: string[];
  /** informational lines, e.g. "Using default datastore: LocalDS_0" */
  notes: string[];
}

export type ValidationResult =
  | { ok: true; plan: CreatePlan }
  | { ok: false; issues: ValidationIssue[]; warnings: string[]; notes: string[] };
