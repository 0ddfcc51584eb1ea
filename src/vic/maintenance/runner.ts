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
//
// `report.snapshot` is the name the rollback point got (1.5's name, suffixed ` (2)` … when a snapshot has it already).
// Errors: LockHeldError (lock.ts) before anything changed; MaintenanceError (step, cause, reverted?, revertError) with
// cliErrorType timeout / interrupted / internal. On an interrupt (signal aborts) the revert still needs the session:
// the CLI's main (src/cli/main.ts) waits for the interrupted command to settle before it runs the cleanups (logout).
import { PowerOnVM_Task } from '../../vim/methods.generated.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { MoRef } from '../../vim/types.js';
import { LockHeldError, releaseLock, takeLock } from './lock.js';
import { createSnapshot, listSnapshots, removeSnapshot, revertToSnapshot, ROLLBACK_POINT } from './snapshot.js';

export interface MaintenanceStep {
  /** what the step does, as it reads in "... failed while <name>" */
  name: string;
  run: (signal: AbortSignal) => Promise<void>;
}

export interface MaintenanceOptions {
  operation: 'upgrade' | 'configure';
  /** `upgrade for <build>` / `reconfigure for <build>` (1.5's names); made unique among the VM's snapshots with a
   * ` (2)`, ` (3)` … suffix when taken (a forced re-run to the same build), so that the revert and --rollback never
   * pick a namesake */
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
  /** the rollback point's name as created (unique) */
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
  try {
    await takeLock(session, vm, extraConfig, o.operation, o.holder);
  } catch (e) {
    if (e instanceof LockHeldError) throw e;
    // The write may have landed although its answer did not (a lost answer): the lock is ours to release.
    await releaseLock(session, vm).catch(() => undefined);
    throw Object.assign(new Error(`${o.operation} failed while taking the lock: ${(e as Error).message}. Nothing was changed.`), { cause: e });
  }
  let snapshot: MoRef | undefined;
  let snapshotName = o.snapshotName;
  let before: Awaited<ReturnType<typeof listSnapshots>> | undefined;
  let step = 'taking the snapshot';
  try {
    before = await listSnapshots(session, vm);
    snapshotName = uniqueName(o.snapshotName, before.all.map((s) => s.name));
    o.log('info', `Creating snapshot "${snapshotName}"`);
    snapshot = await createSnapshot(session, vm, snapshotName, o.signal);
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
    return { snapshot: snapshotName, removedSnapshots: removed };
  } catch (e) {
    const cause = e as Error;
    o.log('warn', `${o.operation} failed while ${step}: ${cause.message}`);
    if (!snapshot) {
      // Nothing was changed yet; but an interrupted CreateSnapshot_Task may still have made the snapshot: remove it.
      if (before) await removeLostSnapshot(session, vm, snapshotName, before.all.map((s) => s.name), o.log);
      throw new MaintenanceError(o.operation, step, cause, true);
    }
    o.log('info', `Reverting to snapshot "${snapshotName}"`);
    try {
      await withDeadline(o.revertTimeoutMs ?? 300_000, async () => {
        await revertToSnapshot(session, snapshot!);
        if (o.wasPoweredOn) await runTask(session, PowerOnVM_Task, { _this: vm }).catch((err: Error) => o.log('warn', `Could not power the appliance on after the revert: ${err.message}`));
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

/** `name`, or `name (2)`, `name (3)` … : the first one no snapshot of the VM has. */
export function uniqueName(name: string, taken: readonly string[]): string {
  const used = new Set(taken);
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name} (${n})`;
  return candidate;
}

async function removeLostSnapshot(session: Session, vm: MoRef, name: string, before: readonly string[], log: MaintenanceOptions['log']): Promise<void> {
  if (before.includes(name)) return;
  try {
    const lost = (await listSnapshots(session, vm)).all.find((s) => s.name === name);
    if (lost) await removeSnapshot(session, lost.ref);
  } catch (e) {
    log('warn', `Could not check for a snapshot "${name}" left by the interrupted snapshot task: ${(e as Error).message}`);
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
