// vic-machine 1.5's flag groups (reference §1), each defined once and composed per command in ./commands.ts.
// Names, aliases, types, defaults, help texts, environment variables and hidden-ness are the original's.
import type { FlagDef, FlagType } from './types.js';

/** Identity with literal inference, so that option types can be derived from the definitions. */
export function flag<const N extends string, const T extends FlagType>(d: FlagDef<N, T>): FlagDef<N, T> {
  return d;
}

// --- target (cmd/vic-machine/common/target.go): every command except version
export const TARGET_FLAGS = [
  flag({
    name: 'target', aliases: ['t'], type: 'url', env: 'VIC_MACHINE_TARGET',
    usage: 'REQUIRED. ESXi or vCenter connection URL, specifying a datacenter if multiple exist e.g. root:password@VC-FQDN/datacenter',
  }),
  flag({ name: 'user', aliases: ['u'], type: 'string', env: 'VIC_MACHINE_USER', usage: 'ESX or vCenter user' }),
  flag({ name: 'password', aliases: ['p'], type: 'opt-string', env: 'VIC_MACHINE_PASSWORD', secret: true, usage: 'ESX or vCenter password' }),
  flag({ name: 'thumbprint', type: 'string', env: 'VIC_MACHINE_THUMBPRINT', usage: 'ESX or vCenter host certificate thumbprint' }),
] as const;

// --- compute (common/compute.go)
export const NAME_FLAG = flag({
  name: 'name', aliases: ['n'], type: 'string', default: 'virtual-container-host', usage: 'The name of the Virtual Container Host',
});
export const COMPUTE_RESOURCE_FLAG = flag({
  name: 'compute-resource', aliases: ['r'], type: 'string', usage: 'Compute resource path, e.g. myCluster',
});
export const COMPUTE_FLAGS = [NAME_FLAG, COMPUTE_RESOURCE_FLAG] as const;

// --- id (common/id.go)
export const ID_FLAG = flag({ name: 'id', type: 'string', usage: 'The ID of the Virtual Container Host, e.g. vm-220' });

// --- debug (common/debug.go): hidden everywhere except upgrade
export function debugFlag(hidden = true) {
  return flag({
    name: 'debug', aliases: ['v'], type: 'opt-int', min: 0, hidden,
    usage: '[0(default),1...n], 0 is disabled, 1 is enabled, >= 1 may alter behaviour',
  });
}

export function timeoutFlag(what: string) {
  return flag({ name: 'timeout', type: 'duration', default: '3m0s', min: 1, usage: `Time to wait for ${what}` });
}

// Not in vic-machine 1.5: validate everything, print the plan, create nothing (never recorded in the VCH).
export const DRY_RUN_FLAG = flag({
  name: 'dry-run', type: 'bool', usage: 'Validate everything and print what create would make, without creating anything',
});

export function forceFlag(usage: string) {
  return flag({ name: 'force', aliases: ['f'], type: 'bool', usage });
}

// --- extended help (common/help.go): create and configure
export const EXTENDED_HELP_FLAG = flag({
  name: 'extended-help', aliases: ['x'], type: 'bool', usage: 'Show all options - this must be specified instead of --help',
});

// --- a YAML file of flags (not in 1.5): create and configure; src/cli/config-file.ts reads it
export const CONFIG_FILE_FLAG = flag({
  name: 'config', type: 'opt-string',
  usage: 'YAML file of flags: long flag names as keys, lists for repeatable flags (as inspect config --format yaml writes it); the command line and $VIC_MACHINE_* variables override it',
});

// --- operations user (common/ops_credentials.go)
export const OPS_FLAGS = [
  flag({
    name: 'ops-user', type: 'opt-string', hidden: true,
    usage: 'The user with which the VCH operates after creation. Defaults to the credential supplied with target',
  }),
  flag({
    name: 'ops-password', type: 'opt-string', hidden: true, secret: true,
    usage: 'Password or token for the operations user. Defaults to the credential supplied with target',
  }),
  flag({
    name: 'ops-grant-perms', type: 'opt-bool', hidden: true,
    usage: 'Create roles and grant required permissions to the specified ops-user',
  }),
] as const;

// --- image store (create only)
export const IMAGE_FLAGS = [
  flag({ name: 'image-store', aliases: ['i'], type: 'string', usage: 'Image datastore path in format "datastore/path"' }),
  flag({
    name: 'base-image-size', type: 'string', default: '8GB', hidden: true,
    usage: 'Specify the size of the base image from which all other images are created e.g. 8GB/8000MB',
  }),
] as const;

const AFFINITY_USAGE = 'Use a DRS VM Group to allow VM-Host affinity rules to be defined for the VCH';
/** create: a plain bool */
export const AFFINITY_FLAG = flag({ name: 'affinity-vm-group', type: 'bool', hidden: true, usage: AFFINITY_USAGE });
/** configure: unset = no change, true = create the group, false = delete it */
export const AFFINITY_FLAG_TRISTATE = flag({ name: 'affinity-vm-group', type: 'opt-bool', hidden: true, usage: AFFINITY_USAGE });

export const CONTAINER_NAME_CONVENTION_FLAG = flag({
  name: 'container-name-convention', aliases: ['cnc'], type: 'string', hidden: true,
  usage: "Provide a naming convention. Allows a token of '{name}' or '{id}', that will be replaced.",
});

export const VOLUME_STORE_FLAG = flag({
  name: 'volume-store', aliases: ['vs'], type: 'strings',
  usage: 'Specify a list of location and label for volume store, nfs stores can have mount options specified as query parameters in the url target.\n'
    + 'Examples for a vsphere backed volume store are:  "datastore/path:label" or "datastore:label" or "ds://my-datastore-name:store-label"\n'
    + 'Examples for nfs back volume stores are: "nfs://127.0.0.1/path/to/share/point?uid=1234&gid=5678&proto=tcp:my-volume-store-label" or "nfs://my-store/path/to/share/point:my-label"',
});

export const DNS_SERVER_FLAG = flag({
  name: 'dns-server', type: 'strings', hidden: true,
  usage: 'DNS server for the client, public, and management networks. Defaults to 8.8.8.8 and 8.8.4.4 when VCH uses static IP',
});

// --- appliance networks (create only)
export const NETWORK_FLAGS = [
  flag({
    name: 'bridge-network', aliases: ['b'], type: 'string',
    usage: 'The bridge network port group inventory path or name (private port group for containers). Defaults to the Virtual Container Host name',
  }),
  flag({
    name: 'bridge-network-range', aliases: ['bnr'], type: 'string', default: '172.16.0.0/12', hidden: true,
    usage: 'The IP range from which bridge networks are allocated',
  }),
  flag({
    name: 'bridge-network-width', aliases: ['bnw'], type: 'string', default: '16', hidden: true,
    usage: 'The default width of each new bridge network',
  }),
  flag({
    name: 'client-network', aliases: ['cln'], type: 'string',
    usage: 'The client network port group inventory path or name (restricts DOCKER_API access to this network). Defaults to DHCP - see advanced help (-x)',
  }),
  flag({
    name: 'client-network-gateway', type: 'string', hidden: true,
    usage: 'Gateway for the VCH on the client network, including one or more routing destinations in a comma separated list, e.g. 10.1.0.0/16,10.2.0.0/16:10.0.0.1',
  }),
  flag({
    name: 'client-network-ip', type: 'string', hidden: true,
    usage: 'IP address with a network mask for the VCH on the client network, e.g. 10.0.0.2/24',
  }),
  flag({
    name: 'public-network', aliases: ['pn'], type: 'string', default: 'VM Network',
    usage: "The public network port group inventory path or name (port forwarding and default route). Defaults to 'VM Network' and DHCP -- see advanced help (-x)",
  }),
  flag({ name: 'public-network-gateway', type: 'string', hidden: true, usage: 'Gateway for the VCH on the public network, e.g. 10.0.0.1' }),
  flag({
    name: 'public-network-ip', type: 'string', hidden: true,
    usage: 'IP address with a network mask for the VCH on the public network, e.g. 10.0.1.2/24',
  }),
  flag({
    name: 'management-network', aliases: ['mn'], type: 'string',
    usage: 'The management network port group inventory path or name (provides route to target hosting vSphere). Defaults to DCHP - see advanced help (-x)',
  }),
  flag({
    name: 'management-network-gateway', type: 'string', hidden: true,
    usage: 'Gateway for the VCH on the management network, including one or more routing destinations in a comma separated list, e.g. 10.1.0.0/16,10.2.0.0/16:10.0.0.1',
  }),
  flag({
    name: 'management-network-ip', type: 'string', hidden: true,
    usage: 'IP address with a network mask for the VCH on the management network, e.g. 10.0.2.2/24',
  }),
] as const;

export const CONTAINER_NETWORK_FLAGS = [
  flag({
    name: 'container-network', aliases: ['cn'], type: 'strings',
    usage: 'vSphere network list that containers can use directly with labels, e.g. vsphere-net:backend. Defaults to DCHP - see advanced help (-x).',
  }),
  flag({
    name: 'container-network-gateway', aliases: ['cng'], type: 'strings', hidden: true,
    usage: "Gateway for the container network's subnet in CONTAINER-NETWORK:SUBNET format, e.g. vsphere-net:172.16.0.1/16",
  }),
  flag({
    name: 'container-network-ip-range', aliases: ['cnr'], type: 'strings', hidden: true,
    usage: 'IP range for the container network in CONTAINER-NETWORK:IP-RANGE format, e.g. vsphere-net:172.16.0.0/24, vsphere-net:172.16.0.10-172.16.0.20',
  }),
  flag({
    name: 'container-network-dns', aliases: ['cnd'], type: 'strings', hidden: true,
    usage: 'DNS servers for the container network in CONTAINER-NETWORK:DNS format, e.g. vsphere-net:8.8.8.8. Ignored if no static IP assigned.',
  }),
  flag({
    name: 'container-network-firewall', aliases: ['cnf'], type: 'strings', hidden: true,
    usage: 'Container network trust level in CONTAINER-NETWORK:LEVEL format. Options: Closed, Outbound, Peers, Published, Open.',
  }),
] as const;

// --- resources
export const MEMORY_FLAGS = [
  flag({ name: 'memory', aliases: ['mem'], type: 'opt-int', unit: 'MB', usage: 'VCH resource pool memory limit in MB (unlimited=0)' }),
  flag({ name: 'memory-reservation', aliases: ['memr'], type: 'opt-int', unit: 'MB', hidden: true, usage: 'VCH resource pool memory reservation in MB' }),
  flag({
    name: 'memory-shares', aliases: ['mems'], type: 'shares', hidden: true,
    usage: 'VCH resource pool memory shares in level or share number, e.g. high, normal, low, or 163840',
  }),
] as const;
export const ENDPOINT_MEMORY_FLAG = flag({
  name: 'endpoint-memory', type: 'int', unit: 'MB', default: '2048', min: 1, hidden: true,
  usage: 'Memory for the VCH endpoint VM, in MB. Does not impact resources allocated per container.',
});

export const CPU_FLAGS = [
  flag({ name: 'cpu', type: 'opt-int', usage: 'VCH resource pool vCPUs limit in MHz (unlimited=0)' }),
  flag({ name: 'cpu-reservation', aliases: ['cpur'], type: 'opt-int', hidden: true, usage: 'VCH resource pool reservation in MHz' }),
  flag({
    name: 'cpu-shares', aliases: ['cpus'], type: 'shares', hidden: true,
    usage: 'VCH resource pool vCPUs shares, in level or share number, e.g. high, normal, low, or 4000',
  }),
] as const;
export const ENDPOINT_CPU_FLAG = flag({
  name: 'endpoint-cpu', type: 'int', default: '1', min: 1, hidden: true,
  usage: 'vCPUs for the VCH endpoint VM. Does not impact resources allocated per container.',
});

export const STORAGE_QUOTA_FLAG = flag({
  name: 'storage-quota', aliases: ['sq'], type: 'opt-int', unit: 'GB', usage: 'Storage quota for images and containers in GB (unlimited=0)',
});
export const CONTAINERS_FLAG = flag({
  name: 'containers', type: 'opt-int', usage: 'Total number of containers that can exist in VCH (unlimited=0)',
});

// --- TLS (common/certificate.go)
export const TLS_CERT_PATH_USAGE = "The path to check for existing certificates and in which to save generated certificates. Defaults to './<vch name>/'";
export const TLS_FLAGS = [
  flag({ name: 'tls-server-key', type: 'string', usage: 'Virtual Container Host private key file (server certificate)' }),
  flag({ name: 'tls-server-cert', type: 'string', usage: 'Virtual Container Host x509 certificate file (server certificate)' }),
  flag({
    name: 'tls-cname', type: 'string',
    usage: 'Common Name to use in generated CA certificate when requiring client certificate authentication',
  }),
  flag({ name: 'tls-cert-path', type: 'string', usage: TLS_CERT_PATH_USAGE }),
  flag({
    name: 'no-tlsverify', aliases: ['kv'], type: 'bool',
    usage: 'Disable authentication via client certificates - for more tls options see advanced help (-x)',
  }),
  flag({
    name: 'organization', type: 'strings', hidden: true,
    usage: 'A list of identifiers to record in the generated certificates. Defaults to VCH name and IP/FQDN if not provided.',
  }),
  flag({
    name: 'certificate-key-size', aliases: ['ksz'], type: 'int', default: '2048', min: 1, hidden: true,
    usage: 'Size of key to use when generating certificates',
  }),
  flag({
    name: 'tls-ca', aliases: ['ca'], type: 'strings', hidden: true,
    usage: 'Specify a list of certificate authority files to use for client verification',
  }),
] as const;
export const NO_TLS_FLAG = flag({ name: 'no-tls', aliases: ['k'], type: 'bool', hidden: true, usage: 'Disable TLS support completely' });

// --- registries (common/registries.go)
export const REGISTRY_CA_FLAG = flag({
  name: 'registry-ca', aliases: ['rc'], type: 'strings',
  usage: 'Specify a list of additional certificate authority files to use to verify secure registry servers',
});
export const REGISTRY_ACCESS_FLAGS = [
  flag({
    name: 'insecure-registry', aliases: ['dir'], type: 'strings',
    usage: 'Specify a list of permitted insecure registry server addresses',
  }),
  flag({
    name: 'whitelist-registry', aliases: ['wr'], type: 'strings',
    usage: 'Specify a list of permitted whitelist registry server addresses (insecure addresses still require the --insecure-registry option in addition)',
  }),
] as const;

// --- proxies (common/proxy.go)
export const PROXY_FLAGS = [
  flag({
    name: 'https-proxy', type: 'opt-string', hidden: true,
    usage: 'An HTTPS proxy for use when fetching images, in the form http(s)://fqdn_or_ip:port',
  }),
  flag({
    name: 'http-proxy', type: 'opt-string', hidden: true,
    usage: 'An HTTP proxy for use when fetching images, in the form http(s)://fqdn_or_ip:port',
  }),
  flag({
    name: 'no-proxy', type: 'opt-string', hidden: true,
    usage: 'URLs that should be excluded from proxying. This should be * or a comma-separated list of hostnames, domain names, or a mixture of both, e.g. localhost,.example.com',
  }),
] as const;

export const SYSLOG_FLAG = flag({
  name: 'syslog-address', type: 'string', hidden: true,
  usage: 'Address of the syslog server to send Virtual Container Host logs to. Must be in the format transport://host[:port], where transport is udp or tcp. port defaults to 514 if not specified',
});

// --- ISOs (common/images.go): hidden on create, visible on upgrade
export function isoFlags(hidden: boolean) {
  return [
    flag({ name: 'appliance-iso', aliases: ['ai'], type: 'string', hidden, usage: 'The appliance iso' }),
    flag({ name: 'bootstrap-iso', aliases: ['bi'], type: 'string', hidden, usage: 'The bootstrap iso' }),
  ] as const;
}

export const ASYMMETRIC_ROUTES_FLAG = flag({
  name: 'asymmetric-routes', aliases: ['ar'], type: 'bool', hidden: true,
  usage: 'Set up the Virtual Container Host for asymmetric routing',
});

export const RESET_PROGRESS_FLAG = flag({
  name: 'reset-progress', type: 'bool',
  usage: 'Reset the UpdateInProgress flag. Warning: Do not reset this flag if another upgrade/configure process is running',
});

export function rollbackFlag(usage: string, hidden: boolean) {
  return flag({ name: 'rollback', type: 'bool', hidden, usage });
}

// --- flags this tool adds to every command (ecosystem-notes §5.4); not part of the options objects
export const GLOBAL_FLAGS = [
  flag({ name: 'json', type: 'bool', usage: 'Print the result, or the error, as JSON on stdout (human-readable logs go to stderr)' }),
  flag({ name: 'no-color', type: 'bool', usage: 'Disable colored output (also when NO_COLOR is set or output is not a terminal)' }),
] as const;

/** The help flag every command accepts (commander renders and handles it). */
export const HELP_FLAG = flag({ name: 'help', aliases: ['h'], type: 'bool', usage: 'show help' });
