// Long operations (create, configure, upgrade, delete, debug) run as tasks: a task has a state, the phase it is in,
// its log lines, and its result or error (in the API's error shape). A request waits for its task as 1.5's did, or
// with `Prefer: respond-async` returns at once; either way the answer's `task` is the task's URI
// (GET /container/tasks/{id}; DELETE cancels it, which aborts the operation: it rolls back as Ctrl-C does in the CLI).
// Task ids are random (unguessable); a task is only shown to a request with the credential that started it.
import { randomUUID } from 'node:crypto';
import { toApiError, type ApiErrorBody } from './api-error.js';

export type TaskState = 'running' | 'success' | 'error' | 'cancelled';

export interface TaskView {
  id: string;
  operation: string;
  state: TaskState;
  phase: string;
  target: string;
  vch?: { id?: string; name?: string };
  created: string;
  finished?: string;
  log: string[];
  result?: unknown;
  error?: ApiErrorBody;
}

const KEEP_FINISHED_MS = 60 * 60_000;
const MAX_LOG_LINES = 2000;

export class Task {
  readonly id = randomUUID();
  readonly controller = new AbortController();
  readonly created = new Date();
  state: TaskState = 'running';
  phase = 'starting';
  finished?: Date;
  readonly lines: string[] = [];
  result?: unknown;
  error?: ApiErrorBody;
  errorStatus?: number;
  done!: Promise<void>;

  constructor(readonly operation: string, readonly owner: string, readonly target: string, public vch: { id?: string; name?: string } = {}) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  add(level: string, m: string): void {
    if (this.lines.length < MAX_LOG_LINES) this.lines.push(`${new Date().toISOString()} ${level} ${m}`);
  }

  /** The DeleteLog / progress log interface of the domain functions. */
  info = (m: string): void => {
    this.phase = m;
    this.add('INFO', m);
  };

  warn = (m: string): void => this.add('WARN', m);

  view(): TaskView {
    return {
      id: this.id, operation: this.operation, state: this.state, phase: this.phase, target: this.target,
      ...(this.vch.id || this.vch.name ? { vch: this.vch } : {}),
      created: this.created.toISOString(), ...(this.finished ? { finished: this.finished.toISOString() } : {}),
      log: [...this.lines], ...(this.result !== undefined ? { result: this.result } : {}), ...(this.error ? { error: this.error } : {}),
    };
  }
}

export class TaskRegistry {
  private readonly tasks = new Map<string, Task>();

  start(operation: string, owner: string, target: string, vch: Task['vch'], run: (t: Task) => Promise<unknown>): Task {
    this.prune();
    const t = new Task(operation, owner, target, vch);
    this.tasks.set(t.id, t);
    t.done = (async () => {
      try {
        t.result = await run(t);
        t.state = 'success';
        t.phase = 'done';
      } catch (e) {
        const err = toApiError(e);
        t.state = t.signal.aborted ? 'cancelled' : 'error';
        t.error = err.body;
        t.errorStatus = err.status;
        t.add('ERROR', err.message);
      } finally {
        t.finished = new Date();
      }
    })();
    return t;
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  running(): Task[] {
    return [...this.tasks.values()].filter((t) => t.state === 'running');
  }

  /** Aborts every running task (the server is stopping and the grace period is over) and waits for them to end. */
  async cancelAll(): Promise<void> {
    const r = this.running();
    for (const t of r) t.controller.abort(new Error('the server is stopping'));
    await Promise.allSettled(r.map((t) => t.done));
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [id, t] of this.tasks) if (t.finished && t.finished.getTime() < cutoff) this.tasks.delete(id);
  }
}
