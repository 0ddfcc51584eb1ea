// Commander's raw values (strings, lists of strings) → the typed options object of a command: each value parsed by
// its flag type, environment variables applied when the flag is not on the command line, then defaults.
import { UsageError } from '../errors.js';
import { camelCase, CENSORED, censorUrlText, type FlagDef, parseFlagValue } from './types.js';

/** A flag the user set, on the command line or through its environment variable, in definition order. */
export interface GivenFlag {
  /** long name without dashes */
  name: string;
  /** raw values as given (one per occurrence for lists; the last one for others) */
  values: string[];
  source: 'cli' | 'env';
  /** the variable, when source is env */
  env?: string;
  secret: boolean;
}

export interface BuiltOptions {
  options: Record<string, unknown>;
  given: GivenFlag[];
}

function typeDefault(def: FlagDef): unknown {
  switch (def.type) {
    case 'string': return '';
    case 'bool': return false;
    case 'strings': return [];
    case 'int': return 0;
    case 'duration': return 0;
    default: return undefined;
  }
}

/**
 * @param raw commander's `opts()`: camelCased long name → string (last occurrence) or string[] (lists)
 * @param env the environment for flags with `env`; empty values count as unset
 */
export function buildOptions(flags: readonly FlagDef[], raw: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): BuiltOptions {
  const options: Record<string, unknown> = {};
  const given: GivenFlag[] = [];
  for (const def of flags) {
    const key = camelCase(def.name);
    const r = raw[key];
    const secret = def.secret === true;
    if (def.type === 'strings') {
      const list = Array.isArray(r) ? r.map(String) : r === undefined ? [] : [String(r)];
      options[key] = list;
      if (list.length > 0) given.push({ name: def.name, values: list, source: 'cli', secret });
      continue;
    }
    if (r !== undefined) {
      const text = String(r);
      options[key] = parseFlagValue(def, text);
      given.push({ name: def.name, values: [text], source: 'cli', secret });
      continue;
    }
    const envValue = def.env !== undefined ? env[def.env] : undefined;
    if (def.env !== undefined && envValue !== undefined && envValue !== '') {
      options[key] = parseFlagValue(def, envValue, `$${def.env}`);
      given.push({ name: def.name, values: [envValue], source: 'env', env: def.env, secret });
      continue;
    }
    const value = def.default !== undefined ? parseFlagValue(def, def.default) : typeDefault(def);
    if (value !== undefined) options[key] = value;
  }
  return { options, given };
}

/** `--name=value` strings of the given flags, secrets and URL passwords censored (for --debug). */
export function describeGiven(given: readonly GivenFlag[]): string[] {
  const lines: string[] = [];
  for (const g of given) {
    for (const v of g.values) {
      const shown = g.secret ? CENSORED : censorUrlText(v);
      lines.push(`--${g.name}=${shown}${g.source === 'env' ? ` (from $${g.env})` : ''}`);
    }
  }
  return lines;
}

/** Cross-flag rule helper: exactly one of two booleans. */
export function requireExactlyOne(a: [string, boolean], b: [string, boolean], none: string, both: string): void {
  if (a[1] && b[1]) throw new UsageError(both, { flag: `--${b[0]}` });
  if (!a[1] && !b[1]) throw new UsageError(none, { hint: `pass --${a[0]} or --${b[0]}` });
}
