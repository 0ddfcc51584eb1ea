// A long operation behind a request (create, configure, upgrade, delete, debug): one change per VCH at a time in
// this server (409 naming the running task; across processes the VCH's own lock, as the CLI's, decides), run as a
// task with its own lease of the pooled session, and answered when 1.5 answered (the operation done) or, with
// `Prefer: respond-async`, as soon as the operation says its input is valid.
import { ApiError } from './api-error.js';
import { BASE_PATH } from './app.js';
import type { Session } from '../vim/session.js';
import type { Reply, RequestContext } from './router.js';
import type { Task } from './tasks.js';
import type { VsphereTarget } from './vsphere-target.js';

export interface OperationOptions {
  operation: string;
  vch: { id?: string; name?: string };
  /** the status of success (the spec's: 201 for create, 202 for the others) */
  status: number;
  /**
   * runs the operation; calls validated() once its input is checked and before it changes anything, and answer()
   * where 1.5's server answered when that is before the end (create: the VCH made and powered on); sessionKey names
   * the pooled session (the credential and target), for reads shared by operations in flight (SessionPool.coalesce)
   */
  run: (session: Session, task: Task, validated: () => void, answer: () => void, sessionKey: string) => Promise<unknown>;
  /**
   * for operations without a rollback of their own (delete): once the task is cancelled, the session refuses every
   * further call, so the operation stops after the call in flight (as the CLI's delete stops on Ctrl-C; run it again
   * to finish). Operations that roll back (create, configure, upgrade) take task.signal instead and need their session.
   */
  stopOnCancel?: boolean;
}

/** The session, refusing calls once `signal` is aborted (see OperationOptions.stopOnCancel). */
function cancellable(session: Session, signal: AbortSignal): Session {
  const guarded = Object.create(session) as Session;
  guarded.call = (method, args, o) => {
    if (signal.aborted) return Promise.reject(Object.assign(new Error(`cancelled before ${method}`), { name: 'AbortError', cliErrorType: 'interrupted' }));
    return session.call(method, args, o);
  };
  return guarded;
}

export function taskUri(ctx: RequestContext, task: Task): string {
  const proto = (ctx.req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return `${proto}://${ctx.req.headers.host ?? 'localhost'}${BASE_PATH}/tasks/${task.id}`;
}

export function wantsAsync(ctx: RequestContext): boolean {
  return /(^|[,\s])respond-async(\s*(;|,|$))/i.test(String(ctx.req.headers['prefer'] ?? ''));
}

export async function runOperation(ctx: RequestContext, t: VsphereTarget, o: OperationOptions): Promise<Reply> {
  const busyKey = o.vch.id ? `${t.pool.url.origin} ${o.vch.id}` : o.vch.name ? `${t.pool.url.origin} name:${o.vch.name}` : undefined;
  const holder = busyKey ? ctx.server.busy.get(busyKey) : undefined;
  if (holder) {
    throw new ApiError(409, {
      message: `VCH ${o.vch.id ?? o.vch.name} is busy: ${holder.operation} task ${holder.id} is running on it (${holder.phase})`,
      type: 'conflict', holder: `${holder.operation} task ${holder.id}`,
    });
  }
  const s = ctx.server;
  let validated!: () => void;
  const isValid = new Promise<void>((resolve) => { validated = resolve; });
  let answer!: () => void;
  const answerPoint = new Promise<void>((resolve) => { answer = resolve; });
  const task = s.tasks.start(o.operation, s.pool.ownerOf(t.credentials), t.label, o.vch,
    (task) => s.pool.withSession(t.credentials, t.pool, (session, key) => o.run(o.stopOnCancel ? cancellable(session, task.signal) : session, task, validated, answer, key)));
  if (busyKey) {
    s.busy.set(busyKey, task);
    void task.done.finally(() => { if (s.busy.get(busyKey) === task) s.busy.delete(busyKey); });
  }
  const uri = taskUri(ctx, task);
  if (wantsAsync(ctx)) {
    await Promise.race([isValid, task.done]);
    if (task.state === 'error' || task.state === 'cancelled') throw new ApiError(task.errorStatus ?? 500, task.error ?? { message: 'failed' });
    return { status: o.status, body: { task: uri }, headers: { 'Preference-Applied': 'respond-async', Location: uri } };
  }
  await Promise.race([answerPoint, task.done]);
  if (task.state !== 'success' && task.state !== 'running') throw new ApiError(task.errorStatus ?? 500, { ...(task.error ?? { message: 'failed' }), task: uri });
  return { status: o.status, body: { task: uri }, headers: { Location: uri } };
}
