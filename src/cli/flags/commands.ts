// Each command's flags, composed from the shared groups in the original's order (reference §1.2-1.9). This order is
// the help order and the order of `inspect config` / vic_machine_create_options.
import {
  AFFINITY_FLAG, AFFINITY_FLAG_TRISTATE, CONFIG_FILE_FLAG, ASYMMETRIC_ROUTES_FLAG, COMPUTE_FLAGS, COMPUTE_RESOURCE_FLAG, CONTAINER_NAME_CONVENTION_FLAG,
  CONTAINER_NETWORK_FLAGS, CONTAINERS_FLAG, CPU_FLAGS, debugFlag, DRY_RUN_FLAG, DNS_SERVER_FLAG, ENDPOINT_CPU_FLAG, ENDPOINT_MEMORY_FLAG,
  EXTENDED_HELP_FLAG, flag, forceFlag, ID_FLAG, IMAGE_FLAGS, isoFlags, MEMORY_FLAGS, NETWORK_FLAGS, NO_TLS_FLAG, OPS_FLAGS, PROXY_FLAGS,
  REGISTRY_ACCESS_FLAGS, REGISTRY_CA_FLAG, RESET_PROGRESS_FLAG, rollbackFlag, STORAGE_QUOTA_FLAG, SYSLOG_FLAG, TARGET_FLAGS,
  timeoutFlag, TLS_FLAGS, VOLUME_STORE_FLAG,
} from './groups.js';

export const CREATE_FLAGS = [
  ...TARGET_FLAGS,
  ...COMPUTE_FLAGS,
  ...OPS_FLAGS,
  ...IMAGE_FLAGS,
  AFFINITY_FLAG,
  CONTAINER_NAME_CONVENTION_FLAG,
  VOLUME_STORE_FLAG,
  DNS_SERVER_FLAG,
  ...NETWORK_FLAGS,
  ...CONTAINER_NETWORK_FLAGS,
  ...MEMORY_FLAGS, ENDPOINT_MEMORY_FLAG,
  ...CPU_FLAGS, ENDPOINT_CPU_FLAG,
  STORAGE_QUOTA_FLAG,
  CONTAINERS_FLAG,
  ...TLS_FLAGS, NO_TLS_FLAG,
  REGISTRY_CA_FLAG, ...REGISTRY_ACCESS_FLAGS,
  ...PROXY_FLAGS,
  SYSLOG_FLAG,
  ...isoFlags(true),
  forceFlag('Ignore error messages and proceed'),
  timeoutFlag('create'),
  DRY_RUN_FLAG,
  ASYMMETRIC_ROUTES_FLAG,
  CONFIG_FILE_FLAG,
  debugFlag(),
  EXTENDED_HELP_FLAG,
] as const;

export const CONFIGURE_FLAGS = [
  ...TARGET_FLAGS,
  ...OPS_FLAGS,
  ID_FLAG,
  ...COMPUTE_FLAGS,
  AFFINITY_FLAG_TRISTATE,
  CONTAINER_NAME_CONVENTION_FLAG,
  VOLUME_STORE_FLAG,
  DNS_SERVER_FLAG,
  ...CONTAINER_NETWORK_FLAGS,
  ...MEMORY_FLAGS,
  ...CPU_FLAGS,
  STORAGE_QUOTA_FLAG,
  CONTAINERS_FLAG,
  ...TLS_FLAGS,
  REGISTRY_CA_FLAG,
  ...PROXY_FLAGS,
  SYSLOG_FLAG,
  forceFlag('Force the configure operation'),
  timeoutFlag('configure'),
  RESET_PROGRESS_FLAG,
  rollbackFlag('Roll back VCH configuration to before the current upgrade/configure', true),
  CONFIG_FILE_FLAG,
  debugFlag(),
  EXTENDED_HELP_FLAG,
] as const;

export const DELETE_FLAGS = [
  ...TARGET_FLAGS,
  ID_FLAG,
  ...COMPUTE_FLAGS,
  forceFlag('Force the deletion'),
  timeoutFlag('delete'),
  debugFlag(),
] as const;

export const LS_FLAGS = [
  ...TARGET_FLAGS,
  COMPUTE_RESOURCE_FLAG,
  timeoutFlag('list'),
  debugFlag(),
] as const;

export const INSPECT_FLAGS = [
  ...TARGET_FLAGS,
  ID_FLAG,
  ...COMPUTE_FLAGS,
  timeoutFlag('inspect'),
  flag({ name: 'tls-cert-path', type: 'string', usage: "The path to check for existing certificates. Defaults to './<vch name>/'" }),
  debugFlag(),
] as const;

export const INSPECT_CONFIG_FLAGS = [
  flag({
    name: 'format', type: 'string', default: 'verbose',
    usage: 'Determine the format of configuration output. Supported formats: raw, verbose, yaml (a file create --config reads), json (the VCH model of the REST API)',
  }),
  ...INSPECT_FLAGS,
] as const;

export const UPGRADE_FLAGS = [
  ...TARGET_FLAGS,
  ID_FLAG,
  ...COMPUTE_FLAGS,
  ...isoFlags(false),
  forceFlag('Force the upgrade (ignores version check & thumbprint)'),
  timeoutFlag('upgrade'),
  rollbackFlag('Roll back VCH version to before the current upgrade', false),
  RESET_PROGRESS_FLAG,
  debugFlag(false),
] as const;

export const DEBUG_FLAGS = [
  ...TARGET_FLAGS,
  ID_FLAG,
  ...COMPUTE_FLAGS,
  flag({ name: 'enable-ssh', aliases: ['ssh'], type: 'bool', usage: 'Enable SSH server within appliance VM' }),
  flag({ name: 'authorized-key', aliases: ['key'], type: 'string', usage: 'File with public key to place as /root/.ssh/authorized_keys' }),
  flag({ name: 'rootpw', aliases: ['pw'], type: 'string', secret: true, usage: 'Password to set for root user (non-persistent over reboots)' }),
  timeoutFlag('operation to complete'),
  debugFlag(),
] as const;

export const UPDATE_FIREWALL_FLAGS = [
  ...TARGET_FLAGS,
  COMPUTE_RESOURCE_FLAG,
  timeoutFlag('update firewall'),
  flag({ name: 'allow', type: 'bool', usage: 'Enable a firewall rule on target host(s) to allow VIC communication' }),
  flag({ name: 'deny', type: 'bool', usage: 'Disable the firewall rule on target host(s) that allows VIC communication' }),
  debugFlag(),
] as const;

export const VERSION_FLAGS = [] as const;
/** `update` itself only has subcommands */
export const UPDATE_FLAGS = [] as const;
