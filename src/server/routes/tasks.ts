// The task resource (an extension of 1.5's API): GET /container/tasks/{taskId} shows a long operation's state,
// phase, log, and result or error; DELETE cancels it (the operation rolls back as on Ctrl-C in the CLI).
import { ApiError } from '../api-error.js';
import { credentialsOf } from '../auth.js';
import type { RequestContext, Route } from '../router.js';
import type { Task } from '../tasks.js';

function taskOf(ctx: RequestContext): Task {
  const owner = ctx.server.pool.ownerOf(credentialsOf(ctx.req));
  const t = ctx.server.tasks.get(ctx.params['taskId'] ?? '');
  if (!t || t.owner !== owner) throw new ApiError(404, { message: `no task ${ctx.params['taskId']} (tasks are kept for an hour after they end, and shown to the credential that started them)`, type: 'not-found', field: 'taskId' });
  return t;
}

export const taskRoutes: Route[] = [
  { method: 'GET', path: '/tasks/{taskId}', extension: true, handler: async (ctx) => ({ status: 200, body: taskOf(ctx).view() }) },
  {
    method: 'DELETE', path: '/tasks/{taskId}', extension: true, handler: async (ctx) => {
      const t = taskOf(ctx);
      if (t.state === 'running') {
        t.info('Cancelling: the operation rolls back');
        t.controller.abort(new Error('cancelled through the API'));
        await t.done;
      }
      return { status: 200, body: t.view() };
    },
  },
];
