// Delete a VCH (DELETE .../vch/{id} with the Deletion_Specification's choices), confirmed by typing its name, then
// followed through its task to the end.
import { ApiFailure, call, targetPath } from '../api.js';
import { errorBox, field, h, input, status } from '../dom.js';
import { followTask } from './task.js';

function radios(name: string, legend: string, options: [string, string][]): { el: HTMLFieldSetElement; value: () => string } {
  const el = h('fieldset', {}, h('legend', {}, legend), ...options.map(([v, text], i) => {
    const id = `${name}-${v}`;
    return h('div', { class: 'radio' }, h('input', { type: 'radio', name, id, value: v, checked: i === 0 }), h('label', { for: id }, text));
  }));
  return { el, value: () => (el.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? options[0]![0]) };
}

export function deleteDialog(id: string, name: string, into: HTMLElement): void {
  const containers = radios('containers', 'Container VMs', [['off', 'Refuse while a container VM is running'], ['all', 'Power off and delete every container VM']]);
  const volumes = radios('volume_stores', 'Volume stores', [['none', 'Keep the volume stores and their volumes'], ['all', 'Delete the volume stores and their volumes']]);
  const confirm = field(`Type the VCH's name, ${name}, to confirm`, input({ name: 'confirm-name', autocomplete: 'off', spellcheck: 'false' }));
  const go = h('button', { type: 'submit', class: 'danger' }, `Delete ${name}`);
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const problems = h('div', {});
  const form = h('form', { class: 'card', 'aria-labelledby': 'del-h', novalidate: true }, h('h2', { id: 'del-h' }, `Delete ${name}`), containers.el, volumes.el, confirm.wrap, problems, h('div', { class: 'actions' }, go, cancel));
  cancel.addEventListener('click', () => into.replaceChildren());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    confirm.setError(undefined);
    if (confirm.input.value.trim() !== name) {
      confirm.setError(`Type ${name} exactly to delete it.`);
      confirm.input.focus();
      return;
    }
    go.disabled = true;
    status(`Deleting ${name}…`);
    try {
      const r = await call<{ task: string }>('DELETE', `${targetPath()}/vch/${encodeURIComponent(id)}`, { body: { containers: containers.value(), volume_stores: volumes.value() }, async: true });
      const t = await followTask(r.task, into, `Delete ${name}`);
      if (t.state === 'success') into.append(h('p', {}, h('a', { href: '#/', class: 'button primary' }, 'Back to the list')));
      into.querySelector<HTMLElement>('h2')?.focus();
    } catch (e) {
      go.disabled = false;
      problems.replaceChildren(errorBox(e instanceof ApiFailure ? e.body.message : String(e), e instanceof ApiFailure ? e.body.hint : undefined));
      status('');
    }
  });
  into.replaceChildren(form);
  containers.el.querySelector('input')?.focus();
}
