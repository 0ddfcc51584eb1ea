// vic-machine's commands in the original's order (reference §0.1): name, description, flags, and a loader that
// imports the implementation (src/cli/commands/<name>.ts) only when the command runs.
import { type CommandSpec, INSPECT_CONFIG_FORMATS } from './command-spec.js';
import type { CommandContext } from './context.js';
import { UsageError } from './errors.js';
import {
  CONFIGURE_FLAGS, CREATE_FLAGS, DEBUG_FLAGS, DELETE_FLAGS, INSPECT_CONFIG_FLAGS, INSPECT_FLAGS, LS_FLAGS, UPDATE_FIREWALL_FLAGS,
  UPDATE_FLAGS, UPGRADE_FLAGS, VERSION_FLAGS,
} from './flags/commands.js';
import type { FlagDef } from './flags/types.js';
import type { InspectConfigOptions, UpdateFirewallOptions } from './options.js';

export { HELP_COMMAND_DESCRIPTION, INSPECT_CONFIG_FORMATS } from './command-spec.js';
export type { CommandSpec } from './command-spec.js';

function finalizeInspectConfig(options: Record<string, unknown>, ctx: CommandContext): void {
  const o = options as { format: string } & Partial<InspectConfigOptions>;
  if (!(INSPECT_CONFIG_FORMATS as readonly string[]).includes(o.format)) {
    // the original warns and carries on (reference §1.6)
    ctx.out.warn(`Invalid configuration output format '${o.format}'. Valid options are ${INSPECT_CONFIG_FORMATS.join(', ')}.`);
    ctx.out.warn('Using verbose configuration format');
    o.format = 'verbose';
  }
}

function finalizeFirewall(options: Record<string, unknown>): void {
  const o = options as unknown as UpdateFirewallOptions;
  if (o.allow && o.deny) throw new UsageError('Only one of --allow and --deny can be set', { code: 'flags-conflict', flag: '--deny' });
  if (!o.allow && !o.deny) throw new UsageError('No command selected', { code: 'required-flag-missing', hint: 'pass --allow or --deny' });
}

/** `completion` and its shells take no flags of their own (the global --json, --no-color and --help apply). */
const COMPLETION_FLAGS: readonly FlagDef[] = [];

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'create', description: 'Deploy VCH', flags: CREATE_FLAGS, extendedHelp: true, load: () => import('./commands/create.js') },
  { name: 'configure', description: 'Update VCH configuration', flags: CONFIGURE_FLAGS, extendedHelp: true, load: () => import('./commands/configure.js') },
  { name: 'delete', description: 'Delete VCH and associated resources', flags: DELETE_FLAGS, load: () => import('./commands/delete.js') },
  { name: 'ls', description: 'List VCHs', flags: LS_FLAGS, load: () => import('./commands/ls.js') },
  {
    name: 'inspect', description: 'Inspect VCH', flags: INSPECT_FLAGS, load: () => import('./commands/inspect.js'),
    subcommands: [
      {
        name: 'config', description: 'Show VCH configuration options', flags: INSPECT_CONFIG_FLAGS,
        load: () => import('./commands/inspect-config.js'), finalize: finalizeInspectConfig,
      },
    ],
  },
  { name: 'upgrade', description: 'Upgrade VCH to latest version', flags: UPGRADE_FLAGS, load: () => import('./commands/upgrade.js') },
  { name: 'version', description: 'Show VIC version information', flags: VERSION_FLAGS, load: () => import('./commands/version.js') },
  { name: 'debug', description: 'Debug VCH', flags: DEBUG_FLAGS, load: () => import('./commands/debug.js') },
  {
    name: 'update', description: 'Modify infrastructure configuration', flags: UPDATE_FLAGS,
    subcommands: [
      {
        name: 'firewall', description: 'Modify host firewall', flags: UPDATE_FIREWALL_FLAGS,
        load: () => import('./commands/update-firewall.js'), finalize: finalizeFirewall,
      },
    ],
  },
  // not in vic-machine 1.5: shell completion scripts generated from these definitions (src/cli/completion/)
  {
    name: 'completion', description: 'Print a shell completion script for bash or zsh', flags: COMPLETION_FLAGS,
    subcommands: [
      {
        name: 'bash', description: 'Print the bash completion script', flags: COMPLETION_FLAGS, localOnly: true,
        load: async () => (await import('./commands/completion.js')).completionCommand('bash', COMMANDS),
      },
      {
        name: 'zsh', description: 'Print the zsh completion script', flags: COMPLETION_FLAGS, localOnly: true,
        load: async () => (await import('./commands/completion.js')).completionCommand('zsh', COMMANDS),
      },
    ],
  },
];


/** Every command with its full name (`inspect config`), depth first, in order. */
export function allCommands(specs: readonly CommandSpec[] = COMMANDS, prefix = ''): Array<{ path: string; spec: CommandSpec }> {
  const out: Array<{ path: string; spec: CommandSpec }> = [];
  for (const spec of specs) {
    const path = prefix ? `${prefix} ${spec.name}` : spec.name;
    out.push({ path, spec });
    if (spec.subcommands) out.push(...allCommands(spec.subcommands, path));
  }
  return out;
}

/** long name / alias → the commands that have it (for "--x is a flag of 'create'" hints) */
export function flagOwners(): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const { path, spec } of allCommands()) {
    for (const def of spec.flags) {
      for (const n of [def.name, ...(def.aliases ?? [])]) {
        const list = owners.get(n) ?? [];
        list.push(path);
        owners.set(n, list);
      }
    }
  }
  return owners;
}
