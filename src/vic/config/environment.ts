// Which extraConfig keys hold random or environment-specific values, what form those values must have, and a
// key-by-key comparison of two extraConfig maps that tolerates exactly those differences.

import { base64Decode } from './codec.js';

export type EnvironmentDependenceKind =
  | 'secret-key'
  | 'ciphertext'
  | 'moref'
  | 'nic-slot'
  | 'certificate'
  | 'target'
  | 'installer-version'
  | 'iso-name'
  | 'vm-folder'
  | 'timestamp'
  | 'guest-written'
  | 'create-options';

export interface EnvironmentDependentKey {
  readonly kind: EnvironmentDependenceKind;
  /** matches the keys this rule covers */
  readonly pattern: RegExp;
  readonly reason: string;
  /** true when a value has the form this kind of key must have */
  readonly form: (value: string) => boolean;
}

const re = (r: RegExp) => (v: string): boolean => r.test(v);

const base64Bytes = (pred: (b: Uint8Array) => boolean) => (v: string): boolean => {
  try {
    return pred(base64Decode(v));
  } catch {
    return false;
  }
};

const isPem = base64Bytes((b) => /^-----BEGIN [A-Z0-9 ]+-----\r?\n/.test(Buffer.from(b).toString('latin1')));

/** The rules, most specific first. */
export const ENVIRONMENT_DEPENDENT: readonly EnvironmentDependentKey[] = [
  {
    kind: 'secret-key',
    pattern: /^guestinfo\.ovfEnv$/,
    reason: 'a fresh random 32-byte secret key on every encode',
    form: base64Bytes((b) => b.length === 32),
  },
  {
    kind: 'ciphertext',
    pattern: /@secret(@|$)/,
    reason: 'sealed with the random secret key and a random nonce',
    form: base64Bytes((b) => b.length >= 24 + 16),
  },
  {
    kind: 'moref',
    pattern: /^guestinfo\.vice\.\/init\/common\/id$/,
    reason: 'the appliance VM moref (CreatingVCH until it exists)',
    form: re(/^(VirtualMachine:\S+|CreatingVCH)$/),
  },
  {
    kind: 'nic-slot',
    pattern: /^guestinfo\.vice\.\/init\/networks\|[^/]+\/Common\/id$/,
    reason: 'the PCI slot of the role\'s NIC; the original assigns slots in Go map order, so roles swap slots between runs',
    form: re(/^(\d+|<nil>)$/),
  },
  {
    kind: 'moref',
    pattern: /^guestinfo\.vice\.\/(init\/networks\|[^/]+\/network|network\/container_networks\|[^/]+)\/Common\/id$/,
    reason: 'the network moref (Network:network-7, DistributedVirtualPortgroup:dvportgroup-13, ...)',
    form: re(/^[A-Za-z]+:\S.*$/),
  },
  {
    kind: 'moref',
    pattern: /^guestinfo\.vice\.\/container\/ComputeResources\|\d+\/Value$/,
    reason: 'the VCH resource pool moref value',
    form: re(/^\S+$/),
  },
  {
    kind: 'certificate',
    pattern: /^guestinfo\.vice\.\/cert\/((HostCertificate|(NetworkCertificates|HostCertificates)\|[^/]+)\/Cert|CertificateAuthorities|RegistryCertificateAuthorities)$/,
    reason: 'generated certificates differ on every create',
    form: isPem,
  },
  {
    kind: 'target',
    pattern: /^guestinfo\.vice\.\/connect\/target$/,
    reason: 'the vSphere (simulator) address',
    form: re(/^https?:\/\/[^/\s]+$/),
  },
  {
    kind: 'target',
    pattern: /^guestinfo\.vice\.\/connect\/target_thumbprint$/,
    reason: 'the vSphere (simulator) certificate thumbprint',
    form: re(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/),
  },
  {
    kind: 'target',
    pattern: /^guestinfo\.vice\.\/init\/sessions\|port-layer\/cmd\/Env~$/,
    reason: 'VC_URL is the vSphere (simulator) address',
    form: re(/^VC_URL=https?:\/\/[^|]+\|DC_PATH=[^|]*\|CS_PATH=[^|]*\|POOL_PATH=[^|]*\|DS_PATH=[^|]*$/),
  },
  {
    kind: 'create-options',
    pattern: /^guestinfo\.vice\.\/vic_machine_create_options~$/,
    reason: 'the flags as given, including the target, thumbprint and --timeout',
    form: re(/^(--[a-z0-9-]+=[^|]*)(\|--[a-z0-9-]+=[^|]*)*$/),
  },
  {
    kind: 'installer-version',
    pattern: /^guestinfo\.vice\.\/init\/version\/BuildDate$/,
    reason: 'the installer build date',
    form: re(/^\d{4}\/\d{2}\/\d{2}@\d{2}:\d{2}:\d{2}$/),
  },
  {
    kind: 'installer-version',
    pattern: /^guestinfo\.vice\.\/init\/version\/BuildNumber$/,
    reason: 'the installer build number',
    form: re(/^\d+$/),
  },
  {
    kind: 'installer-version',
    pattern: /^guestinfo\.vice\.\/init\/version\/GitCommit$/,
    reason: 'the installer commit',
    form: re(/^[0-9a-f]{7,40}$/),
  },
  {
    kind: 'installer-version',
    pattern: /^guestinfo\.vice\.\/init\/version\/Version$/,
    reason: 'the installer release tag',
    form: re(/^v\d+\.\d+\.\d+\S*$/),
  },
  {
    kind: 'installer-version',
    pattern: /^guestinfo\.vice\.\/init\/version\/State$/,
    reason: 'the installer build state',
    form: re(/^(<nil>|dirty)$/),
  },
  {
    kind: 'iso-name',
    pattern: /^guestinfo\.vice\.\/container\/bootstrap_image_path$/,
    reason: 'names the uploaded ISO after the ISO\'s version, in the VM folder',
    form: re(/^\[[^\]]+\] \S.*-bootstrap\.iso$/),
  },
  {
    kind: 'vm-folder',
    pattern: /^guestinfo\.vice\.\/storage\/image_stores\|\d+\/Path$/,
    reason: 'the VM folder vSphere chose when no image store path was given (a namespace UUID on vSAN)',
    form: re(/^\S.*$/),
  },
  {
    kind: 'timestamp',
    pattern: /^guestinfo\.vice\.\.init\.(createtime|sessions\|[^.]+\.detail\.(createtime|starttime|stoptime))$/,
    reason: 'Unix timestamps written by the appliance',
    form: re(/^-?\d+$/),
  },
  {
    kind: 'timestamp',
    pattern: /\.exitlogs\|\d+\.Time$/,
    reason: 'exit times written by the appliance',
    form: re(/^\d{4}-\d{2}-\d{2} .+$/),
  },
  {
    kind: 'guest-written',
    pattern: /^guestinfo\.vice\.\.init\.(networks\|[^.]+\.(assigned|network\.assigned)\.|sessions\|[^.]+\.(started|status|runblock|diagnostics\.|exitlogs)|diagnostics\.)/,
    reason: 'runtime state the appliance publishes (assigned addresses, component status)',
    form: () => true,
  },
];

/** The rule covering a key, if its value is random or environment-specific. */
export function environmentDependence(key: string): EnvironmentDependentKey | undefined {
  return ENVIRONMENT_DEPENDENT.find((r) => r.pattern.test(key));
}

/** True when the key is environment-dependent. */
export function isEnvironmentDependent(key: string): boolean {
  return environmentDependence(key) !== undefined;
}

export interface ExtraConfigComparison {
  /** keys present in both with the same value */
  equal: string[];
  /** environment-dependent keys whose values differ but both have the right form */
  environmentDifferences: Array<{ key: string; kind: EnvironmentDependenceKind; expected: string; actual: string }>;
  /** keys whose values differ unacceptably (not environment-dependent, or wrong form) */
  differences: Array<{ key: string; expected: string; actual: string; reason: string }>;
  /** keys only in `expected` */
  missing: string[];
  /** keys only in `actual` */
  extra: string[];
}

/** Compares two extraConfig maps key by key; environment-dependent values may differ if they keep their form. */
export function compareExtraConfig(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>): ExtraConfigComparison {
  const out: ExtraConfigComparison = { equal: [], environmentDifferences: [], differences: [], missing: [], extra: [] };
  for (const key of Object.keys(expected).sort()) {
    if (!(key in actual)) {
      out.missing.push(key);
      continue;
    }
    const e = expected[key]!;
    const a = actual[key]!;
    if (e === a) {
      out.equal.push(key);
      continue;
    }
    const rule = environmentDependence(key);
    if (!rule) out.differences.push({ key, expected: e, actual: a, reason: 'value differs' });
    else if (!rule.form(a)) out.differences.push({ key, expected: e, actual: a, reason: `not a valid ${rule.kind} value` });
    else out.environmentDifferences.push({ key, kind: rule.kind, expected: e, actual: a });
  }
  for (const key of Object.keys(actual).sort()) if (!(key in expected)) out.extra.push(key);
  return out;
}
