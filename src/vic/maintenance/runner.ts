// The frame of every change to an existing VCH (upgrade, configure): lock → snapshot → steps → on success keep this
// snapshot as the one rollback point; on failure, timeout or interruption revert to it under a deadline of its own
// (not the one that just expired), power the appliance back on if it was on, drop the snapshot, and report both the
// failure and the revert. The lock is released whatever happens (after the revert, which restores the locked
// configuration the snapshot was taken with).
//
//   const report = await runMaintenance(session, vch.ref, vch.extraConfig, {
//     operation: 'upgrade', snapshotName: `upgrade for ${build}`, holder: holderText('upgrade', user, host),
//     timeoutMs, wasPoweredOn: true, log, signal,
//   }, [
//     { name: 'uploading the ISOs', run: (signal) => upload(signal) },
//     { name: 'reconfiguring the appliance', run: (signal) => reconfigure(signal) },
//   ]);
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';
import { releaseLock, takeLock } from './lock.js';
import { createSnapshot, listSnapshots, removeSnapshot, revertToSnapshot, ROLLBACK_POINT } from './snapshot.js';

export interface MaintenanceStep {
  /** what the step does, as it reads in "... failed while <name>" */
  name: string;
  run: (signal: AbortSignal) => Promise<void>;
}

export interface MaintenanceOptions {
  operation: 'upgrade' | 'configure';
  /** `upgrade for <build>` / `reconfigure for <build>` (1.5's names) */
  snapshotName: string;
  /** who takes the lock (holderText) */
  holder: string;
  /** bounds the steps (--timeout) */
  timeoutMs: number;
  /** bounds the revert, counted from the failure (default 5 minutes) */
  revertTimeoutMs?: number;
  /** power the appliance on again after a revert */
  wasPoweredOn: boolean;
  log: (level: 'info' | 'warn', message: string) => void;
  signal?: AbortSignal;
}

export interface MaintenanceReport {
  snapshot: string;
  /** older rollback points removed on success */
  removedSnapshots: string[];
}

/** The change failed; `reverted` says whether the VCH is back as it was. */
export class MaintenanceError extends Error {
  override readonly name = 'MaintenanceError';
  readonly cliErrorType: 'timeout' | 'interrupted' | 'internal';
  constructor(readonly operation: string, readonly step: string, override readonly cause: Error, readonly reverted: boolean, readonly revertError?: Error) {
    super(`${operation} failed while ${step}: ${cause.message}. ` + (reverted
      ? `The VCH was reverted to its state before the ${operation}.`
      : `The revert failed too (${revertError?.message ?? 'unknown error'}); the VCH may be half-changed: check it with inspect, and run ${operation} --rollback.`));
    this.cliErrorType = cause.name === 'MaintenanceTimeoutError' ? 'timeout' : cause.name === 'AbortError' || /interrupted/.test(cause.message) ? 'interrupted' : 'internal';
  }
}

export class MaintenanceTimeoutError extends Error {
  override readonly name = 'MaintenanceTimeoutError';
  constructor(operation: string, timeoutMs: number, step: string) {
    super(`${operation === 'upgrade' ? 'Upgrading' : 'Configuring'} VCH exceeded time limit of ${Math.round(timeoutMs / 1000)}s while ${step}. ` +
      'Please increase the timeout using --timeout to accommodate for a busy vSphere target');
  }
}

export async function runMaintenance(session: Session, vm: MoRef, extraConfig: Readonly<Record<string, string>>, o: MaintenanceOptions,
  steps: readonly MaintenanceStep[]): Promise<MaintenanceReport> {
  await takeLock(session, vm, extraConfig, o.operation, o.holder);
  let snapshot: MoRef | undefined;
  let step = 'taking the snapshot';
  try {
    const before = await listSnapshots(session, vm);
    o.log('info', `Creating snapshot "${o.snapshotName}"`);
    snapshot = await createSnapshot(session, vm, o.snapshotName, o.signal);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new MaintenanceTimeoutError(o.operation, o.timeoutMs, step)), o.timeoutMs);
    const onAbort = (): void => deadline.abort(o.signal?.reason ?? new Error('interrupted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (const s of steps) {
        step = s.name;
        deadline.signal.throwIfAborted();
        await raceAbort(s.run(deadline.signal), deadline.signal);
      }
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    }
    // One rollback point: this one. Older ones of ours go; others' snapshots are left alone.
    const removed: string[] = [];
    for (const s of before.all.filter((x) => ROLLBACK_POINT.test(x.name))) {
      await removeSnapshot(session, s.ref).then(() => removed.push(s.name), (e: Error) => o.log('warn', `Could not remove the older snapshot "${s.name}": ${e.message}`));
    }
    return { snapshot: o.snapshotName, removedSnapshots: removed };
  } catch (e) {
    const cause = e as Error;
    o.log('warn', `${o.operation} failed while ${step}: ${cause.message}`);
    if (!snapshot) throw new MaintenanceError(o.operation, step, cause, true);
    o.log('info', `Reverting to snapshot "${o.snapshotName}"`);
    try {
      await withDeadline(o.revertTimeoutMs ?? 300_000, async () => {
        await revertToSnapshot(session, snapshot!);
        if (o.wasPoweredOn) await runTask(session, 'PowerOnVM_Task', { _this: vm }).catch((err: Error) => o.log('warn', `Could not power the appliance on after the revert: ${err.message}`));
        await removeSnapshot(session, snapshot!);
      });
      o.log('info', `Appliance is rolled back to its state before the ${o.operation}`);
      throw new MaintenanceError(o.operation, step, cause, true);
    } catch (r) {
      if (r instanceof MaintenanceError) throw r;
      throw new MaintenanceError(o.operation, step, cause, false, r as Error);
    }
  } finally {
    await releaseLock(session, vm).catch((e: Error) => o.log('warn', `Failed to reset UpdateInProgress: ${e.message}; use --reset-progress`));
  }
}

/** Rejects as soon as the signal aborts, with its reason, whatever the step is waiting for. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); }, (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}

async function withDeadline(ms: number, f: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([f(), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the revert did not finish within ${ms / 1000}s`)), ms); })])
    .finally(() => clearTimeout(timer));
}
