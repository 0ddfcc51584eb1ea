// Waiting for a vSphere task. One read of the task's info first (most tasks a command starts finish quickly, so
// this is often the only round trip); otherwise the property collector reports when the task's state changes.
import { TaskError } from './faults.js';
import { CancelTask, type TaskRef, type VimMethod } from './methods.generated.js';
import { outsideText } from './secrets.js';
import { retrieveOne, waitForProperties, WaitTimeoutError, type WaitOptions } from './property-collector.js';
import type { Session } from './session.js';
import type { DataObject, LocalizedMethodFault, MoRef } from './types.js';

export interface TaskInfo extends DataObject {
  key: string;
  state: 'queued' | 'running' | 'success' | 'error';
  error?: LocalizedMethodFault;
  result?: unknown;
  progress?: number;
  descriptionId?: string;
  entityName?: string;
}

export interface TaskWaitOptions extends WaitOptions {
  onProgress?: (percent: number) => void;
}

function outcome<T>(info: TaskInfo, task: MoRef): T | undefined {
  if (info.state === 'success') return (info.result ?? null) as T;
  if (info.state === 'error') {
    const f = info.error?.fault ?? {};
    const name = f._type ?? 'SystemError';
    // the server's words, which may echo what was sent
    const msg = outsideText(info.error?.localizedMessage || (f['faultMessage'] as { message?: string }[] | undefined)?.[0]?.message || name);
    throw new TaskError(name, msg, f, info.descriptionId ?? `${task.type}:${task.value}`);
  }
  return undefined;
}

/**
 * Resolves to the task's result (null when it has none), or rejects with a TaskError carrying its fault. A task that
 * has not finished within `timeoutMs` (default: the session's request timeout, VIC_MACHINE_API_TIMEOUT) rejects with
 * a WaitTimeoutError, after vSphere was asked to cancel it: a task stuck behind a busy or lost host must not hang the
 * command (Ctrl-C aside) for ever.
 */
export async function waitForTask<T = unknown>(session: Session, task: MoRef, o: TaskWaitOptions = {}): Promise<T> {
  const first = await retrieveOne<{ info: TaskInfo }>(session, task, ['info']);
  const done = outcome<T>(first.info, task);
  if (done !== undefined) return done;
  try {
    return await waitForProperties(session, task, ['info.state', 'info.error', 'info.result', 'info.progress'], (p) => {
      const info = {
        state: p['info.state'], error: p['info.error'], result: p['info.result'], descriptionId: first.info.descriptionId,
      } as TaskInfo;
      if (typeof p['info.progress'] === 'number') o.onProgress?.(p['info.progress']);
      return outcome<T>(info, task);
    }, { ...o, timeoutMs: o.timeoutMs ?? session.client.requestTimeoutMs, what: o.what ?? `task ${first.info.descriptionId ?? task.value}` });
  } catch (e) {
    // Not every task can be cancelled, and the answer does not change what the caller is told.
    if (e instanceof WaitTimeoutError) await CancelTask(session, { _this: task }).catch(() => undefined);
    throw e;
  }
}

/** Starts a *_Task method (a generated one of methods.generated.ts) and waits for it; resolves to the task's result. */
export async function runTask<A, R>(session: Session, method: VimMethod<A, TaskRef<R>>, args: A, o: TaskWaitOptions = {}): Promise<R> {
  const task = await method(session, args);
  return waitForTask<R>(session, task, { ...o, what: o.what ?? `${method.vimMethod} (${task.value}) to finish` });
}
