// Encoding a VirtualContainerHostConfigSpec to the appliance VM's extraConfig entries and back.

import {
  decodeRoot, encodeRoot, zeroStruct, type DataSource, type DecodeContext, type UrlFieldSet,
} from './codec.js';
import {
  COMMON, CONTAINER_NETWORK, NETWORK_ENDPOINT, SESSION_CONFIG, VIRTUAL_CONTAINER_HOST_CONFIG_SPEC, type FieldDesc,
  type StructDesc, type TypeDesc,
} from './descriptors.js';
import { appendToPrefix, calculateKeyFromField, isSecretKey, SEPARATOR, UNBOUNDED } from './keys.js';
import type {
  Common, ContainerNetwork, NetworkEndpoint, SessionConfig, VirtualContainerHostConfigSpec,
} from './model.js';
import { cryptoRandomBytes, GUESTINFO_SECRET_KEY, SecretKey, type RandomBytes } from './secret.js';

/** The literal vSphere-facing vic-machine writes for an empty string (an empty value would delete the key). */
export const NIL_VALUE = '<nil>';

/** Extra, non-VIC key create puts on the appliance VM (serial log file is appended to, never asked about). */
export const APPLIANCE_EXTRA_CONFIG: Readonly<Record<string, string>> = { 'answer.msg.serial.file.open': 'Append' };

/** `EscapeNil`: "" -> "<nil>" */
export function escapeNil(v: string): string {
  return v === '' ? NIL_VALUE : v;
}

/** `UnescapeNil`: "<nil>" -> "" (a literal "<nil>" string therefore cannot be stored). */
export function unescapeNil(v: string): string {
  return v === NIL_VALUE ? '' : v;
}

export interface EncodeVchOptions {
  /** The key to seal secrets with; default a fresh random key (the original makes a new one on every encode). */
  secretKey?: SecretKey | string | Uint8Array;
  /** url.URL fields to write; default 'go1.8' (official VIC 1.5 builds). Use 'go1.19' to match a modern-Go build. */
  urlFieldSet?: UrlFieldSet;
  /** Write "" as "<nil>" (default true, as `OptionValueFromMap(cfg, true)`); false gives the raw encoding. */
  escapeNil?: boolean;
  /** Also add APPLIANCE_EXTRA_CONFIG (what create sets on the VM besides the config). Default false. */
  includeApplianceKeys?: boolean;
  /** Random source for the key and nonces (tests). */
  random?: RandomBytes;
}

/** The extraConfig entries (keys and values exactly as vic-machine 1.5 writes them), including guestinfo.ovfEnv. */
export function encodeVchConfig(config: VirtualContainerHostConfigSpec, opts: EncodeVchOptions = {}): Record<string, string> {
  const random = opts.random ?? cryptoRandomBytes;
  const key = opts.secretKey !== undefined ? SecretKey.from(opts.secretKey) : SecretKey.generate(random);
  const escape = opts.escapeNil ?? true;
  const out: Record<string, string> = {};
  const put = (k: string, v: string): void => {
    out[k] = escape ? escapeNil(v) : v;
  };
  put(GUESTINFO_SECRET_KEY, key.toString());
  encodeRoot({ urlFieldSet: opts.urlFieldSet ?? 'go1.8' }, (k, v) => {
    put(k, isSecretKey(k) ? key.seal(v, random) : v);
  }, VIRTUAL_CONTAINER_HOST_CONFIG_SPEC, config);
  if (opts.includeApplianceKeys) Object.assign(out, APPLIANCE_EXTRA_CONFIG);
  return out;
}

export interface DecodeVchOptions {
  /**
   * The secret key (from the .vmx file on real vSphere, where guestinfo.ovfEnv is hidden from the API). When
   * absent, guestinfo.ovfEnv from the map is used if present. An explicit key wins over the map's.
   */
  secretKey?: SecretKey | string | Uint8Array;
  /**
   * false: leave secret values sealed (the original's GetNoSecretVCHConfig: `token` is then the base64 ciphertext,
   * `hostCertificate.key` its decoded bytes). Default: unseal when a key is available, else leave sealed.
   */
  unsealSecrets?: boolean;
}

export interface DecodedVch {
  config: VirtualContainerHostConfigSpec;
  /** the key used to unseal secrets, if any */
  secretKey?: SecretKey;
  /** whether secret values were unsealed (false: they hold ciphertext) */
  secretsUnsealed: boolean;
  /** 'go1.19' when the url.URL keys included OmitHost/RawFragment (a VCH written by a modern-Go build) */
  urlFieldSet: UrlFieldSet;
  /** keys that exist but could not be read (secrets that did not unseal, bad base64, ...); those fields stay zero */
  errors: Array<{ key: string; error: string }>;
  /** entries that are not part of the configuration (answer.msg.serial.file.open, UpdateInProgress, vmotion.*, ...) */
  unknownKeys: Record<string, string>;
}

/** Decodes extraConfig (values as read from vSphere, "<nil>" escaped) into a config, with details. */
export function decodeVchConfigDetailed(extraConfig: Readonly<Record<string, string>>, opts: DecodeVchOptions = {}): DecodedVch {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(extraConfig)) map.set(k, unescapeNil(String(v)));
  const used = new Set<string>();

  let secretKey: SecretKey | undefined;
  const errors: Array<{ key: string; error: string }> = [];
  if (opts.secretKey !== undefined) {
    secretKey = SecretKey.from(opts.secretKey);
  } else {
    const stored = map.get(GUESTINFO_SECRET_KEY);
    if (stored) {
      try {
        secretKey = SecretKey.fromString(stored);
      } catch (e) {
        errors.push({ key: GUESTINFO_SECRET_KEY, error: `failed to decode ${GUESTINFO_SECRET_KEY}: ${(e as Error).message}` });
      }
    }
  }
  if (map.has(GUESTINFO_SECRET_KEY)) used.add(GUESTINFO_SECRET_KEY);
  const unseal = (opts.unsealSecrets ?? true) && secretKey !== undefined;

  const src: DataSource = (key) => {
    const v = map.get(key);
    if (v === undefined) return undefined;
    used.add(key);
    if (unseal && isSecretKey(key)) return secretKey!.open(v, key);
    return v;
  };
  const ctx: DecodeContext = { sawGo119UrlFields: false, errors };
  const config = decodeRoot(ctx, src, VIRTUAL_CONTAINER_HOST_CONFIG_SPEC) as unknown as VirtualContainerHostConfigSpec;

  const unknownKeys: Record<string, string> = {};
  for (const [k, v] of Object.entries(extraConfig)) if (!used.has(k)) unknownKeys[k] = String(v);
  return {
    config,
    ...(secretKey ? { secretKey } : {}),
    secretsUnsealed: unseal,
    urlFieldSet: ctx.sawGo119UrlFields ? 'go1.19' : 'go1.8',
    errors,
    unknownKeys,
  };
}

/** Decodes extraConfig into a config; secrets are unsealed with `secretKey` or guestinfo.ovfEnv when available. */
export function decodeVchConfig(extraConfig: Readonly<Record<string, string>>, secretKey?: SecretKey | string | Uint8Array): VirtualContainerHostConfigSpec {
  return decodeVchConfigDetailed(extraConfig, secretKey !== undefined ? { secretKey } : {}).config;
}

/** A config with every field at its zero value. */
export function newVchConfig(): VirtualContainerHostConfigSpec {
  return zeroStruct(VIRTUAL_CONTAINER_HOST_CONFIG_SPEC) as unknown as VirtualContainerHostConfigSpec;
}

/** A session (appliance component / exec) with every field at its zero value. */
export function newSessionConfig(): SessionConfig {
  return zeroStruct(SESSION_CONFIG) as unknown as SessionConfig;
}

/** A container network with every field at its zero value. */
export function newContainerNetwork(): ContainerNetwork {
  return zeroStruct(CONTAINER_NETWORK) as unknown as ContainerNetwork;
}

/** A network endpoint with every field at its zero value. */
export function newNetworkEndpoint(): NetworkEndpoint {
  return zeroStruct(NETWORK_ENDPOINT) as unknown as NetworkEndpoint;
}

/** executor.Common with every field at its zero value. */
export function newCommon(): Common {
  return zeroStruct(COMMON) as unknown as Common;
}

/**
 * The extraConfig key of a config field, given as a path of TypeScript property names and map keys / slice indexes
 * (`CalculateKey`). Examples:
 *   ['executorConfig', 'networks', 'client', 'assigned', 'ip'] -> 'guestinfo.vice..init.networks|client.assigned.IP'
 *   ['executorConfig', 'sessions', 'vicadmin', 'started']      -> 'guestinfo.vice..init.sessions|vicadmin.started'
 *   ['executorConfig', 'common', 'id']                         -> 'guestinfo.vice./init/common/id'
 */
export function configKey(path: readonly (string | number)[], root: StructDesc = VIRTUAL_CONTAINER_HOST_CONFIG_SPEC): string {
  let t: TypeDesc = { kind: 'struct', struct: root };
  let prefix = '';
  for (const seg of path) {
    while (t.kind === 'ptr') t = t.elem;
    if (t.kind === 'struct') {
      const f: FieldDesc | undefined = t.struct.fields.find((x: FieldDesc) => x.prop === seg && x.prop !== '');
      if (!f) throw new Error(`no field ${String(seg)} in ${t.struct.name}`);
      const { key } = calculateKeyFromField(f.go, f.tag, prefix, UNBOUNDED);
      if (key === '') throw new Error(`field ${String(seg)} of ${t.struct.name} is not encoded`);
      prefix = key;
      t = f.type;
    } else if (t.kind === 'map') {
      prefix = appendToPrefix(prefix, SEPARATOR, String(seg));
      t = t.elem;
    } else if (t.kind === 'slice') {
      const el: TypeDesc = t.elem;
      if (el.kind === 'struct' || el.kind === 'ip' || el.kind === 'time') prefix = appendToPrefix(prefix, SEPARATOR, String(seg));
      else return appendToPrefix(prefix, '', '~');
      t = el;
    } else {
      throw new Error(`cannot select ${String(seg)} inside a ${t.kind}`);
    }
  }
  return prefix;
}
