// The upgrade/configure lock: vic-machine 1.5's extraConfig key `UpdateInProgress` ("true" while an upgrade or
// configure runs; 1.5's ls and inspect read it), plus `UpdateInProgressInfo` saying who holds it and since when, which
// 1.5 never recorded and an admin facing a stale lock needs. vSphere has no compare-and-set on extraConfig, so two
// runs that start in the same second can both take it; the snapshot names then collide and the second fails.
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';

export const LOCK_KEY = 'UpdateInProgress';
export const LOCK_INFO_KEY = 'UpdateInProgressInfo';

export interface LockState {
  held: boolean;
  /** "upgrade by admin@host (pid 123) since 2026-11-23T02:55:00Z", when recorded */
  info?: string | undefined;
}

export function lockState(extraConfig: Readonly<Record<string, string>>): LockState {
  const held = (extraConfig[LOCK_KEY] ?? '').toLowerCase() === 'true';
  const info = extraConfig[LOCK_INFO_KEY];
  return { held, ...(held && info && info !== '<nil>' ? { info } : {}) };
}

/** Raised when another upgrade/configure holds the lock. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly cliErrorType = 'conflict';
  readonly hint = 'If no other upgrade/configure process is running, use --reset-progress to reset the VCH upgrade/configure status';
  constructor(operation: string, readonly state: LockState) {
    super(`${operation} failed: another upgrade/configure operation is in progress${state.info ? ` (${state.info})` : ''}`);
  }
}

export function holderText(operation: string, user: string, host: string, now = new Date()): string {
  return `${operation} by ${user} from ${host} (pid ${process.pid}) since ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

export async function takeLock(session: Session, vm: MoRef, current: Readonly<Record<string, string>>, operation: string, holder: string): Promise<void> {
  const state = lockState(current);
  if (state.held) throw new LockHeldError(operation, state);
  await setLock(session, vm, 'true', holder);
}

export async function releaseLock(session: Session, vm: MoRef): Promise<void> {
  // "false" rather than deleting the key: what 1.5 writes, and what its ls/inspect expect.
  await setLock(session, vm, 'false', '');
}

/** `--reset-progress`: clears the lock and says what it cleared. */
export async function resetLock(session: Session, vm: MoRef, current: Readonly<Record<string, string>>): Promise<string> {
  const state = lockState(current);
  await releaseLock(session, vm);
  if (!state.held) return 'Reset UpdateInProgress flag successfully (it was not set)';
  return `Reset UpdateInProgress flag successfully (it was held${state.info ? ` by ${state.info}` : ', by an unknown process'})`;
}

async function setLock(session: Session, vm: MoRef, value: string, info: string): Promise<void> {
  await runTask(session, 'ReconfigVM_Task', { _this: vm, spec: { extraConfig: [{ key: LOCK_KEY, value }, { key: LOCK_INFO_KEY, value: info }] } });
}
