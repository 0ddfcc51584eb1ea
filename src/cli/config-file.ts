// `--config vch.yaml` (create, configure; not in vic-machine 1.5): a YAML mapping of flags, the file `inspect config
// --format yaml` writes, so that a runbook keeps one file per VCH. Loaded only when --config is given (it pulls in the
// yaml package). What it accepts, and why:
//   - keys are long flag names only (`image-store`, not `i` or `imageStore`): one spelling per setting, so that two
//     files can be compared line by line; an alias or a near miss is refused naming the long name;
//   - a repeatable flag takes a list (a single value is a list of one); any other flag takes one scalar;
//   - scalars are kept as written (`0123` stays `0123`, `True` is Go's true), then typed by the flag's own parser,
//     so a bad value gets the same message as on the command line, plus the file and key;
//   - `key:` with no value is refused (write `key: ""` for an empty value, which configure reads as "clear");
//   - configure ignores, with one warning, the keys that are create flags it cannot change (`bridge-network`,
//     `image-store`, ...), so that the same file serves both commands; and, with another warning, the keys that say
//     how the certificates were made (`tls-cname`, `organization`, `no-tlsverify`, ...): in a file they describe the
//     VCH, but configure takes them as a request for new certificates, which must be asked for on the command line.
// The file's values come after the command line and $VIC_MACHINE_* (src/cli/flags/build.ts applies them).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import type { FileValues } from './flags/build.js';
import { CREATE_FLAGS } from './flags/commands.js';
import { closest } from './flags/suggest.js';
import type { FlagDef } from './flags/types.js';

export interface ConfigFile extends FileValues {
  /** lines for `Warning:` (ignored keys, a readable file holding a password) */
  warnings: string[];
}

/** Flags that make no sense in a file: the file itself, and -x (help). */
const NOT_IN_FILE = new Set(['config', 'extended-help']);

/** Keys configure would read as "make new certificates" (src/vic/configure/request.ts certificatesRequested). */
const CERTIFICATE_REQUEST = new Set(['tls-cname', 'organization', 'no-tlsverify', 'tls-server-cert', 'tls-server-key', 'tls-cert-path', 'certificate-key-size']);

interface Problem {
  line: number;
  text: string;
}

/**
 * Parses the text of a --config file for a command with `flags`. `file` names it in messages. Throws one UsageError
 * (flag `--config`) listing every problem with its line.
 */
export async function parseConfigFile(text: string, file: string, flags: readonly FlagDef[], command: string): Promise<ConfigFile> {
  const YAML = await import('yaml');
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : 0;
  };
  const fail = (problems: readonly Problem[]): never => {
    const where = (p: Problem): string => (p.line ? `${file}:${p.line}: ${p.text}` : `${file}: ${p.text}`);
    throw new UsageError(problems.map(where).join('; '), {
      code: 'config-file-invalid', flag: '--config',
      hint: `keys are the long flag names of 'vic-machine ${command} --help', with lists for repeatable flags`,
    });
  };
  if (doc.errors.length > 0) {
    fail(doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 0, text: `not valid YAML: ${e.message.split('\n')[0]}` })));
  }
  const out: Record<string, string[]> = {};
  if (doc.contents === null || (YAML.isScalar(doc.contents) && doc.contents.value === null)) return { file, values: out, warnings: [] };
  if (!YAML.isMap(doc.contents)) fail([{ line: lineOf(doc.contents), text: 'expected a mapping of flag names to values (`image-store: datastore1`)' }]);
  const map = doc.contents as import('yaml').YAMLMap;

  const byName = new Map(flags.filter((f) => !NOT_IN_FILE.has(f.name)).map((f) => [f.name, f]));
  const aliasOf = new Map(flags.flatMap((f) => (f.aliases ?? []).map((a) => [a, f.name] as const)));
  const createOnly = command === 'configure' ? new Set(CREATE_FLAGS.map((f) => f.name).filter((n) => !byName.has(n) && !NOT_IN_FILE.has(n))) : new Set<string>();
  const problems: Problem[] = [];
  const ignored: string[] = [];
  const certificateKeys: string[] = [];

  /** A scalar as written; numbers and booleans by their source text, so nothing is reformatted. */
  const scalarText = (node: unknown, key: string): string | undefined => {
    if (!YAML.isScalar(node)) {
      problems.push({ line: lineOf(node), text: `"${key}" takes ${YAML.isMap(node) ? 'a value, not a mapping' : 'plain values'}` });
      return undefined;
    }
    if (node.value === null) {
      problems.push({ line: lineOf(node), text: `"${key}" has no value (write ${key}: "" for an empty one)` });
      return undefined;
    }
    if (typeof node.value === 'string') return node.value;
    return node.source ?? String(node.value);
  };

  for (const item of map.items) {
    const keyNode = item.key;
    const line = lineOf(keyNode);
    const key = YAML.isScalar(keyNode) ? String(keyNode.value) : '';
    const def = byName.get(key);
    if (def && command === 'configure' && CERTIFICATE_REQUEST.has(key)) {
      certificateKeys.push(`--${key}`);
      continue;
    }
    if (!def) {
      if (createOnly.has(key)) {
        ignored.push(`--${key}`);
        continue;
      }
      const long = aliasOf.get(key);
      const near = long ?? closest(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), byName.keys());
      const why = NOT_IN_FILE.has(key) ? `"${key}" cannot be set in a file` : long ? `"${key}" is an alias: write "${long}"` : `unknown key "${key}"`;
      problems.push({ line, text: long || !near ? why : `${why} (did you mean "${near}"?)` });
      continue;
    }
    const value = item.value;
    if (def.type === 'strings') {
      const nodes = YAML.isSeq(value) ? value.items : [value];
      const values = nodes.map((n) => scalarText(n, key)).filter((v): v is string => v !== undefined);
      if (values.length === nodes.length) out[key] = values;
      continue;
    }
    if (YAML.isSeq(value)) {
      problems.push({ line: lineOf(value), text: `"${key}" takes one value, not a list` });
      continue;
    }
    const v = scalarText(value, key);
    if (v !== undefined) out[key] = [v];
  }
  if (problems.length > 0) fail(problems);
  const warnings: string[] = [];
  if (ignored.length > 0) warnings.push(`Ignoring create-only settings in ${file} that configure cannot change: ${ignored.join(', ')}`);
  if (certificateKeys.length > 0) {
    warnings.push(`Ignoring ${certificateKeys.join(', ')} in ${file}: configure makes new certificates only when they are given on the command line`);
  }
  return { file, values: out, warnings };
}

/**
 * Reads `--config <file>` (relative to `cwd`) for a command. A missing or unreadable file is a usage error naming the
 * flag; a file holding a secret (a password) that other users can read gets a warning.
 */
export async function readConfigFile(file: string, cwd: string, flags: readonly FlagDef[], command: string): Promise<ConfigFile> {
  if (file === '') throw new UsageError('--config needs a file name', { code: 'flag-value-missing', flag: '--config' });
  const full = path.resolve(cwd, file);
  let text: string;
  let mode: number;
  try {
    text = fs.readFileSync(full, 'utf8');
    mode = fs.statSync(full).mode;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read --config file ${file}: ${why}`, { code: 'file-unreadable', flag: '--config' });
  }
  const parsed = await parseConfigFile(text, file, flags, command);
  const secrets = flags.filter((f) => f.secret && parsed.values[f.name] !== undefined).map((f) => `--${f.name}`);
  if (secrets.length > 0 && (mode & 0o077) !== 0 && process.platform !== 'win32') {
    parsed.warnings.push(`${file} holds ${secrets.join(', ')} and other users can read it (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): chmod 600 ${file}`);
  }
  return parsed;
}
