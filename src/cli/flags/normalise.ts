// Go `flag` syntax → commander syntax. vic-machine accepts `-name value`, `--name value`, `-name=value` and
// `--name=value` for every long name and alias (`-bnr`, `--ai`, `-t`), and `--force=true|false` for booleans.
// Commander knows one short and one long name per option, so each command's argv is rewritten, from its flag
// definitions, to canonical `--long=value` tokens before commander parses it. Unknown flags and positional
// arguments are rejected here, with the original's wording where it had one (`Unknown argument: <arg>`).
import { UsageError } from '../errors.js';
import { closest } from './suggest.js';
import { CENSORED, censorUrlText, type FlagDef, isBoolType, parseGoBool } from './types.js';

export interface FlagOccurrence {
  def: FlagDef;
  /** the raw value (`true`/`false` for booleans) */
  value: string;
  /** the token(s) as typed, e.g. `-bnr 10.0.0.0/12`; secrets and URL passwords censored (safe to print) */
  typed: string;
}

export interface NormalisedArgs {
  /** canonical tokens for commander: `--long=value` (booleans `--long=true|false`) and `--help` */
  args: string[];
  occurrences: FlagOccurrence[];
  /** `-h`/`--help` was given */
  help: boolean;
}

export interface NormaliseContext {
  /** the command as the user names it, e.g. `inspect config`, for messages */
  command: string;
  /** other commands' flags by name, to say "--image-store is a flag of create" */
  flagsOfOtherCommands?: ReadonlyMap<string, readonly string[]>;
  /** subcommands of this command (e.g. `firewall` for update), for hints */
  subcommands?: readonly string[];
}

/** Every name (long and aliases, without dashes) → definition. Throws on duplicates (a programming error). */
export function flagIndex(flags: readonly FlagDef[]): Map<string, FlagDef> {
  const index = new Map<string, FlagDef>();
  for (const def of flags) {
    for (const n of [def.name, ...(def.aliases ?? [])]) {
      const prev = index.get(n);
      if (prev && prev !== def) throw new Error(`flag name "${n}" is used by both --${prev.name} and --${def.name}`);
      index.set(n, def);
    }
  }
  return index;
}

/** How a name is spelled in help and hints: `-t` for one letter, `--bnr` otherwise. */
export function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function unknownFlag(typedName: string, token: string, index: Map<string, FlagDef>, ctx: NormaliseContext): UsageError {
  const flag = token.includes('=') ? token.slice(0, token.indexOf('=')) : token;
  let hint: string | undefined;
  const near = closest(typedName, index.keys());
  if (near !== undefined) {
    const def = index.get(near)!;
    hint = near === def.name ? `did you mean --${def.name}?` : `did you mean ${dashed(near)} (--${def.name})?`;
  } else if (ctx.subcommands && ctx.subcommands.length > 0 && ctx.flagsOfOtherCommands?.get(typedName)?.some((c) => ctx.subcommands!.some((sub) => c === `${ctx.command} ${sub}`))) {
    hint = `flags go after the subcommand, e.g. 'vic-machine ${ctx.command} ${ctx.subcommands[0]} ${flag}'`;
  } else {
    const others = ctx.flagsOfOtherCommands?.get(typedName);
    if (others && others.length > 0) {
      const list = others.length > 3 ? `${others.slice(0, 3).map((c) => `'${c}'`).join(', ')}, ...` : others.map((c) => `'${c}'`).join(', ');
      hint = `${dashed(typedName)} is a flag of ${list}, not of '${ctx.command}'`;
    }
  }
  return new UsageError(`flag provided but not defined: ${flag}`, { code: 'unknown-flag', flag, hint });
}

/**
 * Rewrites one command's arguments (everything after the command name) into canonical commander tokens.
 * Go `flag` semantics: a non-boolean flag takes the next argument as its value whatever it looks like
 * (`--password -x` sets "-x"); `--` ends the flags; any other argument is a positional, which no vic-machine
 * command accepts.
 */
export function normaliseArgs(argv: readonly string[], flags: readonly FlagDef[], ctx: NormaliseContext): NormalisedArgs {
  const index = flagIndex(flags);
  const out: NormalisedArgs = { args: [], occurrences: [], help: false };
  let lastBool: FlagDef | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      const extra = argv[i + 1];
      if (extra !== undefined) throw new UsageError(`Unknown argument: ${extra}`, { code: 'unexpected-argument' });
      break;
    }
    if (token === '-' || !token.startsWith('-')) {
      const hint = lastBool && parseGoBool(token) !== undefined
        ? `boolean flags take a value only with '=': --${lastBool.name}=${token}`
        : ctx.subcommands?.length ? `'${ctx.command}' has the subcommand${ctx.subcommands.length > 1 ? 's' : ''} ${ctx.subcommands.join(', ')}` : undefined;
      throw new UsageError(`Unknown argument: ${token}`, { code: 'unexpected-argument', hint });
    }
    const body = token.startsWith('--') ? token.slice(2) : token.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw new UsageError(`bad flag syntax: ${token}`, { code: 'flag-syntax' });
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const def = index.get(name);
    if (!def) throw unknownFlag(name, token, index, ctx);

    if (isBoolType(def.type)) {
      const value = inline ?? 'true';
      if (parseGoBool(value) === undefined) {
        throw new UsageError(`invalid boolean value "${value}" for flag --${def.name}: use --${def.name} or --${def.name}=true|false`, { code: 'flag-value-invalid', flag: `--${def.name}` });
      }
      lastBool = inline === undefined ? def : undefined;
      if (def.name === 'help') {
        if (parseGoBool(value)) {
          out.help = true;
          out.args.push('--help');
        }
        continue;
      }
      out.args.push(`--${def.name}=${value}`);
      out.occurrences.push({ def, value, typed: token });
      continue;
    }
    lastBool = undefined;
    let value: string;
    let typed = token;
    if (inline !== undefined) {
      value = inline;
      typed = def.secret ? `${token.slice(0, token.indexOf('=') + 1)}${CENSORED}` : censorUrlText(token);
    } else if (i + 1 < argv.length) {
      value = argv[++i]!;
      typed = `${token} ${def.secret ? CENSORED : censorUrlText(value)}`;
    } else {
      throw new UsageError(`flag needs an argument: ${token}`, { code: 'flag-value-missing', flag: `--${def.name}` });
    }
    out.args.push(`--${def.name}=${value}`);
    out.occurrences.push({ def, value, typed });
  }
  return out;
}
