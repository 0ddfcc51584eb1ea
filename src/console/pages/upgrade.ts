// Upgrade a VCH (POST .../vch/{id}?action=upgrade) to a bootstrap ISO the server offers (GET /container), or roll
// it back to before its last upgrade; confirmed, then followed through its task to the end.
import { ApiFailure, call, targetPath } from '../api.js';
import { errorBox, field, h, select, status } from '../dom.js';
import { followTask } from './task.js';

interface Metadata { version?: string; isos?: { kind: string; name: string; version: string }[] }

export async function upgradeDialog(id: string, name: string, into: HTMLElement, done: () => void): Promise<void> {
  let meta: Metadata;
  try {
    meta = await call<Metadata>('GET', '/container');
  } catch (e) {
    into.replaceChildren(errorBox((e as Error).message));
    return;
  }
  const boots = (meta.isos ?? []).filter((i) => i.kind === 'bootstrap');
  const iso = field('Bootstrap ISO', select([...boots.map((b) => ({ value: b.name, label: `${b.name} (${b.version})` })), { value: '', label: 'Roll back to before the last upgrade' }], { name: 'bootstrap-iso' }));
  const go = h('button', { type: 'submit', class: 'primary' }, `Upgrade ${name}`);
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const problems = h('div', {});
  const form = h('form', { class: 'card', 'aria-labelledby': 'up-h' }, h('h2', { id: 'up-h' }, `Upgrade ${name}`),
    h('p', {}, 'The VCH is snapshotted, its appliance is switched to the new ISOs and restarted; any failure reverts it.'), iso.wrap, problems, h('div', { class: 'actions' }, go, cancel));
  cancel.addEventListener('click', () => into.replaceChildren());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    go.disabled = true;
    const chosen = iso.input.value;
    status(`Upgrading ${name}…`);
    try {
      const r = await call<{ task: string }>('POST', `${targetPath()}/vch/${encodeURIComponent(id)}?action=upgrade`, { body: chosen ? { 'bootstrap-iso': chosen } : { rollback: true }, async: true });
      const t = await followTask(r.task, into, chosen ? `Upgrade ${name}` : `Roll back ${name}`);
      if (t.state === 'success') {
        const back = h('button', { type: 'button', class: 'primary' }, 'Show the VCH');
        back.addEventListener('click', done);
        into.append(h('div', { class: 'actions' }, back));
        back.focus();
      }
    } catch (e) {
      go.disabled = false;
      problems.replaceChildren(errorBox(e instanceof ApiFailure ? e.body.message : String(e), e instanceof ApiFailure ? e.body.hint : undefined));
      status('');
    }
  });
  into.replaceChildren(form);
  iso.input.focus();
}
