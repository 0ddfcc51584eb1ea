// What upgrade and configure share around the maintenance frame: `--reset-progress` (clear the lock, say what was
// cleared) and the frame's leveled log lines on the command's output.
import type { CommandContext, CommandResult } from './context.js';
import type { Session } from '../vim/session.js';
import type { MoRef } from '../vim/types.js';

export function maintenanceLog(ctx: CommandContext): (level: 'info' | 'warn', message: string) => void {
  return (level, m) => (level === 'warn' ? ctx.out.warn(m) : ctx.out.info(m));
}

/** `--reset-progress`: clears the VCH's upgrade/configure lock and reports whose it was. */
export async function resetProgress(ctx: CommandContext, session: Session, vch: { id: string; name: string; ref: MoRef; extraConfig: Readonly<Record<string, string>> }): Promise<CommandResult> {
  const { resetLock } = await import('../vic/maintenance/lock.js');
  const said = await resetLock(session, vch.ref, vch.extraConfig);
  ctx.out.info(said);
  return { data: { id: vch.id, name: vch.name, reset: said }, text: said };
}
