// Entry point (bin/vic-machine imports dist/cli/main.js). Eagerly loaded: commander, the flag definitions, output and
// errors. A command's implementation is imported inside its action; inquirer only when a password must be prompted.
//
// Flow: top-level flags (--help, --version, --json, --no-color) → command path (`inspect config`, `help <cmd>`) →
// flags/normalise (Go flag syntax → `--long=value`) → commander parse → flags/build (typed options, env, defaults)
// → the command's finalize() → `await import('./commands/<name>.js')` → run(options, ctx) → result on stdout.
import { type Command, CommanderError } from 'commander';
import type { CommandContext, CommandModule, CommandResult } from './context.js';
import { CliError, toCliError, UsageError, type UsageCode } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { ConfigFile } from './config-file.js';
import { buildOptions, describeGiven, type GivenFlag } from './flags/build.js';
import { GLOBAL_FLAGS, HELP_FLAG } from './flags/groups.js';
import { type NormalisedArgs, normaliseArgs } from './flags/normalise.js';
import { closest } from './flags/suggest.js';
import { parseGoBool } from './flags/types.js';
import { Output, shouldUseColor, type TextStream } from './output.js';
import { buildProgram, extendedHelpText, findCommand, PROGRAM_NAME } from './program.js';
import { COMMANDS, type CommandSpec, flagOwners } from './registry.js';
import { promptPassword } from './prompt.js';
import { packageVersion, versionLine } from './version.js';
import { Redactor } from './redact.js';
import { SecretSet, withSecrets } from '../vim/secrets.js';
import { logFileFor, RunLog, runSecrets } from './run-log.js';

/** The usage code of an error commander reports itself (its own codes are "commander.<what>"). */
function commanderCode(code: string): UsageCode {
  switch (code) {
    case 'commander.unknownOption': return 'unknown-flag';
    case 'commander.unknownCommand': return 'unknown-command';
    case 'commander.excessArguments': return 'unexpected-argument';
    case 'commander.missingArgument': case 'commander.optionMissingArgument': case 'commander.missingMandatoryOptionValue': return 'flag-value-missing';
    case 'commander.conflictingOption': return 'flags-conflict';
    default: return 'flag-value-invalid';
  }
}

export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  stdin: { isTTY?: boolean | undefined };
  env: Record<string, string | undefined>;
  cwd: string;
  /** masked prompt; the default uses inquirer on stderr */
  promptPassword: (message: string) => Promise<string>;
  /** install a SIGINT handler while a command runs (the default when io is not injected) */
  handleSignals: boolean;
  /** after SIGINT/SIGTERM, how long the cleanups wait for the command to undo its work (default 5 minutes) */
  interruptGraceMs?: number;
}

interface Globals {
  json: boolean;
  noColor: boolean;
}

/** --json / --no-color anywhere before `--`, for reporting errors that happen before the arguments are parsed. */
function prescanGlobals(argv: readonly string[]): Globals {
  const g: Globals = { json: false, noColor: false };
  for (const a of argv) {
    if (a === '--') break;
    const m = /^--?(json|no-color)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const v = m[2] === undefined ? true : parseGoBool(m[2]) ?? false;
    if (m[1] === 'json') g.json = v;
    else g.noColor = v;
  }
  return g;
}

type Route =
  | { kind: 'program-help'; globals: Globals }
  | { kind: 'version'; globals: Globals }
  | { kind: 'command'; spec: CommandSpec; path: string[]; rest: string[]; help: boolean; extendedHelp?: boolean; globals: Globals };

const TOP_LEVEL = ['help', 'h', 'version', 'v', 'json', 'no-color'];

function findSpec(specs: readonly CommandSpec[], name: string): CommandSpec | undefined {
  return specs.find((s) => s.name === name);
}

function route(argv: readonly string[]): Route {
  const globals: Globals = { json: false, noColor: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    const body = t.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const value = eq >= 0 ? parseGoBool(body.slice(eq + 1)) : true;
    if (!TOP_LEVEL.includes(name)) {
      const near = closest(name, ['help', 'version', 'json', 'no-color']);
      const owners = flagOwners().get(name);
      const cmd = argv.find((a) => COMMANDS.some((c) => c.name === a)) ?? owners?.[0];
      const hint = near ? `did you mean --${near}?` : owners ? `command flags go after the command, e.g. '${PROGRAM_NAME} ${cmd} ${t}'` : undefined;
      throw new UsageError(`flag provided but not defined: ${t.split('=')[0]}`, { code: 'unknown-flag', hint });
    }
    if (value === undefined) throw new UsageError(`invalid boolean value in ${t}: use --${name} or --${name}=true|false`, { code: 'flag-value-invalid', flag: `--${name}` });
    if (!value) continue;
    if (name === 'help' || name === 'h') return { kind: 'program-help', globals };
    if (name === 'version' || name === 'v') return { kind: 'version', globals };
    if (name === 'json') globals.json = true;
    if (name === 'no-color') globals.noColor = true;
  }
  if (i >= argv.length) return { kind: 'program-help', globals };

  let help = false;
  let name = argv[i++]!;
  if (name === 'help' || name === 'h') {
    help = true;
    // `help` alone, `help help` and `help --help` show the list of commands
    while (i < argv.length && ['help', 'h', '--help', '-h'].includes(argv[i]!)) i++;
    if (i >= argv.length) return { kind: 'program-help', globals };
    name = argv[i++]!;
  }
  let spec = findSpec(COMMANDS, name);
  if (!spec) {
    const near = closest(name, [...COMMANDS.map((c) => c.name), 'help']);
    throw new UsageError(`unknown command '${name}'`, { code: 'unknown-command', hint: near ? `did you mean '${near}'?` : `run '${PROGRAM_NAME} --help' for the list of commands` });
  }
  const path = [name];
  while (spec.subcommands && i < argv.length) {
    const t = argv[i]!;
    if (t === 'help' || t === 'h') {
      help = true;
      i++;
      continue;
    }
    const sub = findSpec(spec.subcommands, t);
    if (!sub) break;
    spec = sub;
    path.push(t);
    i++;
  }
  if (help) return { kind: 'command', spec, path, rest: [], help, extendedHelp: helpTail(spec, path, argv.slice(i)), globals };
  return { kind: 'command', spec, path, rest: argv.slice(i), help, globals };
}

/**
 * What follows `help <command>`: `-x`/`--extended-help` asks for the extended help (create, configure); a word is a
 * subcommand that does not exist (`help inspect nosuch`), refused with the nearest one rather than ignored.
 */
function helpTail(spec: CommandSpec, path: readonly string[], tail: readonly string[]): boolean {
  let extended = false;
  for (const t of tail) {
    if (t === '--') break;
    if (!t.startsWith('-')) {
      const subs = spec.subcommands?.map((s) => s.name) ?? [];
      const near = closest(t, subs);
      const hint = near ? `did you mean '${PROGRAM_NAME} help ${path.join(' ')} ${near}'?`
        : subs.length ? `'${path.join(' ')}' has the subcommand${subs.length > 1 ? 's' : ''} ${subs.join(', ')}`
          : `'${path.join(' ')}' has no subcommands`;
      throw new UsageError(`unknown command '${[...path, t].join(' ')}'`, { code: 'unknown-command', hint });
    }
    const m = /^--?(x|extended-help)(?:=(.*))?$/.exec(t);
    if (!m) continue; // other flags do not change the help
    if (!spec.extendedHelp) {
      throw new UsageError(`flag provided but not defined: ${t.split('=')[0]}`, { code: 'unknown-flag', hint: `extended help is for ${COMMANDS.filter((c) => c.extendedHelp).map((c) => c.name).join(' and ')}` });
    }
    extended = m[2] === undefined ? true : parseGoBool(m[2]) ?? false;
  }
  return extended;
}

function normaliseFor(r: Extract<Route, { kind: 'command' }>): NormalisedArgs {
  return normaliseArgs(r.rest, [...r.spec.flags, ...GLOBAL_FLAGS, HELP_FLAG], {
    command: r.path.join(' '),
    flagsOfOtherCommands: flagOwners(),
    subcommands: r.spec.subcommands?.map((s) => s.name),
  });
}

/** The --config file of create or configure, read when the flag is given (the yaml package is loaded only then). */
async function configFileOf(spec: CommandSpec, path: string, raw: Readonly<Record<string, unknown>>, cwd: string): Promise<ConfigFile | undefined> {
  if (raw.config === undefined || !spec.flags.some((f) => f.name === 'config')) return undefined;
  const { readConfigFile } = await import('./config-file.js');
  return readConfigFile(String(raw.config), cwd, spec.flags, path);
}

export interface ParsedCommand {
  /** `create`, `inspect config`, ... */
  path: string;
  /** the typed options run() would receive (e.g. CreateOptions for create) */
  options: Record<string, unknown>;
  given: GivenFlag[];
  /** warnings finalize() printed (e.g. an invalid inspect config --format) */
  warnings: string[];
}

/**
 * Parses a command line exactly as main() does, without running the command: the typed options, or undefined for
 * help, -x, version output and `update` alone. Throws the UsageError main() would report. For tests and tools.
 */
export async function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = {}, cwd = process.cwd()): Promise<ParsedCommand | undefined> {
  const r = route(argv);
  if (r.kind !== 'command' || r.help) return undefined;
  const norm = normaliseFor(r);
  if (norm.help) return undefined;
  const sink: TextStream = { write: () => true };
  let captured: { spec: CommandSpec; path: string; cmd: Command } | undefined;
  const program = buildProgram({ stdout: sink, stderr: sink }, async (spec, path, cmd) => {
    captured = { spec, path, cmd };
  });
  await program.parseAsync([...r.path, ...norm.args], { from: 'user' });
  if (!captured || !captured.spec.load) return undefined;
  const { spec, path, cmd } = captured;
  const raw = cmd.opts<Record<string, unknown>>();
  if (spec.extendedHelp && raw.extendedHelp !== undefined && parseGoBool(String(raw.extendedHelp))) return undefined;
  const file = await configFileOf(spec, path, raw, cwd);
  const { options, given } = buildOptions(spec.flags, raw, env, file);
  const warnings: string[] = [];
  const out = new Output(sink, { write: (s: string) => warnings.push(s.replace(/^Warning: |\n$/g, '')) }, { json: false, color: false });
  for (const w of file?.warnings ?? []) out.warn(w);
  const ctx: CommandContext = {
    command: path, out, env, cwd, signal: new AbortController().signal, given, interactive: false,
    promptPassword: () => Promise.reject(new Error('no prompt in parseArgs')), onCleanup: () => undefined,
  };
  spec.finalize?.(options, ctx);
  return { path, options, given, warnings };
}

/**
 * Runs vic-machine with `argv` (the arguments after the program name) and returns the exit status. Never calls
 * process.exit; all output goes to io.stdout / io.stderr.
 */
export async function main(argv: readonly string[], ioIn: Partial<CliIo> = {}): Promise<number> {
  const stdout = ioIn.stdout ?? process.stdout;
  const stderr = ioIn.stderr ?? process.stderr;
  const env = ioIn.env ?? process.env;
  const io: CliIo = {
    stdout,
    stderr,
    env,
    stdin: ioIn.stdin ?? process.stdin,
    cwd: ioIn.cwd ?? process.cwd(),
    promptPassword: ioIn.promptPassword ?? ((m) => promptPassword(m, stderr)),
    handleSignals: ioIn.handleSignals ?? (ioIn.stdout === undefined && ioIn.stderr === undefined),
    ...(ioIn.interruptGraceMs !== undefined ? { interruptGraceMs: ioIn.interruptGraceMs } : {}),
  };
  const early = prescanGlobals(argv);
  const out = new Output(stdout, stderr, {
    json: early.json,
    color: shouldUseColor({ stream: stderr, env, noColorFlag: early.noColor, json: early.json }),
    programName: PROGRAM_NAME,
  });
  let commandPath: string | undefined;
  let exitCode: number = ExitCode.Ok;

  const onAction = async (spec: CommandSpec, path: string, cmd: Command): Promise<void> => {
    exitCode = await runAction(spec, path, cmd, io, out);
  };

  try {
    const r = route(argv);
    const program = buildProgram({ stdout, stderr }, onAction);
    if (r.kind === 'program-help') {
      program.outputHelp();
      return ExitCode.Ok;
    }
    if (r.kind === 'version') {
      out.result({ name: PROGRAM_NAME, version: packageVersion() }, versionLine());
      return ExitCode.Ok;
    }
    commandPath = r.path.join(' ');
    if (r.help) {
      const cmd = findCommand(program, r.path)!;
      if (r.extendedHelp) out.raw(extendedHelpText(cmd));
      else cmd.outputHelp();
      return ExitCode.Ok;
    }
    const norm = normaliseFor(r);
    const globals = { ...r.globals };
    for (const o of norm.occurrences) {
      if (o.def.name === 'json') globals.json = parseGoBool(o.value) ?? false;
      if (o.def.name === 'no-color') globals.noColor = parseGoBool(o.value) ?? false;
    }
    out.json = globals.json;
    out.color = shouldUseColor({ stream: stderr, env, noColorFlag: globals.noColor, json: globals.json });
    if (!out.color && env === process.env && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '0'; // for chalk/ora loaded later

    await program.parseAsync([...r.path, ...norm.args], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return ExitCode.Ok; // help displayed
      const err = new UsageError(e.message.replace(/^error: /, ''), { code: commanderCode(e.code) });
      out.failure(err, commandPath);
      return err.exitCode;
    }
    const err = toCliError(e);
    out.failure(err, commandPath);
    return err.exitCode;
  }
}

async function runAction(spec: CommandSpec, path: string, cmd: Command, io: CliIo, out: Output): Promise<number> {
  const raw = cmd.opts<Record<string, unknown>>();
  if (spec.extendedHelp && raw.extendedHelp !== undefined && parseGoBool(String(raw.extendedHelp))) {
    out.raw(extendedHelpText(cmd));
    return ExitCode.Ok;
  }
  if (!spec.load) {
    // `update` alone: the original prints the group's help
    cmd.outputHelp();
    return ExitCode.Ok;
  }
  const file = await configFileOf(spec, path, raw, io.cwd);
  const { options, given } = buildOptions(spec.flags, raw, io.env, file);
  if (typeof options.debug === 'number') out.debugLevel = options.debug;

  // The run's secrets: taken out of text from outside where it enters (the command runs with them as the current ones,
  // src/vim/secrets.ts), and the distinctive ones out of every line (the run's log, stderr, stdout: src/cli/redact.ts).
  const secrets = new SecretSet(runSecrets(given, io.env));
  const redactor = new Redactor(secrets);
  const runLog = new RunLog(redactor, `${PROGRAM_NAME} ${packageVersion()} ${path} ${describeGiven(given).join(' ')}`);
  if (!spec.localOnly) {
    out.tee = (level, message) => runLog.add(level, message);
    out.redact = (s) => redactor.redact(s);
  }
  for (const w of file?.warnings ?? []) out.warn(w);

  const abort = new AbortController();
  const cleanups: Array<() => unknown> = [];
  const ctx: CommandContext = {
    runLog: () => runLog.text(),
    command: path,
    out,
    env: io.env,
    cwd: io.cwd,
    signal: abort.signal,
    given,
    interactive: io.stdin.isTTY === true && io.stdout.isTTY === true,
    // a password typed at a prompt is a secret of the run from then on
    promptPassword: async (message) => {
      const answer = await io.promptPassword(message);
      secrets.add(answer);
      return answer;
    },
    onCleanup: (fn) => void cleanups.push(fn),
  };
  spec.finalize?.(options, ctx);
  for (const line of describeGiven(given)) out.debug(`option ${line}`);

  let interrupts = 0;
  let rejectInterrupted: ((e: Error) => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    rejectInterrupted = reject;
  });
  interrupted.catch(() => undefined);
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    out.warn('Interrupted: cleaning up (press Ctrl-C again to exit at once)');
    const e = new CliError('interrupted', 'interrupted');
    abort.abort(e);
    rejectInterrupted?.(e);
  };
  if (io.handleSignals) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
  }
  let failed: unknown;
  let result: CommandResult | void = undefined;
  let running: Promise<CommandResult | void> | undefined;
  try {
    const mod = (await spec.load()) as CommandModule<Record<string, unknown>>;
    running = withSecrets(secrets, () => mod.run(options, ctx));
    result = await Promise.race([running, interrupted]);
  } catch (e) {
    failed = e;
    // Interrupted: the command saw the abort and is undoing its work (create's rollback, a maintenance revert). That
    // needs the session, so the cleanups (logout) wait for it; a second signal exits at once.
    // Bounded: a command that never returns must not keep the process (io.interruptGraceMs, default 5 minutes).
    if (interrupts > 0 && running) {
      let timer: NodeJS.Timeout | undefined;
      const grace = io.interruptGraceMs ?? 300_000;
      await Promise.race([running.catch(() => undefined), new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          out.warn(`The interrupted command did not finish undoing its work within ${Math.round(grace / 1000)}s; logging out. Check what it left with inspect.`);
          resolve();
        }, grace);
      })]);
      clearTimeout(timer);
    }
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        out.debug(`cleanup failed: ${(e as Error).message}`);
      }
    }
    if (io.handleSignals) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  }
  const logFile = spec.localOnly ? undefined : logFileFor(io.cwd, io.env);
  if (failed !== undefined) {
    const err = toCliError(failed);
    // a Node system error that reached here unwrapped carries outside text (a path, an address, a URL)
    if (failed instanceof Error && typeof (failed as { syscall?: unknown }).syscall === 'string') err.message = secrets.redact(err.message);
    // A usage error is the whole story (no target was contacted): no log file for it.
    const kept = err.type !== 'usage' && err.type !== 'not-implemented' && logFile && runLog.appendTo(logFile) ? logFile : undefined;
    out.failure(err, path, kept);
    if (kept) runLog.appendTo(kept);
    return err.exitCode;
  }
  if (result) out.result(result.data, result.text);
  if (logFile) runLog.appendTo(logFile);
  return ExitCode.Ok;
}
