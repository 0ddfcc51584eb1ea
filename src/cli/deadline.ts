// `--timeout` for the commands it bounds as a whole (ls, inspect, inspect config, delete, update firewall, debug),
// as in vic-machine 1.5: "List timed out: use --timeout to add more time". The work gets a signal that aborts at the
// deadline (or on Ctrl-C), for the calls that take one; and the command ends at the deadline even where a call in
// flight does not listen, with an error naming how long it waited and what the command was doing last.
import { CliError } from './errors.js';
import { formatDuration } from './flags/types.js';

export interface DeadlineOptions {
  /** --timeout in milliseconds */
  ms: number;
  /** "List", "Inspect", "Delete": the start of 1.5's message */
  what: string;
  /** the command's own signal (Ctrl-C) */
  signal: AbortSignal;
  /** the last progress line, named in the message: which phase ran out of time */
  phase?: () => string | undefined;
  /** what to do about it besides a longer --timeout */
  hint?: string;
}

export async function withinTimeout<T>(o: DeadlineOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(o.ms);
  const signal = AbortSignal.any([o.signal, timeout]);
  let onTimeout: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    onTimeout = () => {
      const phase = o.phase?.();
      reject(new CliError('timeout', `${o.what} timed out after ${formatDuration(o.ms)}${phase ? ` (${phase})` : ''}: use --timeout to add more time`,
        o.hint ? { hint: o.hint } : {}));
    };
    timeout.addEventListener('abort', onTimeout, { once: true });
  });
  deadline.catch(() => undefined); // no deadline reached: nobody waits for it any more
  try {
    return await Promise.race([work(signal), deadline]);
  } catch (e) {
    // A call that listened to the signal fails with the abort itself: the deadline's message says more.
    if (timeout.aborted && !o.signal.aborted) return deadline;
    throw e;
  } finally {
    if (onTimeout) timeout.removeEventListener('abort', onTimeout);
  }
}
