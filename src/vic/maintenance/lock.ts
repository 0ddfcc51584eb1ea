// The upgrade/configure lock: vic-machine 1.5's extraConfig key `UpdateInProgress` ("true" while an upgrade or
// configure runs; 1.5's ls and inspect read it), plus `UpdateInProgressInfo` saying who holds it and since when, which
// 1.5 never recorded and an admin facing a stale lock needs, and `UpdateInProgressSession`, the holder's vSphere
// session: a lock whose session has ended belongs to a run that is gone (killed, its machine lost), and the refusal
// says so (SessionManager.SessionIsActive; where that cannot be asked, ESXi or no privilege, nothing is claimed).
// vSphere has no compare-and-set on extraConfig, so two runs that start in the same second can both take it; the
// snapshot names then collide and the second fails.
import { ReconfigVM_Task, SessionIsActive } from '../../vim/methods.generated.js';
import { VimFault } from '../../vim/faults.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';

export const LOCK_KEY = 'UpdateInProgress';
export const LOCK_INFO_KEY = 'UpdateInProgressInfo';
export const LOCK_SESSION_KEY = 'UpdateInProgressSession';

export interface LockState {
  held: boolean;
  /** "upgrade by admin@host (pid 123) since 2026-11-23T02:55:00Z", when recorded */
  info?: string | undefined;
  /** the holder's vSphere session (stored as "<session key> <user name>"), when recorded */
  session?: { user: string; key: string } | undefined;
  /** the holder's session has ended: the run that took the lock is gone */
  stale?: boolean;
}

export function lockState(extraConfig: Readonly<Record<string, string>>): LockState {
  const held = (extraConfig[LOCK_KEY] ?? '').toLowerCase() === 'true';
  const info = extraConfig[LOCK_INFO_KEY];
  const m = /^(\S+) (.+)$/.exec(extraConfig[LOCK_SESSION_KEY] ?? '');
  return { held, ...(held && info && info !== '<nil>' ? { info } : {}), ...(held && m ? { session: { key: m[1]!, user: m[2]! } } : {}) };
}

/** Raised when another upgrade/configure holds the lock. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly cliErrorType = 'conflict';
  readonly hint: string;
  constructor(operation: string, readonly state: LockState) {
    super(state.stale
      ? `${operation} failed: the VCH is locked by an upgrade/configure whose vSphere session has ended${state.info ? ` (${state.info})` : ''}: that run is gone and left the lock`
      : `${operation} failed: another upgrade/configure operation is in progress${state.info ? ` (${state.info})` : ''}`);
    this.hint = state.stale
      ? 'use --reset-progress to clear the lock (and --rollback if that run left the VCH half-changed)'
      : 'If no other upgrade/configure process is running, use --reset-progress to reset the VCH upgrade/configure status';
  }
}

/**
 * Whether the lock holder's vSphere session still exists: false when it has ended, undefined when it cannot be told
 * (no session recorded, a lock of vic-machine 1.5, ESXi, no privilege to ask).
 */
export async function holderSessionActive(session: Session, state: LockState): Promise<boolean | undefined> {
  const sm = session.content.sessionManager;
  if (!state.session || !sm) return undefined;
  try {
    return await SessionIsActive(session, { _this: sm, sessionID: state.session.key, userName: state.session.user }) === true;
  } catch (e) {
    if (e instanceof VimFault) return undefined;
    throw e;
  }
}

export function holderText(operation: string, user: string, host: string, now = new Date()): string {
  return `${operation} by ${user} from ${host} (pid ${process.pid}) since ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

export async function takeLock(session: Session, vm: MoRef, current: Readonly<Record<string, string>>, operation: string, holder: string): Promise<void> {
  const state = lockState(current);
  if (state.held) throw new LockHeldError(operation, { ...state, ...((await holderSessionActive(session, state)) === false ? { stale: true } : {}) });
  const own = session.userSession as { key?: string; userName?: string } | undefined;
  await setLock(session, vm, 'true', holder, own?.key && own.userName ? `${own.key} ${own.userName}` : '');
}

export async function releaseLock(session: Session, vm: MoRef): Promise<void> {
  // "false" rather than deleting the key: what 1.5 writes, and what its ls/inspect expect.
  await setLock(session, vm, 'false', '', '');
}

/** `--reset-progress`: clears the lock and says what it cleared. */
export async function resetLock(session: Session, vm: MoRef, current: Readonly<Record<string, string>>): Promise<string> {
  const state = lockState(current);
  await releaseLock(session, vm);
  if (!state.held) return 'Reset UpdateInProgress flag successfully (it was not set)';
  return `Reset UpdateInProgress flag successfully (it was held${state.info ? ` by ${state.info}` : ', by an unknown process'})`;
}

async function setLock(session: Session, vm: MoRef, value: string, info: string, holderSession: string): Promise<void> {
  await runTask(session, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [
    { key: LOCK_KEY, value }, { key: LOCK_INFO_KEY, value: info }, { key: LOCK_SESSION_KEY, value: holderSession },
  ] } });
}
