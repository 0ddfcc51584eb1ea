// `vic-machine inspect config`: the create flags that reproduce a VCH (src/vic/vch/inspect-config.ts), in create's
// flag order, on stdout:
//   verbose (default)  the original's block: a heading, then one `--flag=value` per line, tab-indented
//   raw                one line, the flags separated by spaces; values that a shell would split are quoted
//   yaml               a mapping of long flag names to values (lists for repeated flags), for `create --config`
//   json               the VCH model of vic-machine-server (src/vic/spec/vch-model.ts), what the REST API takes
// All four are written from the VCH's specification (src/vic/vch/inspect-config.ts vchSpecOf) and read back into it.
// With --json: { id, name, options: [{ flag, value }], args: ["--flag=value", ...] }.
import type { CommandContext, CommandResult } from '../context.js';
import { CREATE_FLAGS } from '../flags/commands.js';
import type { InspectConfigOptions } from '../options.js';
import { packageVersion } from '../version.js';

type Flag = { flag: string; value: string };

/** create's flag order (the help order and the order 1.5 prints them in). */
function inCreateOrder(flags: readonly Flag[]): Flag[] {
  const rank = new Map<string, number>(CREATE_FLAGS.map((f, n) => [f.name, n]));
  return flags.map((f, n) => ({ f, n })).sort((a, b) => (rank.get(a.f.flag) ?? 999) - (rank.get(b.f.flag) ?? 999) || a.n - b.n).map((x) => x.f);
}

/** Quotes a value for a POSIX shell when it holds anything but safe characters. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const TYPE_OF = new Map<string, string>(CREATE_FLAGS.map((f) => [f.name, f.type]));

/** A value as YAML writes it best: booleans and integers unquoted where the flag's type is one, text otherwise. */
function yamlValue(flag: string, value: string): unknown {
  const type = TYPE_OF.get(flag);
  if ((type === 'bool' || type === 'opt-bool') && (value === 'true' || value === 'false')) return value === 'true';
  if ((type === 'int' || type === 'opt-int') && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

async function toYaml(name: string, id: string, flags: readonly Flag[], registryCas: number): Promise<string> {
  const YAML = await import('yaml');
  const doc: Record<string, unknown> = {};
  for (const { flag, value } of flags) {
    if (TYPE_OF.get(flag) === 'strings') ((doc[flag] ??= []) as unknown[]).push(value);
    else doc[flag] = yamlValue(flag, value);
  }
  const opsUser = flags.some((f) => f.flag === 'ops-user');
  const head = `# vic-machine create --config: the flags that reproduce VCH "${name}" (${id}), written by vic-machine ${packageVersion()}\n` +
    `# inspect config. Credentials are not part of it: pass --user and --password (or VIC_MACHINE_PASSWORD)${opsUser ? ', and --ops-password' : ''}.\n` +
    // --registry-ca takes files; the VCH holds the certificates themselves, which only the VCH model carries
    (registryCas ? `# The VCH trusts ${registryCas} registry CA certificate${registryCas > 1 ? 's' : ''}, not written here (--registry-ca takes files):\n` +
      '# `inspect config --format json` holds them (registry.certificate_authorities); save them and add --registry-ca <file>.\n' : '');
  return head + YAML.stringify(doc);
}

export async function run(options: InspectConfigOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { openSession } = await import('../../vic/vch/connect.js');
  const { locateVch } = await import('../../vic/vch/locate.js');
  const { readVchSpec, versionText } = await import('../../vic/vch/read-spec.js');
  const { createFlagsOf } = await import('../../vic/spec/flags.js');
  const t = await resolveTarget(options, ctx);
  ctx.out.info('### Inspecting VCH ####');
  const { withinTimeout } = await import('../deadline.js');
  const { session, vch, inspected, config } = await withinTimeout({ ms: options.timeout, what: 'Inspect', signal: ctx.signal, phase: () => ctx.out.lastInfo }, async () => {
    const session = await openSession(t, `vic-machine/${packageVersion()}`);
    ctx.onCleanup(() => session.logout());
    ctx.out.info('Validating target');
    const { scope, vch } = await locateVch(session, {
      datacenterPath: t.datacenterPath, computeResource: options.computeResource, id: options.id, name: options.name,
      log: (l) => ctx.out.info(l),
    });
    const { config, ...inspected } = await readVchSpec(session, scope, vch);
    return { session, vch, inspected, config };
  });
  await session.logout();
  if (options.format === 'json') {
    const { vchModelOf } = await import('../../vic/spec/vch-model.js');
    const model = vchModelOf(inspected.spec, { ...(config.executorConfig.version?.version ? { version: versionText(config.executorConfig.version) } : {}) });
    return { data: model, text: JSON.stringify(model, null, 2) };
  }
  const flags = inCreateOrder([
    ...(inspected.target ? [{ flag: 'target', value: inspected.target }] : []),
    ...(inspected.thumbprint ? [{ flag: 'thumbprint', value: inspected.thumbprint }] : []),
    ...createFlagsOf(inspected.spec),
  ]);
  const args = flags.map(({ flag, value }) => `--${flag}=${value}`);
  const data = { id: vch.id, name: vch.name, options: flags, args };
  if (options.format === 'yaml') return { data, text: await toYaml(vch.name, vch.id, flags, inspected.spec.registry.certificateAuthorities.length) };
  if (options.format === 'raw') return { data, text: flags.map(({ flag, value }) => `--${flag}=${shellWord(value)}`).join(' ') };
  return { data, text: `The target VCH is configured with the following options:\n\n${args.map((a) => `\t${a}`).join('\n')}\n` };
}
