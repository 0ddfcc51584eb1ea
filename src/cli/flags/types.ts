// Flag definitions and the value types of vic-machine 1.5 (urfave/cli v1 + vic's pkg/flags), with their parsers.
// Everything here is pure and cheap: it is loaded eagerly, also for --help.
import { UsageError } from '../errors.js';
import { durationMs, formatDuration } from '../../vic/spec/values/duration.js';
import { parseShares as parseSharesValue, type Shares } from '../../vic/spec/values/shares.js';
import { parseSizeIn, type SizeUnit } from '../../vic/spec/values/size.js';
import { tryParse } from '../../vic/spec/values/value-error.js';

/**
 * The value types of vic-machine's flags (reference §1):
 * - `string`      plain string, default "" unless given
 * - `bool`        false unless given; `--flag`, `--flag=true|false` (Go strconv.ParseBool spellings)
 * - `opt-bool`    like bool, but unset (undefined) is distinguishable from false
 * - `int`         integer with a default
 * - `opt-int`     integer, undefined when unset
 * - `opt-string`  string, undefined when unset ("" when given empty)
 * - `strings`     []string: repeatable, values collected in order
 * - `url`         URL; `https://` is prefixed when the value has no `scheme://`; user:password@ allowed
 * - `duration`    Go duration (`90s`, `3m0s`, `1h2m`), held as milliseconds
 * - `shares`      `low|normal|high` (any case) or an integer share count (level `custom`); undefined when unset
 */
export type FlagType =
  | 'string' | 'bool' | 'opt-bool' | 'int' | 'opt-int' | 'opt-string' | 'strings' | 'url' | 'duration' | 'shares';

export interface FlagDef<N extends string = string, T extends FlagType = FlagType> {
  /** long name without dashes, e.g. `bridge-network-range` */
  readonly name: N;
  readonly type: T;
  /** other names without dashes, e.g. `['bnr']` or `['t']`; each accepted with one or two dashes */
  readonly aliases?: readonly string[];
  /** help text, as the original prints it */
  readonly usage: string;
  /** default as the original's help shows it (`3m0s`, `2048`, `virtual-container-host`); parsed with the type's parser */
  readonly default?: string;
  /** environment variable consulted when the flag is not on the command line */
  readonly env?: string;
  /** not listed by --help (only by -x/--extended-help on create and configure) */
  readonly hidden?: boolean;
  /** never echoed: shown as `<censored>` in --debug output */
  readonly secret?: boolean;
  /** smallest accepted value (int, opt-int, duration in ms) */
  readonly min?: number;
  /**
   * int and opt-int flags counting MB or GB: besides the plain number 1.5 takes, a number with a unit is accepted
   * (`--memory 4GB` = `--memory 4096`, binary as vSphere counts memory; src/vic/spec/values/size.ts)
   */
  readonly unit?: SizeUnit;
}

export const CENSORED = '<censored>';

/** `bridge-network-range` → `bridgeNetworkRange` (the option key; the same as commander's attribute name). */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

export function camelCase<S extends string>(s: S): CamelCase<S> {
  return s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) as CamelCase<S>;
}

/** Resource-pool shares: a named level, or a custom share count (src/vic/spec/values/shares.ts). */
export type { Shares };

/** The TypeScript type each flag type yields in a command's options object. */
export type FlagValue<T extends FlagType> =
  T extends 'string' ? string
    : T extends 'bool' ? boolean
      : T extends 'int' | 'duration' ? number
        : T extends 'strings' ? string[]
          : T extends 'opt-string' ? string | undefined
            : T extends 'opt-int' ? number | undefined
              : T extends 'opt-bool' ? boolean | undefined
                : T extends 'url' ? URL | undefined
                  : T extends 'shares' ? Shares | undefined
                    : never;

/** Flag types whose value is undefined when the flag is not given. */
export type OptionalFlagType = 'opt-string' | 'opt-int' | 'opt-bool' | 'url' | 'shares';

type RequiredDefs<D extends FlagDef> = D extends FlagDef<string, OptionalFlagType> ? never : D;
type OptionalDefs<D extends FlagDef> = D extends FlagDef<string, OptionalFlagType> ? D : never;

/** The options object a list of flag definitions produces (used to check the hand-written interfaces). */
export type OptionsOf<D extends readonly FlagDef[]> =
  & { [F in RequiredDefs<D[number]> as CamelCase<F['name']>]: FlagValue<F['type']> }
  & { [F in OptionalDefs<D[number]> as CamelCase<F['name']>]?: Exclude<FlagValue<F['type']>, undefined> };

export function isBoolType(t: FlagType): boolean {
  return t === 'bool' || t === 'opt-bool';
}

/** How a flag is named in messages: its long form. */
export function flagLabel(def: Pick<FlagDef, 'name'>): string {
  return `--${def.name}`;
}

// ---------------------------------------------------------------------------------------------------------------
// parsers: each throws UsageError naming the flag and what would be valid

function invalid(def: FlagDef, value: string, expected: string, from?: string): UsageError {
  const where = from ? ` (from ${from})` : '';
  return new UsageError(`invalid value "${value}" for flag ${flagLabel(def)}${where}: ${expected}`, { code: 'flag-value-invalid', flag: flagLabel(def) });
}

/** Go strconv.ParseBool. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** A decimal integer (optionally signed), within the safe integer range. */
export function parseInteger(s: string): number | undefined {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Go time.ParseDuration, in milliseconds (fractions kept); the one parser is src/vic/spec/values/duration.ts. */
export function parseDuration(s: string): number | undefined {
  return durationMs(s);
}

export { formatDuration };

/** `low|normal|high` (any case) or a positive share count; the one parser is src/vic/spec/values/shares.ts. */
export function parseShares(s: string): Shares | undefined {
  const r = tryParse(() => parseSharesValue(s));
  return 'value' in r ? r.value : undefined;
}

/** vic's URL flag: prefixes `https://` when the value has no `scheme://`; http and https only. */
export function parseTargetUrl(s: string): URL | undefined {
  const text = s.includes('://') ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (!u.hostname) return undefined;
  return u;
}

/** A URL as typed, with the password of its userinfo replaced by `<censored>`. */
export function censorUrlText(s: string): string {
  const schemeEnd = s.indexOf('://');
  const start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  const slash = s.indexOf('/', start);
  const authority = slash >= 0 ? s.slice(start, slash) : s.slice(start);
  const at = authority.lastIndexOf('@');
  if (at < 0) return s;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return s;
  return `${s.slice(0, start)}${userinfo.slice(0, colon)}:${CENSORED}${s.slice(start + at)}`;
}

/**
 * Converts one raw (string) value of a flag to its typed value. `from` names where the value came from when it is not
 * the command line (e.g. `$VIC_MACHINE_TARGET`), for the error message.
 */
export function parseFlagValue(def: FlagDef, raw: string, from?: string): string | boolean | number | URL | Shares {
  switch (def.type) {
    case 'string':
    case 'opt-string':
    case 'strings':
      return raw;
    case 'bool':
    case 'opt-bool': {
      const b = parseGoBool(raw);
      if (b === undefined) throw invalid(def, raw, `use ${flagLabel(def)} or ${flagLabel(def)}=true|false`, from);
      return b;
    }
    case 'int':
    case 'opt-int': {
      let n = parseInteger(raw);
      if (n === undefined && def.unit) {
        const sized = tryParse(() => parseSizeIn(raw, def.unit!));
        if ('error' in sized) throw invalid(def, raw, `expected ${sized.error.expected}`, from);
        n = sized.value;
      }
      if (n === undefined) throw invalid(def, raw, 'expected an integer', from);
      if (def.min !== undefined && n < def.min) throw invalid(def, raw, `expected an integer of at least ${def.min}`, from);
      return n;
    }
    case 'duration': {
      const d = parseDuration(raw.trim());
      if (d === undefined) throw invalid(def, raw, 'expected a duration such as 90s, 3m0s or 1h2m (units h, m, s, ms)', from);
      if (def.min !== undefined && d < def.min) {
        throw invalid(def, raw, `expected a duration of at least ${formatDuration(def.min)}${def.min === 1 ? ' (greater than 0)' : ''}`, from);
      }
      return d;
    }
    case 'shares': {
      const sh = parseShares(raw);
      if (!sh) throw invalid(def, raw, 'expected low, normal, high or a positive number of shares, e.g. 4000', from);
      return sh;
    }
    case 'url': {
      const u = parseTargetUrl(raw);
      if (!u) throw invalid(def, censorUrlText(raw), 'expected an ESXi or vCenter address such as [user[:password]@]host[:port][/datacenter] or https://host', from);
      return u;
    }
  }
}
