// The VCHs of the target (GET .../vch, as `ls`): name, version, power state, upgrade status, DOCKER_HOST, admin
// portal; filtered by compute resource (the API's ?compute-resource=); refreshed in place.
import { ApiFailure, call, targetPath, type VchListItem } from '../api.js';
import { errorBox, field, h, input, page, status } from '../dom.js';

let filterValue = '';

export function listPage(): void {
  const filter = field('Compute resource', input({ name: 'compute-resource', value: filterValue, list: 'compute-resources', spellcheck: 'false', placeholder: 'all' }), 'a cluster, host or resource pool path, as the list\'s Path column shows');
  const datalist = h('datalist', { id: 'compute-resources' });
  const refresh = h('button', { type: 'submit' }, 'Refresh');
  const create = h('a', { class: 'button primary', href: '#/create' }, 'New VCH');
  const form = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter the VCHs' }, filter.wrap, datalist, h('div', { class: 'actions' }, refresh, create));
  const region = h('div', { class: 'table-wrap', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', {}, 'Loading…'));

  const load = async (): Promise<void> => {
    region.setAttribute('aria-busy', 'true');
    filter.setError(undefined);
    refresh.disabled = true;
    status('Loading the VCHs…');
    try {
      const q = filterValue ? `?compute-resource=${encodeURIComponent(filterValue)}` : '';
      const { vchs } = await call<{ vchs: VchListItem[] }>('GET', `${targetPath()}/vch${q}`);
      datalist.replaceChildren(...[...new Set(vchs.map((v) => v.path ?? v.parent?.name ?? '').filter(Boolean))].map((p) => h('option', { value: p })));
      region.replaceChildren(vchs.length ? table(vchs) : h('p', {}, filterValue ? `No VCH in ${filterValue}.` : 'No VCH on this target yet.'));
      status(`${vchs.length} VCH${vchs.length === 1 ? '' : 's'}`);
    } catch (e) {
      const body = e instanceof ApiFailure ? e.body : { message: String(e) };
      if (body.field === 'compute-resource') {
        filter.setError(body.message + (body.hint ? ` (${body.hint})` : ''));
        region.replaceChildren();
      } else region.replaceChildren(errorBox(body.message, body.hint));
      status('');
    } finally {
      region.setAttribute('aria-busy', 'false');
      refresh.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filterValue = filter.input.value.trim();
    void load();
  });
  page('Virtual container hosts', form, region);
  void load();
}

function table(vchs: VchListItem[]): HTMLTableElement {
  const head = ['Name', 'Version', 'Power state', 'Upgrade status', 'DOCKER_HOST', 'Admin portal', 'Path'];
  return h('table', { class: 'vchs' },
    h('caption', { class: 'visually-hidden' }, 'Virtual container hosts'),
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...vchs.map((v) => h('tr', { 'data-vch': v.id },
      h('th', { scope: 'row', 'data-label': 'Name' }, h('a', { href: `#/vch/${encodeURIComponent(v.id)}` }, v.name)),
      h('td', { 'data-label': 'Version' }, v.version ?? ''),
      h('td', { 'data-label': 'Power state' }, v.power_state ?? ''),
      h('td', { 'data-label': 'Upgrade status' }, v.upgrade_status ?? ''),
      h('td', { 'data-label': 'DOCKER_HOST' }, v.docker_host ? h('code', {}, v.docker_host) : '—'),
      h('td', { 'data-label': 'Admin portal' }, v.admin_portal ? h('a', { href: v.admin_portal, target: '_blank', rel: 'noopener noreferrer' }, v.admin_portal) : '—'),
      h('td', { 'data-label': 'Path' }, v.path ?? v.parent?.name ?? ''),
    ))));
}
