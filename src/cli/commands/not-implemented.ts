// Placeholder behaviour of the commands not built yet: the flags were parsed and typed by the caller; the target
// group is checked here without prompting (missing --target or user are reported as they will be), then
// `vic-machine <command>: not implemented yet`, exit 2.
import type { CommandContext } from '../context.js';
import { NotImplementedError } from '../errors.js';
import type { TargetFlags } from '../options.js';

export async function notImplemented(options: TargetFlags, ctx: CommandContext): Promise<never> {
  const { resolveTarget } = await import('../target.js');
  await resolveTarget(options, { ...ctx, interactive: false }, { passwordOptional: true });
  throw new NotImplementedError(ctx.command);
}
