// The typed, validated options each command's run() receives. One property per flag, named by camel-casing the long
// flag name (`--bridge-network-range` → bridgeNetworkRange). Flags with a default (or a plain string/bool/list) are
// always present; optional ones (opt-int, opt-string, opt-bool, url, shares) are absent when not given, so "unset" is
// distinguishable from 0, "" and false. Durations are milliseconds.
//
// The interfaces are written out for readability; the assertions at the bottom fail the build when they drift from
// the flag definitions in ./flags/commands.ts. create's and configure's are built on the domain's flag values
// (src/vic/spec/flags.ts CreateFlagValues, src/vic/configure/request.ts ConfigureFlagValues), which their commands
// hand their options to as they are; the domain takes lists read-only.
import type {
  CONFIGURE_FLAGS, CREATE_FLAGS, DEBUG_FLAGS, DELETE_FLAGS, INSPECT_CONFIG_FLAGS, INSPECT_FLAGS, LS_FLAGS, UPDATE_FIREWALL_FLAGS,
  UPGRADE_FLAGS, VERSION_FLAGS,
} from './flags/commands.js';
import type { OptionsOf } from './flags/types.js';
import type { CreateFlagValues } from '../vic/spec/flags.js';
import type { ConfigureFlagValues } from '../vic/configure/request.js';
import type { DebugFlagValue, OpsFlagValues, TlsFlagValues } from '../vic/spec/flag-values.js';

export type { Shares } from './flags/types.js';

/** --target/-t, --user/-u, --password/-p, --thumbprint (and their VIC_MACHINE_* variables). Resolve with resolveTarget(). */
export interface TargetFlags {
  /** `--target`: the URL as given, `https://` prefixed when no scheme; may carry user:password@ and a /datacenter path */
  target?: URL;
  /** `--user` ("" when not given) */
  user: string;
  /** `--password`; absent when not given ("" when given empty) */
  password?: string;
  /** `--thumbprint` ("" when not given) */
  thumbprint: string;
}

/** --name/-n and --compute-resource/-r */
export interface ComputeFlags {
  /** `--name`, default `virtual-container-host` */
  name: string;
  /** `--compute-resource` ("" = the default / only one) */
  computeResource: string;
}

/** `--debug/-v N`: absent = 0 */
export type DebugFlag = DebugFlagValue;

export interface TimeoutFlag {
  /** `--timeout` in milliseconds, default 180000 (3m0s) */
  timeout: number;
}

/** The TLS flags create and configure share: the domain's, and where the certificates are written */
export interface TlsFlags extends TlsFlagValues {
  /** "" = `./<name>` */
  tlsCertPath: string;
}

/** create's flags: those of the specification (src/vic/spec/flags.ts), and how this run goes */
export interface CreateOptions extends CreateFlagValues, TargetFlags, ComputeFlags, TlsFlags, TimeoutFlag {
  /** `--dry-run` (not in 1.5): validate, print the plan, create nothing */
  dryRun: boolean;
  /** "" = `appliance.iso` (next to the binary or in the CWD) */
  applianceIso: string;
  /** "" = `bootstrap.iso` */
  bootstrapIso: string;
  force: boolean;
  /** `--config`: the YAML file of flags (already merged into these options by src/cli/config-file.ts) */
  config?: string;
  /** always false when run() is called (-x prints help instead) */
  extendedHelp: boolean;
}

/** configure's flags: those of its change (src/vic/configure/request.ts), and those its command handles itself */
export interface ConfigureOptions extends ConfigureFlagValues, TargetFlags, OpsFlagValues, ComputeFlags, TlsFlags, TimeoutFlag {
  id: string;
  /** absent = no change; true = create the DRS VM group; false = delete it */
  affinityVmGroup?: boolean;
  registryCa: readonly string[];
  force: boolean;
  resetProgress: boolean;
  rollback: boolean;
  /** `--config`: the YAML file of flags (already merged into these options by src/cli/config-file.ts) */
  config?: string;
  extendedHelp: boolean;
}

export interface DeleteOptions extends TargetFlags, ComputeFlags, TimeoutFlag, DebugFlag {
  id: string;
  force: boolean;
}

export interface LsOptions extends TargetFlags, TimeoutFlag, DebugFlag {
  computeResource: string;
}

export interface InspectOptions extends TargetFlags, ComputeFlags, TimeoutFlag, DebugFlag {
  id: string;
  tlsCertPath: string;
}

export interface InspectConfigOptions extends InspectOptions {
  /** `raw`, `verbose`, `yaml` or `json` (any other value was warned about and replaced by `verbose`) */
  format: 'raw' | 'verbose' | 'yaml' | 'json';
}

export interface UpgradeOptions extends TargetFlags, ComputeFlags, TimeoutFlag, DebugFlag {
  id: string;
  applianceIso: string;
  bootstrapIso: string;
  force: boolean;
  rollback: boolean;
  resetProgress: boolean;
}

export interface DebugOptions extends TargetFlags, ComputeFlags, TimeoutFlag, DebugFlag {
  id: string;
  enableSsh: boolean;
  authorizedKey: string;
  /** secret: never logged */
  rootpw: string;
}

export interface UpdateFirewallOptions extends TargetFlags, TimeoutFlag, DebugFlag {
  computeResource: string;
  /** exactly one of allow/deny is true (checked before run) */
  allow: boolean;
  deny: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VersionOptions {}

// ---------------------------------------------------------------------------------------------------------------
// compile-time checks: each interface has exactly the keys and types its flag list produces

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** lists compared as read-only on both sides: the domain's flag values take them so */
type ReadonlyLists<T> = { [K in keyof T]: T[K] extends readonly (infer E)[] ? readonly E[] : T[K] };
type Matches<A, B> = SameKeys<A, B> extends true ? Mutual<ReadonlyLists<A>, ReadonlyLists<B>> : false;
type Assert<T extends true> = T;

export type FlagsMatchInterfaces = [
  Assert<Matches<CreateOptions, OptionsOf<typeof CREATE_FLAGS>>>,
  Assert<Matches<ConfigureOptions, OptionsOf<typeof CONFIGURE_FLAGS>>>,
  Assert<Matches<DeleteOptions, OptionsOf<typeof DELETE_FLAGS>>>,
  Assert<Matches<LsOptions, OptionsOf<typeof LS_FLAGS>>>,
  Assert<Matches<InspectOptions, OptionsOf<typeof INSPECT_FLAGS>>>,
  Assert<Matches<Omit<InspectConfigOptions, 'format'> & { format: string }, OptionsOf<typeof INSPECT_CONFIG_FLAGS>>>,
  Assert<Matches<UpgradeOptions, OptionsOf<typeof UPGRADE_FLAGS>>>,
  Assert<Matches<DebugOptions, OptionsOf<typeof DEBUG_FLAGS>>>,
  Assert<Matches<UpdateFirewallOptions, OptionsOf<typeof UPDATE_FIREWALL_FLAGS>>>,
  Assert<Matches<VersionOptions, OptionsOf<typeof VERSION_FLAGS>>>,
];
