// Commander's raw values (strings, lists of strings) → the typed options object of a command: each value parsed by
// its flag type, environment variables applied when the flag is not on the command line, then a --config file's
// values (src/cli/config-file.ts), then defaults. Precedence: command line > $VIC_MACHINE_* > --config file > default.
import { UsageError } from '../errors.js';
import { camelCase, CENSORED, censorUrlText, type FlagDef, parseFlagValue } from './types.js';

/** A flag the user set, on the command line or through its environment variable, in definition order. */
export interface GivenFlag {
  /** long name without dashes */
  name: string;
  /** raw values as given (one per occurrence for lists; the last one for others) */
  values: string[];
  source: 'cli' | 'env' | 'file';
  /** the variable, when source is env */
  env?: string;
  /** the --config file, when source is file */
  file?: string;
  secret: boolean;
}

/** Flag values read from a --config file: long flag name → raw values (one per list item). */
export interface FileValues {
  /** the file as named on the command line (for messages) */
  file: string;
  values: Readonly<Record<string, readonly string[]>>;
}

/** Flags the CLI reads itself rather than settings of the command: never part of `given` (create does not record them). */
const META_FLAGS = new Set(['config']);

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
 * @param file values of a --config file, used for flags neither the command line nor the environment set; a list
 *   flag on the command line replaces the file's list (it does not add to it)
 */
export function buildOptions(flags: readonly FlagDef[], raw: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>,
  file?: FileValues): BuiltOptions {
  const options: Record<string, unknown> = {};
  const given: GivenFlag[] = [];
  const note = (g: GivenFlag): void => {
    if (!META_FLAGS.has(g.name)) given.push(g);
  };
  for (const def of flags) {
    const key = camelCase(def.name);
    const r = raw[key];
    const secret = def.secret === true;
    const fromFile = file?.values[def.name];
    if (def.type === 'strings') {
      const list = Array.isArray(r) ? r.map(String) : r === undefined ? [] : [String(r)];
      if (list.length === 0 && fromFile) {
        options[key] = [...fromFile];
        note({ name: def.name, values: [...fromFile], source: 'file', file: file!.file, secret });
        continue;
      }
      options[key] = list;
      if (list.length > 0) note({ name: def.name, values: list, source: 'cli', secret });
      continue;
    }
    if (r !== undefined) {
      const text = String(r);
      options[key] = parseFlagValue(def, text);
      note({ name: def.name, values: [text], source: 'cli', secret });
      continue;
    }
    const envValue = def.env !== undefined ? env[def.env] : undefined;
    if (def.env !== undefined && envValue !== undefined && envValue !== '') {
      options[key] = parseFlagValue(def, envValue, `$${def.env}`);
      note({ name: def.name, values: [envValue], source: 'env', env: def.env, secret });
      continue;
    }
    if (fromFile !== undefined && fromFile.length > 0) {
      const text = fromFile[fromFile.length - 1]!;
      options[key] = parseFlagValue(def, text, `${file!.file}, key ${def.name}`);
      note({ name: def.name, values: [text], source: 'file', file: file!.file, secret });
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
      const from = g.source === 'env' ? ` (from $${g.env})` : g.source === 'file' ? ` (from ${g.file})` : '';
      lines.push(`--${g.name}=${shown}${from}`);
    }
  }
  return lines;
}

/** Cross-flag rule helper: exactly one of two booleans. */
export function requireExactlyOne(a: [string, boolean], b: [string, boolean], none: string, both: string): void {
  if (a[1] && b[1]) throw new UsageError(both, { code: 'flags-conflict', flag: `--${b[0]}` });
  if (!a[1] && !b[1]) throw new UsageError(none, { code: 'required-flag-missing', hint: `pass --${a[0]} or --${b[0]}` });
}
