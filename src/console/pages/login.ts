// Connect: target, datacenter, user, password. An untrusted target certificate is shown (subject, issuer, validity,
// SHA-256 and SHA-1) and the admin decides whether to trust it, as the CLI's prompt asks; the password never leaves
// this form's request (the server holds the vSphere session, the browser only an HttpOnly cookie).
import { ApiFailure, call, setSession, type ApiErrorBody, type ConsoleSession } from '../api.js';
import { dl, errorBox, field, h, input, page, status } from '../dom.js';

export function loginPage(done: () => void, remembered: { target?: string; user?: string } = {}): void {
  const target = field('Target (vCenter or ESXi address)', input({ name: 'target', autocomplete: 'url', required: true, value: remembered.target ?? '', spellcheck: 'false' }), 'host name or address, with :port when not 443');
  const datacenter = field('Datacenter (optional)', input({ name: 'datacenter', autocomplete: 'off', spellcheck: 'false' }), 'needed when the target has several');
  const user = field('User', input({ name: 'user', autocomplete: 'username', required: true, value: remembered.user ?? '', spellcheck: 'false' }));
  const password = field('Password', input({ name: 'password', type: 'password', autocomplete: 'current-password', required: true }));
  const fields = { target, datacenter, user, password, thumbprint: target } as const;
  const problems = h('div', { class: 'problems' });
  const trustArea = h('div', {});
  let thumbprint: string | undefined;
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Connect');

  const form = h('form', { class: 'card narrow', novalidate: true, 'aria-label': 'Connect to vSphere' }, target.wrap, datacenter.wrap, user.wrap, password.wrap, trustArea, problems, h('div', { class: 'actions' }, submit));

  const showError = (e: ApiErrorBody): void => {
    const key = (e.field ?? '').replace(/^\$\./, '') as keyof typeof fields;
    const f = fields[key] ?? (e.field === 'Authorization' ? password : undefined);
    if (f) {
      f.setError(e.message + (e.hint ? ` (${e.hint})` : ''));
      f.input.focus();
    } else {
      problems.replaceChildren(errorBox(e.message, e.hint));
    }
  };

  const askTrust = (e: ApiErrorBody): void => {
    const c = e.certificate!;
    const trust = h('button', { type: 'button', class: 'primary' }, 'Trust this certificate and connect');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const box = h('section', { class: 'trust', 'aria-labelledby': 'trust-title' },
      h('h2', { id: 'trust-title' }, 'The target\'s certificate is not trusted'),
      h('p', {}, 'Compare these fingerprints with the ones your vSphere administrator gave you before trusting it.'),
      dl([['Subject', c.subject], ['Issuer', c.issuer], ['Valid from', c.valid_from], ['Valid until', c.valid_to],
        ['SHA-256 fingerprint', h('code', { class: 'fp' }, c.sha256)], ['SHA-1 fingerprint', h('code', { class: 'fp' }, c.sha1)]]),
      h('div', { class: 'actions' }, trust, cancel));
    trust.addEventListener('click', () => {
      thumbprint = c.sha256 || c.sha1;
      trustArea.replaceChildren(h('p', { class: 'help' }, `Trusting the certificate with SHA-256 ${thumbprint}`));
      form.requestSubmit();
    });
    cancel.addEventListener('click', () => {
      trustArea.replaceChildren();
      target.input.focus();
    });
    trustArea.replaceChildren(box);
    trust.focus();
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const f of [target, datacenter, user, password]) f.setError(undefined);
    problems.replaceChildren();
    let missing = false;
    for (const [f, what] of [[target, 'the target'], [user, 'the user'], [password, 'the password']] as const) {
      if (!f.input.value.trim()) {
        f.setError(`Enter ${what}.`);
        if (!missing) f.input.focus();
        missing = true;
      }
    }
    if (missing) return;
    submit.disabled = true;
    status('Connecting…');
    try {
      const s = await call<ConsoleSession>('POST', '/container/console/session', {
        body: { target: target.input.value.trim(), user: user.input.value.trim(), password: password.input.value,
          ...(datacenter.input.value.trim() ? { datacenter: datacenter.input.value.trim() } : {}), ...(thumbprint ? { thumbprint } : {}) },
      });
      password.input.value = '';
      setSession(s);
      status(`Connected to ${s.target} as ${s.user}`);
      done();
    } catch (e) {
      status('');
      const body = e instanceof ApiFailure ? e.body : { message: String(e) };
      if (body.type === 'tls-trust' && body.certificate && !thumbprint) askTrust(body);
      else {
        if (body.type === 'tls-trust') thumbprint = undefined;
        showError(body);
      }
    } finally {
      submit.disabled = false;
    }
  });
  page('Connect to vSphere', form);
}
