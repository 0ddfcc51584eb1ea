// `vic-machine version`: `vic-machine version <version>` (the original's `%v version %v`); with --json
// `{"name":"vic-machine","version":"..."}`.
import type { CommandContext, CommandResult } from '../context.js';
import type { VersionOptions } from '../options.js';
import { packageVersion, versionLine } from '../version.js';

export async function run(_options: VersionOptions, ctx: CommandContext): Promise<CommandResult> {
  return { data: { name: ctx.out.programName, version: packageVersion() }, text: versionLine(ctx.out.programName) };
}
