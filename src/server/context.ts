// What every request handler may use: the session pool, where the ISOs are, the server's log, the spec it serves,
// and the operations it is running (for /tasks and for a graceful stop).
import type { RequestLog } from './request-log.js';
import type { SessionPool } from './session-pool.js';
import type { Task, TaskRegistry } from './tasks.js';

export interface ServerContext {
  pool: SessionPool;
  isoDirectories: readonly string[];
  log: RequestLog;
  /** the served spec (1.5's, with this server's extensions) */
  spec: () => Record<string, unknown>;
  /** aborted when the server stops and the grace period is over: long operations roll back */
  stopping: AbortSignal;
  tasks: TaskRegistry;
  /** the running change of each VCH (`<target origin> <vch id>`): one at a time per VCH in this server */
  busy: Map<string, Task>;
}
