// The create wizard, in the steps of the 1.5 vSphere Client plugin: general, compute capacity, storage capacity,
// networks, security, registry access, operations user, summary. Every choice that names a vSphere object is picked
// from what exists (GET .../console/inventory); the body sent is the API's VCH model (POST .../vch), and the
// server's validation problems are shown at their field (each names its JSON path), on their step. The run is
// followed through its task; the result shows the DOCKER_HOST, and the client certificates when they were made in
// this browser (pages/client-certs.ts).
import { ApiFailure, call, targetPath, type ApiErrorBody, type TaskView } from '../api.js';
import { dl, errorBox, field, h, input, page, select, status, type Field } from '../dom.js';
import { browserCertificates, clientVerificationChoice, dockerFilesSection, type ClientVerification } from './client-certs.js';
import { followTask } from './task.js';
import { planList, type CreatePlan } from './create-plan.js';

interface Inventory {
  datacenter: { id: string; name: string };
  compute_resources: { name: string; type: string }[];
  datastores: { name: string; free_bytes?: number; capacity_bytes?: number }[];
  networks: { name: string; type: string }[];
}

const GiB = 1024 ** 3;
const list = (s: string): string[] => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export async function createPage(): Promise<void> {
  page('New virtual container host', h('p', {}, 'Loading what the target has…'));
  status('Loading the inventory…');
  let inv: Inventory;
  try {
    inv = await call<Inventory>('GET', `${targetPath()}/console/inventory`);
  } catch (e) {
    page('New virtual container host', errorBox(e instanceof ApiFailure ? e.body.message : String(e)), h('p', {}, h('a', { href: '#/' }, 'Back to the list')));
    return;
  }
  status('');
  const opt = (v: string, l = v) => ({ value: v, label: l });
  const dsLabel = (d: Inventory['datastores'][number]) => `${d.name}${d.free_bytes !== undefined ? ` (${(d.free_bytes / GiB).toFixed(1)} GiB free)` : ''}`;
  const publicDefault = inv.networks.find((n) => n.name === 'VM Network')?.name;

  const f = {
    name: field('VCH name', input({ name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: '80' }), 'the resource pool, VM and folder are given this name'),
    compute: field('Compute resource', select(inv.compute_resources.map((c) => opt(c.name, `${c.name} (${c.type})`)), { name: 'compute-resource' }), 'the cluster, host or resource pool the VCH runs in'),
    cpu: field('CPU limit in MHz (optional)', input({ name: 'cpu-limit', inputmode: 'numeric', autocomplete: 'off' }), 'no limit when empty'),
    memory: field('Memory limit in MiB (optional)', input({ name: 'memory-limit', inputmode: 'numeric', autocomplete: 'off' }), 'no limit when empty'),
    imageStore: field('Image datastore', select(inv.datastores.map((d) => opt(d.name, dsLabel(d))), { name: 'image-store' }), 'container images and VM files go here'),
    volumeStore: field('Volume store datastore (optional)', select([opt('', 'none'), ...inv.datastores.map((d) => opt(d.name, dsLabel(d)))], { name: 'volume-store' }), 'a "default" volume store for docker volumes, in the folder <name>-volumes'),
    baseSize: field('Container base image size in GB (optional)', input({ name: 'base-image-size', inputmode: 'numeric', autocomplete: 'off' }), '8 GB when empty'),
    bridge: field('Bridge network', select(inv.networks.map((n) => opt(n.name, `${n.name} (${n.type})`)), { name: 'bridge-network' }), 'a port group of its own: containers talk to each other on it'),
    bridgeRange: field('Bridge IP range', input({ name: 'bridge-ip-range', value: '172.16.0.0/12', autocomplete: 'off', spellcheck: 'false' }), 'CIDR'),
    public: field('Public network', select(inv.networks.map((n) => opt(n.name, `${n.name} (${n.type})`)), { name: 'public-network' }), 'where DOCKER_HOST is reached and containers reach the world'),
    cname: field('Server certificate name (optional)', input({ name: 'tls-cname', autocomplete: 'off', spellcheck: 'false' }), 'the FQDN or address clients use: docker --tlsverify checks that the certificate names it; a self-signed certificate is made for it'),
    clientCa: field('Client CA certificate, PEM', h('textarea', { name: 'client-ca', rows: '4', spellcheck: 'false' }) as unknown as HTMLInputElement, 'the CA that signs your Docker clients\' certificates'),
    insecure: field('Insecure registries (optional)', input({ name: 'insecure-registry', autocomplete: 'off', spellcheck: 'false' }), 'host[:port], comma-separated'),
    whitelist: field('Registry whitelist (optional)', input({ name: 'whitelist-registry', autocomplete: 'off', spellcheck: 'false' }), 'only these registries, comma-separated; all when empty'),
    opsUser: field('Operations user (optional)', input({ name: 'ops-user', autocomplete: 'off', spellcheck: 'false' }), 'the VCH acts on vSphere as this user; yours when empty'),
    opsPassword: field('Operations password', input({ name: 'ops-password', type: 'password', autocomplete: 'new-password' })),
  } satisfies Record<string, Field>;
  if (publicDefault) f.public.input.value = publicDefault;
  // client verification: certificates made in this browser (the default), the admin's CA, or none
  const clientMode = clientVerificationChoice();
  const certs = browserCertificates();
  const showCa = (m: ClientVerification) => { f.clientCa.wrap.hidden = m !== 'ca'; };
  clientMode.onChange(showCa);
  showCa(clientMode.value());
  const grant = h('input', { type: 'checkbox', id: 'ops-grant', name: 'ops-grant' });
  const grantWrap = h('div', { class: 'radio' }, grant, h('label', { for: 'ops-grant' }, 'Grant the operations user the permissions it needs'));

  const steps: { title: string; fields: Field[]; extra?: HTMLElement[] }[] = [
    { title: 'General', fields: [f.name] },
    { title: 'Compute capacity', fields: [f.compute, f.cpu, f.memory] },
    { title: 'Storage capacity', fields: [f.imageStore, f.volumeStore, f.baseSize] },
    { title: 'Networks', fields: [f.bridge, f.bridgeRange, f.public] },
    { title: 'Security', fields: [f.cname, clientMode.field, f.clientCa] },
    { title: 'Registry access', fields: [f.insecure, f.whitelist] },
    { title: 'Operations user', fields: [f.opsUser, f.opsPassword], extra: [grantWrap] },
    { title: 'Summary', fields: [] },
  ];
  /** JSON paths of the VCH model → the field that sets them (longest prefix wins) */
  const byPath: [string, Field][] = [
    ['$.name', f.name], ['$.compute.resource', f.compute], ['$.compute.cpu', f.cpu], ['$.compute.memory', f.memory],
    ['$.storage.image_stores', f.imageStore], ['$.storage.volume_stores', f.volumeStore], ['$.storage.base_image_size', f.baseSize],
    ['$.network.bridge.port_group', f.bridge], ['$.network.bridge.ip_range', f.bridgeRange], ['$.network.bridge', f.bridge], ['$.network.public', f.public],
    ['$.auth.server', f.cname], ['$.auth.client', clientMode.field], ['$.auth.client.certificate_authorities', f.clientCa], ['$.auth', f.cname], ['$.registry.insecure', f.insecure], ['$.registry.whitelist', f.whitelist],
    ['$.endpoint.operations_credentials.password', f.opsPassword], ['$.endpoint.operations_credentials', f.opsUser],
    // a problem found while the task ran may name create's flag instead
    ['--name', f.name], ['--compute-resource', f.compute], ['--cpu', f.cpu], ['--memory', f.memory], ['--image-store', f.imageStore],
    ['--volume-store', f.volumeStore], ['--base-image-size', f.baseSize], ['--bridge-network', f.bridge], ['--bridge-network-range', f.bridgeRange],
    ['--public-network', f.public], ['--tls-cname', f.cname], ['--tls-ca', f.clientCa], ['--no-tlsverify', clientMode.field], ['--insecure-registry', f.insecure],
    ['--whitelist-registry', f.whitelist], ['--ops-user', f.opsUser], ['--ops-password', f.opsPassword],
  ];
  const fieldOf = (p: string | undefined): Field | undefined => {
    if (!p) return undefined;
    let best: [string, Field] | undefined;
    for (const e of byPath) if ((p === e[0] || p.startsWith(`${e[0]}.`) || p.startsWith(`${e[0]}[`)) && (!best || e[0].length > best[0].length)) best = e;
    // the CA field is shown only for "use my CA": otherwise a problem of the client CA is the choice's
    return best?.[1] === f.clientCa && clientMode.value() !== 'ca' ? clientMode.field : best?.[1];
  };
  const stepOf = (x: Field): number => steps.findIndex((s) => s.fields.includes(x));

  let current = 0;
  const nav = h('ol', { class: 'steps' }, ...steps.map((s, i) => h('li', { 'data-step': String(i) }, `${i + 1}. ${s.title}`)));
  const sets = steps.map((s, i) => h('fieldset', { class: 'step', hidden: i !== 0 }, h('legend', {}, `Step ${i + 1} of ${steps.length}: ${s.title}`), ...s.fields.map((x) => x.wrap), ...(s.extra ?? [])));
  const summary = h('div', {});
  sets[steps.length - 1]!.append(summary);
  const problems = h('div', {});
  const back = h('button', { type: 'button' }, 'Back');
  const next = h('button', { type: 'submit', class: 'primary' }, 'Next');
  const cancel = h('a', { href: '#/', class: 'button' }, 'Cancel');
  const form = h('form', { class: 'card wizard', novalidate: true, 'aria-label': 'New virtual container host' }, nav, ...sets, problems, h('div', { class: 'actions' }, back, next, cancel));
  const result = h('div', {});

  const show = (i: number, focus?: Field): void => {
    current = i;
    sets.forEach((s, j) => { s.hidden = j !== i; });
    nav.querySelectorAll('li').forEach((li, j) => { if (j === i) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current'); });
    back.disabled = i === 0;
    next.textContent = i === steps.length - 1 ? 'Create' : 'Next';
    if (i === steps.length - 1) summary.replaceChildren(summaryOf());
    const target = focus?.input ?? sets[i]!.querySelector<HTMLElement>('input, select, textarea') ?? sets[i]!.querySelector('legend');
    if (target && !target.matches('input, select, textarea')) target.setAttribute('tabindex', '-1');
    target?.focus();
    status(`Step ${i + 1} of ${steps.length}: ${steps[i]!.title}`);
  };

  /** The checks that need no server: a missing name, a number that is not one, a malformed range. */
  const localProblems = (i: number): [Field, string][] => {
    const out: [Field, string][] = [];
    const num = (x: Field, what: string) => { if (x.input.value.trim() && !/^\d+$/.test(x.input.value.trim())) out.push([x, `${what} must be a whole number`]); };
    if (i === 0 && !f.name.input.value.trim()) out.push([f.name, 'Enter a name for the VCH.']);
    if (i === 0 && f.name.input.value.trim().length > 80) out.push([f.name, 'The name is at most 80 characters.']);
    if (i === 1) { num(f.cpu, 'The CPU limit'); num(f.memory, 'The memory limit'); }
    if (i === 2) num(f.baseSize, 'The base image size');
    if (i === 3 && !CIDR.test(f.bridgeRange.input.value.trim())) out.push([f.bridgeRange, 'Enter a range in CIDR notation, such as 172.16.0.0/12.']);
    if (i === 3 && f.bridge.input.value === f.public.input.value) out.push([f.bridge, 'The bridge network needs a port group of its own, not the public network\'s.']);
    if (i === 4 && clientMode.value() === 'ca' && !/-----BEGIN CERTIFICATE-----/.test(f.clientCa.input.value)) out.push([f.clientCa, 'Paste your CA certificate in PEM (-----BEGIN CERTIFICATE----- …), or choose another way to verify clients.']);
    if (i === 6 && f.opsUser.input.value.trim() && !f.opsPassword.input.value) out.push([f.opsPassword, 'Enter the operations user\'s password.']);
    return out;
  };

  const model = (): Record<string, unknown> => {
    const v = (x: Field) => x.input.value.trim();
    const name = v(f.name);
    const mode = clientMode.value();
    const clientCa = mode === 'ca' ? v(f.clientCa) : mode === 'browser' ? certs.current()?.caCertPem : undefined;
    return {
      name,
      compute: {
        resource: { name: v(f.compute) },
        ...(v(f.cpu) || v(f.memory) ? {
          ...(v(f.cpu) ? { cpu: { limit: { value: Number(v(f.cpu)), units: 'MHz' } } } : {}),
          ...(v(f.memory) ? { memory: { limit: { value: Number(v(f.memory)), units: 'MiB' } } } : {}),
        } : {}),
      },
      storage: {
        image_stores: [`ds://${v(f.imageStore)}`],
        ...(v(f.volumeStore) ? { volume_stores: [{ datastore: `ds://${v(f.volumeStore)}/${name}-volumes`, label: 'default' }] } : {}),
        ...(v(f.baseSize) ? { base_image_size: { value: Number(v(f.baseSize)), units: 'GB' } } : {}),
      },
      network: {
        bridge: { port_group: { name: v(f.bridge) }, ip_range: v(f.bridgeRange) },
        public: { port_group: { name: v(f.public) } },
      },
      auth: {
        // browser-made: only the CA certificate goes to the server, never a private key
        ...(clientCa ? { client: { certificate_authorities: [{ pem: clientCa }] } } : { client: { no_tls_verify: true } }),
        server: { generate: { ...(v(f.cname) ? { cname: v(f.cname) } : {}) } },
      },
      ...(v(f.insecure) || v(f.whitelist) ? { registry: { ...(v(f.insecure) ? { insecure: list(v(f.insecure)) } : {}), ...(v(f.whitelist) ? { whitelist: list(v(f.whitelist)) } : {}) } } : {}),
      ...(v(f.opsUser) ? { endpoint: { operations_credentials: { user: v(f.opsUser), password: f.opsPassword.input.value, ...(grant.checked ? { grant_permissions: true } : {}) } } } : {}),
    };
  };

  /** create's dry run of what the wizard holds, asked for on the way to the summary: the summary shows it, and
   * Create is offered only with a plan that has no problem (a problem takes the wizard to its field instead). */
  let plan: CreatePlan | undefined;
  const summaryOf = (): HTMLElement => {
    const v = (x: Field) => x.input.value.trim();
    return h('div', {},
      h('p', {}, 'Check the VCH to be made: vSphere has validated it and nothing is made until you press Create.'),
      dl([
        ['Name', v(f.name)], ['Datacenter', inv.datacenter.name], ['Compute resource', v(f.compute)],
        ['CPU limit', v(f.cpu) ? `${v(f.cpu)} MHz` : 'none'], ['Memory limit', v(f.memory) ? `${v(f.memory)} MiB` : 'none'],
        ['Image datastore', v(f.imageStore)], ['Volume store', v(f.volumeStore) ? `${v(f.volumeStore)}/${v(f.name)}-volumes (default)` : 'none'],
        ['Base image size', v(f.baseSize) ? `${v(f.baseSize)} GB` : '8 GB'],
        ['Bridge network', `${v(f.bridge)} (${v(f.bridgeRange)})`], ['Public network', v(f.public)],
        ['Server certificate', v(f.cname) ? `self-signed for ${v(f.cname)}` : 'self-signed'], ['Docker clients', clientChoiceText(clientMode.value())],
        ['Insecure registries', v(f.insecure) || 'none'], ['Registry whitelist', v(f.whitelist) || 'all'],
        ['Operations user', v(f.opsUser) ? `${v(f.opsUser)}${grant.checked ? ' (permissions granted)' : ''}` : 'the user you logged in as'],
      ]),
      plan ? planList(plan) : null);
  };

  const showProblems = (e: ApiErrorBody, lead = 'The VCH was not created:'): void => {
    const list = e.problems?.length ? e.problems : [{ message: e.message, ...(e.field ? { field: e.field } : {}) }];
    const unplaced: string[] = [];
    let first: Field | undefined;
    for (const p of list) {
      const x = fieldOf(p.field);
      if (!x) { unplaced.push(p.message); continue; }
      x.setError([x.error.hidden ? '' : x.error.textContent, p.message + (p.suggestions?.length ? ` (existing: ${p.suggestions.join(', ')})` : '')].filter(Boolean).join(' '));
      if (!first || stepOf(x) < stepOf(first)) first = x;
    }
    problems.replaceChildren(errorBox(`${lead} ${list.length} problem${list.length === 1 ? '' : 's'}${unplaced.length ? `: ${unplaced.join('; ')}` : list.length === 1 ? ', shown at its field' : ', shown at their fields'}`, e.hint));
    if (first) show(stepOf(first), first);
  };

  /** The browser's CA and client certificate for the name and cname given (made once for them); false, shown at the choice, if this browser cannot. */
  const makeCertificates = async (): Promise<boolean> => {
    clientMode.field.setError(undefined);
    status('Making the client certificates in this browser…');
    next.disabled = true;
    try {
      await certs.get(f.name.input.value.trim(), f.cname.input.value.trim() || undefined);
      return true;
    } catch (e) {
      clientMode.field.setError(`This browser could not make the certificates (${(e as Error).message}): use your own CA, or no client verification.`);
      clientMode.field.input.focus();
      return false;
    } finally {
      next.disabled = false;
    }
  };

  let planRequests = 0;
  back.addEventListener('click', () => { planRequests++; show(Math.max(0, current - 1)); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const x of steps[current]!.fields) x.setError(undefined);
    const local = localProblems(current);
    if (local.length) {
      for (const [x, m] of local) x.setError(m);
      local[0]![0].input.focus();
      return;
    }
    if (current === 4 && clientMode.value() === 'browser' && !(await makeCertificates())) return;
    if (current < steps.length - 2) return show(current + 1);
    for (const x of Object.values(f)) x.setError(undefined);
    problems.replaceChildren();
    // made already when the Security step was left; again only if the name or cname changed since
    const mode = clientMode.value();
    if (mode === 'browser' && !(await makeCertificates())) return show(4, clientMode.field);
    if (current === steps.length - 2) {
      // the plan first (nothing is made): its problems go to their fields as create's would
      plan = undefined;
      const asked = ++planRequests;
      next.disabled = true;
      status('Checking the VCH with vSphere (dry run: nothing is made)…');
      let answer: CreatePlan | ApiErrorBody;
      try {
        answer = await call<CreatePlan>('POST', `${targetPath()}/vch?dry_run=true`, { body: model() });
      } catch (e) {
        answer = e instanceof ApiFailure ? e.body : { message: String(e) };
      } finally {
        next.disabled = false;
      }
      // the admin went back meanwhile: this answer is for choices that may have changed
      if (asked !== planRequests || current !== steps.length - 2) return;
      status('');
      if ('message' in answer) return showProblems(answer, 'The plan found');
      plan = answer;
      return show(steps.length - 1);
    }
    if (!plan) return;
    const made = mode === 'browser' ? certs.current() : undefined;
    next.disabled = true;
    status('Creating the VCH…');
    try {
      const r = await call<{ task: string }>('POST', `${targetPath()}/vch`, { body: model(), async: true });
      form.hidden = true;
      const t = await followTask(r.task, result, `Create ${f.name.input.value.trim()}`);
      if (t.state === 'success') {
        result.append(resultOf(t, mode));
        const done = (t.result ?? {}) as { id?: string; name?: string; docker_host?: string };
        if (done.id) result.append(await dockerFilesSection({ id: done.id, name: done.name ?? f.name.input.value.trim(), mode, dockerHost: done.docker_host, cname: f.cname.input.value.trim() || undefined, set: made }));
      } else if (t.error && (t.error.problems?.some((p) => fieldOf(p.field)) || fieldOf(t.error.field))) {
        // nothing was made (create rolls back): back to the wizard, each problem at its field
        form.hidden = false;
        result.replaceChildren();
        showProblems(t.error);
      } else {
        const again = h('button', { type: 'button' }, 'Back to the wizard');
        again.addEventListener('click', () => { form.hidden = false; result.replaceChildren(); if (t.error) showProblems(t.error); });
        result.append(h('div', { class: 'actions' }, again));
      }
      result.querySelector<HTMLElement>('h2')?.focus();
    } catch (e) {
      showProblems(e instanceof ApiFailure ? e.body : { message: String(e) });
    } finally {
      next.disabled = false;
    }
  });
  page('New virtual container host', form, result);
  show(0);
}

function clientChoiceText(m: ClientVerification): string {
  return m === 'browser' ? 'verified: client certificates made in this browser (only the CA certificate is sent)' : m === 'ca' ? 'verified against the CA given' : 'not verified (--no-tlsverify)';
}

function resultOf(t: TaskView, mode: ClientVerification): HTMLElement {
  const r = (t.result ?? {}) as { id?: string; name?: string; docker_host?: string; admin_portal?: string; docker_environment?: Record<string, string> };
  const env = Object.entries(r.docker_environment ?? (r.docker_host ? { DOCKER_HOST: r.docker_host } : {})).map(([k, v]) => `${k}=${v}`).join('\n');
  return h('section', { class: 'card', 'aria-labelledby': 'made-h' }, h('h2', { id: 'made-h', tabindex: '-1' }, `${r.name ?? 'The VCH'} is ready`),
    dl([['DOCKER_HOST', r.docker_host ? h('code', {}, r.docker_host) : undefined],
      ['Admin portal', r.admin_portal ? h('a', { href: r.admin_portal, target: '_blank', rel: 'noopener noreferrer' }, r.admin_portal) : undefined]]),
    env ? h('pre', { class: 'env', tabindex: '0', 'aria-label': 'Docker environment' }, env) : null,
    h('p', {}, mode === 'browser' ? 'Docker clients are verified against the CA made in this browser: download the client certificates below.'
      : mode === 'ca' ? 'Docker clients are verified against your CA: each needs a certificate signed by it, and the VCH\'s server certificate (ca.pem, below).'
        : 'Docker clients are not verified (--no-tlsverify); the server made the VCH\'s certificate and kept no private key.'),
    h('div', { class: 'actions' }, r.id ? h('a', { class: 'button primary', href: `#/vch/${encodeURIComponent(r.id)}` }, 'Show the VCH') : null, h('a', { class: 'button', href: '#/' }, 'Back to the list')));
}
