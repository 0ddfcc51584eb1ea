// The prologue the commands about one VCH share (reference §5: credentials → banner → login → `Validating target` →
// locate the VCH by --id or --name within --compute-resource): one function, so that debug and configure say and do
// the same. The session is logged out when the command ends, whatever the outcome.
import type { CommandContext } from './context.js';
import type { ComputeFlags, TargetFlags } from './options.js';
import type { ResolvedTarget } from './resolved-target.js';
import { packageVersion } from './version.js';
import type { Session } from '../vim/session.js';
import type { Located } from '../vic/vch/locate.js';

export interface OpenedVch extends Located {
  target: ResolvedTarget;
  session: Session;
}

export async function openVch(options: TargetFlags & ComputeFlags & { id: string }, ctx: CommandContext, banner: string,
  extraPaths?: Partial<Record<string, string[]>>): Promise<OpenedVch> {
  const { resolveTarget } = await import('./target.js');
  const { openSession } = await import('../vic/vch/connect.js');
  const { locateVch } = await import('../vic/vch/locate.js');
  const target = await resolveTarget(options, ctx);
  ctx.out.info(banner);
  const session = await openSession(target, `vic-machine/${packageVersion()}`);
  ctx.onCleanup(() => session.logout());
  ctx.out.info('Validating target');
  const located = await locateVch(session, {
    datacenterPath: target.datacenterPath, computeResource: options.computeResource, id: options.id, name: options.name,
    ...(extraPaths ? { extraPaths } : {}), log: (l) => ctx.out.info(l),
  });
  ctx.out.info(`VCH ID: VirtualMachine:${located.vch.id}`);
  return { ...located, target, session };
}
