// Follows a task of the server (GET /container/tasks/{id}) to its end: phase and log lines as they come, then the
// result or the error. Used by delete, upgrade and create.
import { call, taskPath, type TaskView } from '../api.js';
import { errorBox, h, status } from '../dom.js';

export function followTask(uri: string, into: HTMLElement, title: string): Promise<TaskView> {
  const phase = h('p', { class: 'phase' }, 'Starting…');
  const progress = h('progress', { 'aria-label': `${title}: progress` });
  const log = h('pre', { class: 'log', tabindex: '0', 'aria-label': `${title}: log` });
  const box = h('section', { class: 'task', 'aria-labelledby': 'task-title' }, h('h2', { id: 'task-title' }, title), progress, phase, log);
  into.replaceChildren(box);
  return new Promise((resolve) => {
    const poll = async (): Promise<void> => {
      let t: TaskView;
      try {
        t = await call<TaskView>('GET', taskPath(uri));
      } catch (e) {
        box.append(errorBox(`Lost track of the task: ${(e as Error).message}`));
        return;
      }
      phase.textContent = t.phase;
      log.textContent = t.log.join('\n');
      if (t.state === 'running') {
        setTimeout(() => void poll(), 500);
        return;
      }
      progress.remove();
      if (t.state === 'success') {
        phase.textContent = `${title}: done`;
        status(`${title}: done`);
      } else {
        phase.textContent = `${title}: ${t.state}`;
        box.append(errorBox(t.error?.message ?? t.state, t.error?.hint));
        status(`${title}: ${t.state}`);
      }
      resolve(t);
    };
    void poll();
  });
}
