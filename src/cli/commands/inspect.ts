// `vic-machine inspect`: not implemented yet. The implementation replaces the body of run(): it receives the typed,
// validated options (see ../options.ts) and the command context (logging, --json result rendering, abort signal,
// cleanups); resolve the target with `(await import('../target.js')).resolveTarget(options, ctx)`.
import type { CommandContext, CommandResult } from '../context.js';
import type { InspectOptions } from '../options.js';
import { notImplemented } from './not-implemented.js';

export async function run(options: InspectOptions, ctx: CommandContext): Promise<CommandResult | void> {
  return notImplemented(options, ctx);
}
